import { eventCodec, isEventType, loyalty, type EventPayload, type EventType } from '@csm/contracts';
import type { CloudEvent, EventBus, Subscription } from '@csm/platform/events';
import type { Logger } from '@csm/platform/logging';
import type { ProfileApp } from '../app/profile-app';
import { PassengerStatsEffects } from './stats-effects';

export const CONSUMED_TOPICS = ['csm.loyalty.v1', 'csm.cases.v1'] as const;

function decode<K extends EventType>(type: K, event: CloudEvent): EventPayload<K> {
  return eventCodec(type).fromJSON(event.data) as EventPayload<K>;
}

/**
 * Dynamic data from other services' events. Loyalty: enrolment links the member (and its FFP number); accruals with
 * a flight count trips and feed the lifetime value; tier changes feed the classification. Cases: open cases,
 * disruptions experienced (cases in disruption categories), last CSAT/NPS. Flight events carry no passenger ids, so
 * disruptions are learnt through the cases opened about them. Each effect is idempotent per passenger (ProfileApp.applyEvent).
 */
export function profileEventHandler(app: ProfileApp, logger: Logger) {
  const fx = new PassengerStatsEffects(app);
  return async (event: CloudEvent): Promise<void> => {
    if (!isEventType(event.type)) return;
    let outcome: string = 'ignored';
    switch (event.type) {
      case 'csm.loyalty.member.enrolled.v1': {
        const e = decode('csm.loyalty.member.enrolled.v1', event);
        if (e.passengerId) outcome = await fx.enrolled(event.id, e.passengerId, e.memberId, e.memberNumber);
        break;
      }
      case 'csm.loyalty.member.miles_accrued.v1': {
        const e = decode('csm.loyalty.member.miles_accrued.v1', event);
        const flight = e.flight ? `${e.flight.carrier}${e.flight.number}/${e.flight.date}` : '';
        outcome = await fx.accrued(event.id, e.memberId, e.miles, flight, e.activityDate || e.flight?.date || '');
        break;
      }
      case 'csm.loyalty.member.tier_changed.v1': {
        const e = decode('csm.loyalty.member.tier_changed.v1', event);
        outcome = await fx.tierChanged(event.id, e.memberId, loyalty.tierToJSON(e.tier));
        break;
      }
      case 'csm.cases.case.opened.v1': {
        const e = decode('csm.cases.case.opened.v1', event);
        if (e.passengerId) outcome = await fx.caseOpened(event.id, e.passengerId, e.caseId, e.categoryCode, e.openTime ?? new Date(event.time));
        break;
      }
      case 'csm.cases.case.closed.v1': {
        const e = decode('csm.cases.case.closed.v1', event);
        if (e.passengerId) outcome = await fx.caseClosed(event.id, e.passengerId, e.caseId);
        break;
      }
      case 'csm.cases.case.survey_recorded.v1': {
        const e = decode('csm.cases.case.survey_recorded.v1', event);
        if (e.passengerId) outcome = await fx.survey(event.id, e.passengerId, e.csat, e.nps);
        break;
      }
      default:
        break;
    }
    logger.debug({ eventId: event.id, type: event.type, outcome }, 'event handled');
  };
}

export async function subscribeProfileConsumers(bus: EventBus, app: ProfileApp, logger: Logger, groupId: string, fromBeginning = true): Promise<Subscription> {
  return bus.subscribe({ groupId, fromBeginning, topics: [...CONSUMED_TOPICS], handler: profileEventHandler(app, logger) });
}
