// Event builders: payloads via the contracts registry (type names, topics and codecs come from one declared list),
// appended to the outbox in the caller's transaction.
import { eventCodec, type EventPayload, type EventType } from '@csm/contracts';
import type { DeepPartial, EventCodec } from '@csm/contracts';
import { loyaltyPartnerFeed } from '@csm/contracts/events/loyalty';
import { appendToOutbox, createEvent, sourceForDomain, type EventData } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';

const SOURCE = sourceForDomain('loyalty');

async function append<T>(tx: SqlTx, spec: EventCodec<T>, payload: T): Promise<void> {
  const event = createEvent({
    source: SOURCE,
    type: spec.type,
    subject: spec.aggregateId(payload),
    data: spec.toJSON(payload) as EventData,
    dataschema: `urn:proto:${spec.protoMessage}`,
  });
  await appendToOutbox(tx, event, { topic: spec.topic });
}

/** A domain event on csm.loyalty.v1. */
export async function emit<K extends EventType>(tx: SqlTx, type: K, payload: DeepPartial<EventPayload<K>>): Promise<void> {
  const spec = eventCodec(type) as unknown as EventCodec<EventPayload<K>>;
  await append(tx, spec, spec.codec.fromPartial(payload as never));
}

type FeedSpec = (typeof loyaltyPartnerFeed)['accrualPosted' | 'accrualRejected'];
type FeedPayload<S> = S extends EventCodec<infer T> ? T : never;

/** A partner-facing event on csm.loyalty.partner.v1 (no member ids, no personal data). */
export async function emitPartnerFeed<S extends FeedSpec>(tx: SqlTx, spec: S, payload: DeepPartial<FeedPayload<S>>): Promise<void> {
  const codec = spec as unknown as EventCodec<FeedPayload<S>>;
  await append(tx, codec, codec.codec.fromPartial(payload as never));
}

export const PRODUCED_TOPICS = ['csm.loyalty.v1', loyaltyPartnerFeed.topic] as const;
