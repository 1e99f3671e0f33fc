import { common } from '@csm/contracts';
import { hasRole, type Principal } from '@csm/platform/security';
import type { StoredActor } from '../store/document';

/** The audit actor of a caller: ids only (DESIGN: actors never carry names or contact data). */
export function actorOf(p: Principal): StoredActor {
  const K = common.ActorKind;
  const kind = hasRole(p, 'passenger')
    ? K.ACTOR_KIND_PASSENGER
    : hasRole(p, 'partner')
      ? K.ACTOR_KIND_PARTNER
      : hasRole(p, 'service')
        ? K.ACTOR_KIND_SERVICE
        : K.ACTOR_KIND_AGENT;
  return { kind, id: p.subject };
}

export const SYSTEM_ACTOR: StoredActor = { kind: common.ActorKind.ACTOR_KIND_SYSTEM, id: 'profile' };
