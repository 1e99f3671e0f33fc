/**
 * The bus ports. Two adapters implement them with the same semantics: Kafka (cluster) and the in-process bus
 * (embedded). Both are checked by one contract test suite.
 *
 * Semantics every adapter guarantees:
 * - `publish` resolves only once the messages are durably accepted (Kafka: acks=all from the idempotent producer;
 *   in-process: committed to the embedded database's log). Records with the same key on a topic keep their order.
 * - Consumer groups: each group sees every message of its topics; within a group a partition is processed by one
 *   member at a time, in order. The group's offset for a message is committed only after the handler resolved (i.e.
 *   after the handler's own transaction committed), so delivery is at-least-once: handlers must be idempotent (see
 *   `createIdempotentHandler`).
 * - A failing handler is retried with backoff, up to `retry.maxAttempts` deliveries in all; then the original message
 *   goes to `<topic>.dlq` with `dlq_*` headers describing the failure, and the group moves on.
 * - Optional batch consumption (`batchHandler`): consecutive messages of one partition in one call, offsets committed
 *   after it resolved; a failed batch is re-delivered message by message through `handler` (retries, DLQ as above).
 */
import type { CloudEvent } from './envelope';
import type { RetryPolicy } from './retry';

export interface PublishRecord {
  topic: string;
  event: CloudEvent;
}

export interface EventPublisher {
  /** Publishes in order; resolves once all records are durably accepted, rejects if any was not. */
  publish(records: readonly PublishRecord[]): Promise<void>;
}

/** Where a delivered event came from, for handlers that need it (logging, metrics, dedupe diagnostics). */
export interface EventContext {
  readonly topic: string;
  readonly partition: number;
  /** Offset within the partition, as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
  readonly groupId: string;
  /** 1 on first delivery by this consumer, incremented on each retry. */
  readonly attempt: number;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export type EventHandler = (event: CloudEvent, ctx: EventContext) => Promise<void>;

/** One delivered message of a batch: the event and where it came from. */
export interface DeliveredEvent {
  readonly event: CloudEvent;
  readonly ctx: EventContext;
}

/**
 * Handles several consecutive messages of ONE partition at once, in offset order (typically in one database
 * transaction: see `createIdempotentBatchHandler`). It must be all-or-nothing: when it throws, the bus falls back to
 * the subscription's per-message `handler` for every message of that batch (with the usual bounded retries and DLQ),
 * so one poison message is dead-lettered while the others still take effect.
 */
export type EventBatchHandler = (batch: readonly DeliveredEvent[]) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group id; conventionally `<service>.<purpose>`. */
  groupId: string;
  topics: readonly string[];
  handler: EventHandler;
  /**
   * Optional batch consumption: when set, the bus hands consecutive messages of one partition to `batchHandler`
   * (up to `maxBatchSize`, as many as are already fetched: it never waits to fill a batch) and commits their offsets
   * once it resolved. `handler` is still required: it handles every message of a failed batch one at a time.
   */
  batchHandler?: EventBatchHandler;
  /** Most messages per `batchHandler` call. Default 500. */
  maxBatchSize?: number;
  /** Overrides the bus's default retry policy for this subscription. */
  retry?: Partial<RetryPolicy>;
  /**
   * Where a group with no committed offset starts. Default true (earliest): an event published before a new group's
   * first start is still processed, which is what at-least-once needs.
   */
  fromBeginning?: boolean;
}

export interface Subscription {
  readonly groupId: string;
  /** Stops consuming: waits for the in-flight message to finish (or abandons its retry back-off, uncommitted). */
  stop(): Promise<void>;
}

export interface EventSubscriber {
  /** Resolves once the subscription is live (Kafka: the group has been joined). */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
}

export interface EnsureTopicsOptions {
  /** Default 3 for Kafka, 1 for the in-process bus. */
  partitions?: number;
  /** Kafka only; default 1. */
  replicationFactor?: number;
  /** Also create `<topic>.dlq` (default true). */
  withDlq?: boolean;
}

export interface EventBus extends EventPublisher, EventSubscriber {
  readonly kind: 'kafka' | 'in-process';
  /** Creates topics (and their DLQs) that do not exist yet; existing topics are left as they are. */
  ensureTopics(topics: readonly string[], options?: EnsureTopicsOptions): Promise<void>;
  /** Stops all subscriptions (draining in-flight messages) and releases connections. */
  close(): Promise<void>;
}
