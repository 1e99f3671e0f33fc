import { common } from '@csm/contracts';
import { PermissionDeniedError } from '@csm/platform/errors';
import { hasRole, requireRole, type Principal, type Role } from '@csm/platform/security';
import type { Actor, CaseRecord } from '../domain/case';

/** People who work cases. */
export const AGENT_ROLES: Role[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'];
/** May read cases without working them. */
export const READER_ROLES: Role[] = [...AGENT_ROLES, 'ops', 'analyst', 'service'];
export const SUPERVISOR_ROLES: Role[] = ['supervisor', 'admin'];

export function actorOf(p: Principal): Actor {
  if (hasRole(p, ...AGENT_ROLES)) return { kind: common.ActorKind.ACTOR_KIND_AGENT, id: p.subject };
  if (hasRole(p, 'passenger')) return { kind: common.ActorKind.ACTOR_KIND_PASSENGER, id: p.profileId ?? p.subject };
  if (hasRole(p, 'partner')) return { kind: common.ActorKind.ACTOR_KIND_PARTNER, id: p.partnerCode ?? p.subject };
  return { kind: common.ActorKind.ACTOR_KIND_SERVICE, id: p.subject };
}

export function requireAgent(p: Principal): void {
  requireRole(p, ...AGENT_ROLES, 'service');
}

/** Staff may read every case; a passenger only their own. */
export function requireCaseReader(p: Principal, r: CaseRecord): void {
  requireRole(p, ...READER_ROLES, 'passenger');
  if (!hasRole(p, ...READER_ROLES) && (r.passengerId === '' || p.profileId !== r.passengerId)) {
    throw new PermissionDeniedError('a passenger may only see their own cases');
  }
}

export function isStaff(p: Principal): boolean {
  return hasRole(p, ...READER_ROLES);
}
