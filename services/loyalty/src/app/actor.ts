import { ActorKind } from '@csm/contracts/gen/csm/common/v1/audit';
import { hasRole, type Principal } from '@csm/platform/security';
import type { Actor } from '../domain/records';

export function actorOf(p: Principal): Actor {
  const kind = hasRole(p, 'partner')
    ? ActorKind.ACTOR_KIND_PARTNER
    : hasRole(p, 'passenger')
      ? ActorKind.ACTOR_KIND_PASSENGER
      : hasRole(p, 'service')
        ? ActorKind.ACTOR_KIND_SERVICE
        : ActorKind.ACTOR_KIND_AGENT;
  return { kind, id: p.partnerCode ?? p.subject };
}

export const SYSTEM_ACTOR: Actor = { kind: ActorKind.ACTOR_KIND_SYSTEM, id: 'loyalty' };
