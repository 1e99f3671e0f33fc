import { eventCodec } from '@csm/contracts';
import { createEvent, sourceForDomain, type CloudEvent, type EventData } from '@csm/platform/events';
import type { EntryRecord } from '../domain/records';

/** The MilesAccrued envelope of an entry about to be posted (balance_after filled in by the posting statement). */
export function milesAccruedEvent(e: Omit<EntryRecord, 'balanceAfter' | 'postTime' | 'actor' | 'approverId' | 'description'>): CloudEvent {
  const spec = eventCodec('csm.loyalty.member.miles_accrued.v1');
  const payload = spec.codec.fromPartial({
    memberId: e.memberId,
    transactionId: e.id,
    kind: e.kind,
    miles: e.miles,
    qualifyingMiles: e.qualifyingMiles,
    ...(e.flight ? { flight: e.flight } : {}),
    partnerCode: e.partnerCode,
    caseId: e.caseId,
    activityDate: e.activityDate,
  });
  return createEvent({
    source: sourceForDomain('loyalty'),
    type: spec.type,
    subject: spec.aggregateId(payload),
    data: spec.toJSON(payload) as EventData,
    dataschema: `urn:proto:${spec.protoMessage}`,
  });
}
