// The building blocks of the event registry: a topic declares its event types, each bound to the ts-proto codec
// of its payload message and to the function that yields the aggregate id (the Kafka message key).

type Builtin = Date | ((...args: never[]) => unknown) | Uint8Array | string | number | boolean | undefined;

/** Same shape as ts-proto's DeepPartial: what `fromPartial`/`create` accept. */
export type DeepPartial<T> = T extends Builtin
  ? T
  : T extends Array<infer U>
    ? Array<DeepPartial<U>>
    : T extends ReadonlyArray<infer U>
      ? ReadonlyArray<DeepPartial<U>>
      : T extends object
        ? { [K in keyof T]?: DeepPartial<T[K]> }
        : Partial<T>;

/**
 * The part of a ts-proto message object (`MessageFns<T>`, not exported by the generated code) the registry relies
 * on. Method syntax on purpose: parameters stay bivariant, so a MessageCodec<CaseOpened> is a MessageCodec<unknown>.
 */
export interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  /** Parses proto3 JSON (lowerCamel or original field names, enum names or numbers). */
  fromJSON(object: unknown): T;
  /** Serialises to proto3 JSON (lowerCamel names, enum names, defaults omitted; int64 as JSON numbers). */
  toJSON(message: T): unknown;
  /** A full message from a partial one (unset fields get proto3 defaults). */
  fromPartial(object: DeepPartial<T>): T;
  create(base?: DeepPartial<T>): T;
}

/** What `event()` records before the topic is known. */
export interface EventSpec<T> {
  /** Simple name of the payload message in the domain's events.proto ("CaseOpened"). */
  readonly messageName: string;
  readonly codec: MessageCodec<T>;
  aggregateId(payload: T): string;
}

/** A declared event type bound to its payload codec. */
export interface EventCodec<T> {
  /** CloudEvents `type`: `csm.<domain>.<aggregate>.<event>.v<N>` (e.g. "csm.cases.case.opened.v1"). */
  readonly type: string;
  /** Kafka topic the event is published on (`csm.<domain>.v<N>`). */
  readonly topic: string;
  readonly domain: string;
  readonly aggregate: string;
  readonly event: string;
  /** Fully-qualified proto message name of the payload ("csm.cases.v1.CaseOpened"). */
  readonly protoMessage: string;
  /** The generated ts-proto message object (encode/decode/fromPartial...). */
  readonly codec: MessageCodec<T>;
  /** Aggregate id of a payload: the message key. Empty when the payload lacks it (producers must reject that). */
  aggregateId(payload: T): string;
  /** proto3 JSON -> payload (the CloudEvents `data`). */
  fromJSON(json: unknown): T;
  /** payload -> proto3 JSON. */
  toJSON(payload: T): unknown;
}

/** Payload type of an EventSpec or EventCodec. */
export type PayloadOf<S> = S extends EventSpec<infer T> ? T : S extends EventCodec<infer T> ? T : never;

export type TopicEvents<E extends Record<string, EventSpec<unknown>>> = {
  readonly [K in keyof E & string]: EventCodec<PayloadOf<E[K]>> & { readonly type: K };
};

export interface TopicDefinition<Topic extends string, E extends Record<string, EventSpec<unknown>>> {
  readonly topic: Topic;
  /** Proto package of the payload messages ("csm.cases.v1"). */
  readonly protoPackage: string;
  readonly events: TopicEvents<E>;
  /** The declared event types, in declaration order. */
  readonly types: readonly (keyof E & string)[];
}

/** `csm.<domain>.v<N>` */
export const TOPIC_PATTERN = /^csm\.([a-z][a-z0-9]*)\.v([1-9][0-9]*)$/;
/** `csm.<domain>.<aggregate>.<event>.v<N>`; aggregate and event are lower snake_case. */
export const EVENT_TYPE_PATTERN = /^csm\.([a-z][a-z0-9]*)\.([a-z][a-z0-9_]*[a-z0-9])\.([a-z][a-z0-9_]*[a-z0-9])\.v([1-9][0-9]*)$/;

/** Declares one event type's payload: `event('CaseOpened', pb.CaseOpened, (e) => e.caseId)`. */
export function event<T>(messageName: string, codec: MessageCodec<T>, aggregateId: (payload: T) => string): EventSpec<T> {
  return { messageName, codec, aggregateId };
}

/**
 * Declares a topic and its event types. Throws at module load when a name is malformed or its domain/version does
 * not match the topic, so a typo can never reach a broker.
 */
export function defineTopic<const Topic extends string, E extends Record<string, EventSpec<unknown>>>(
  topic: Topic,
  protoPackage: string,
  specs: E,
): TopicDefinition<Topic, E> {
  const topicMatch = TOPIC_PATTERN.exec(topic);
  if (!topicMatch) throw new Error(`contracts: topic "${topic}" does not match csm.<domain>.v<N>`);
  const [, topicDomain, topicVersion] = topicMatch;
  const events: Record<string, EventCodec<unknown>> = {};
  for (const [type, spec] of Object.entries(specs)) {
    const m = EVENT_TYPE_PATTERN.exec(type);
    if (!m) throw new Error(`contracts: event type "${type}" does not match csm.<domain>.<aggregate>.<event>.v<N>`);
    const [, domain = '', aggregate = '', name = '', version] = m;
    if (domain !== topicDomain || version !== topicVersion) {
      throw new Error(`contracts: event type "${type}" does not belong on topic "${topic}"`);
    }
    const codec = spec.codec;
    events[type] = Object.freeze({
      type,
      topic,
      domain,
      aggregate,
      event: name,
      protoMessage: `${protoPackage}.${spec.messageName}`,
      codec,
      aggregateId: spec.aggregateId,
      fromJSON: (json: unknown) => codec.fromJSON(json),
      toJSON: (payload: unknown) => codec.toJSON(payload),
    });
  }
  return Object.freeze({
    topic,
    protoPackage,
    events: Object.freeze(events) as TopicEvents<E>,
    types: Object.freeze(Object.keys(specs)) as readonly (keyof E & string)[],
  });
}
