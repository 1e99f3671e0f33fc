// Authorization rules of the loyalty API, on top of the security kit's checks: who may act on a member.
import { requireRole, requireSelfOrRole, type Principal, type Role } from '@csm/platform/security';
import type { MemberRecord } from '../domain/records';

/** Staff roles that may read any member. */
export const STAFF_READ: Role[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin', 'service', 'analyst', 'ops'];
/** Roles that may change balances on the programme's behalf. */
export const STAFF_WRITE: Role[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin', 'service'];

export function requireMemberAccess(p: Principal, member: MemberRecord, roles: Role[] = STAFF_READ): void {
  requireSelfOrRole(p, member.passengerId, ...roles);
}

export { requireRole };
