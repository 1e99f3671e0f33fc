import { eventCodec } from '@csm/contracts';
import { appendToOutbox, createEvent, sourceForDomain, type CloudEvent, type EventData } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import type { DomainEvent } from '../domain/case';

/** A domain event as a CloudEvent: type, topic and proto3-JSON payload from the contracts' registry. */
export function toCloudEvent(e: DomainEvent, time: number): CloudEvent {
  const spec = eventCodec(e.type);
  const payload = spec.codec.fromPartial(e.payload as never);
  return createEvent({
    source: sourceForDomain('cases'),
    type: spec.type,
    subject: spec.aggregateId(payload as never),
    data: spec.toJSON(payload as never) as EventData,
    dataschema: `urn:proto:${spec.protoMessage}`,
    time: new Date(time).toISOString(),
  });
}

/** Appends the events to the outbox inside the state change's transaction. */
export async function appendEvents(tx: SqlTx, events: readonly DomainEvent[], time: number): Promise<void> {
  for (const e of events) {
    const ce = toCloudEvent(e, time);
    await appendToOutbox(tx, ce, { topic: eventCodec(e.type).topic });
  }
}
