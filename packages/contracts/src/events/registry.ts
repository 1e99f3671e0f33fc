// The one declared list of event types: producers and consumers look codecs up here instead of scattering string
// literals (DESIGN: "event type names come from one generated/declared list per domain").
import { analyticsTopic } from './analytics';
import { cargoTopic } from './cargo';
import { casesTopic } from './cases';
import type { EventCodec, PayloadOf } from './define';
import { flightTopic } from './flight';
import { loyaltyTopic } from './loyalty';
import { profileTopic } from './profile';

/** Every topic definition, one per domain topic. */
export const EVENT_TOPICS = [profileTopic, casesTopic, loyaltyTopic, flightTopic, cargoTopic, analyticsTopic] as const;

/** Topic names by domain. */
export const TOPICS = {
  profile: profileTopic.topic,
  cases: casesTopic.topic,
  loyalty: loyaltyTopic.topic,
  flight: flightTopic.topic,
  cargo: cargoTopic.topic,
  analytics: analyticsTopic.topic,
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

type AllEvents = typeof profileTopic.events &
  typeof casesTopic.events &
  typeof loyaltyTopic.events &
  typeof flightTopic.events &
  typeof cargoTopic.events &
  typeof analyticsTopic.events;

/** Union of all declared CloudEvents type names. */
export type EventType = keyof AllEvents & string;
/** Payload (ts-proto message) type of an event type. */
export type EventPayload<K extends EventType> = PayloadOf<AllEvents[K]>;

const BY_TYPE: ReadonlyMap<string, EventCodec<unknown>> = (() => {
  const map = new Map<string, EventCodec<unknown>>();
  for (const t of EVENT_TOPICS) {
    for (const codec of Object.values<EventCodec<unknown>>(t.events)) {
      // Declaring one type twice (e.g. copy-paste across topics) would make lookups ambiguous.
      if (map.has(codec.type)) throw new Error(`contracts: event type "${codec.type}" is declared twice`);
      map.set(codec.type, codec);
    }
  }
  return map;
})();

/** All declared event types, in topic then declaration order. */
export const EVENT_TYPES: readonly EventType[] = Object.freeze([...BY_TYPE.keys()] as EventType[]);

export function isEventType(type: string): type is EventType {
  return BY_TYPE.has(type);
}

/** The codec of a declared event type, typed by its payload. */
export function eventCodec<K extends EventType>(type: K): AllEvents[K] {
  const codec = BY_TYPE.get(type);
  if (!codec) throw new Error(`contracts: unknown event type "${type}"`);
  return codec as unknown as AllEvents[K];
}

/** Lookup for a type name read off the wire (consumers): undefined when not declared. */
export function findEventCodec(type: string): EventCodec<unknown> | undefined {
  return BY_TYPE.get(type);
}

/** Event types published on a topic. */
export function eventTypesOf(topic: Topic): readonly EventType[] {
  return EVENT_TYPES.filter((t) => BY_TYPE.get(t)?.topic === topic);
}
