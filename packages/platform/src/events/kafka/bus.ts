/**
 * Kafka adapter of the bus ports (cluster mode).
 * - Publisher: the idempotent producer (acks=all, one in-flight request per broker connection), so retries after a
 *   lost ack never duplicate or reorder a partition's messages; the default (murmur2) partitioner keys by aggregate id.
 * - Subscriber: one kafkajs consumer per subscription, auto-commit OFF; the offset is committed only after the handler
 *   resolved (its transaction committed) or the message was dead-lettered. A consumer that dies before committing makes
 *   the group re-read the message: at-least-once, de-duplicated by createIdempotentHandler.
 * - A subscription with a `batchHandler` consumes with kafkajs `eachBatch`: each fetched partition batch is cut into
 *   chunks of `maxBatchSize` handed to the batch handler (falling back to one message at a time on failure, see
 *   batch-delivery.ts); offsets are resolved per chunk and committed with the same batching as single messages.
 */
import { Partitioners, type Batch, type Consumer, type IHeaders, type Kafka, type KafkaConfig, type KafkaMessage, type Producer } from 'kafkajs';
import { chunk, deliverBatch, resolveMaxBatchSize } from '../batch-delivery';
import { deliver } from '../delivery';
import { errorFields, fallbackLogger, type EventsLogger } from '../logger';
import type { ConsumerMetrics } from '../metrics';
import type { EnsureTopicsOptions, EventBatchHandler, EventBus, PublishRecord, SubscribeOptions, Subscription } from '../ports';
import { resolveRetryPolicy, type RetryPolicy } from '../retry';
import { assertTopicName } from '../topics';
import { toWireMessage, type WireMessage } from '../wire';
import { createKafkaClient } from './client';
import { ensureKafkaTopics } from './topics';

export interface KafkaConsumerTuning {
  /** Broker-side limits apply (group.min/max.session.timeout.ms). Default 10 s. */
  sessionTimeout?: number;
  /** Default 1 s. */
  heartbeatInterval?: number;
  /** Default 30 s. */
  rebalanceTimeout?: number;
  /** Long-poll wait. Default 500 ms. */
  maxWaitTimeInMs?: number;
  /** Partitions processed in parallel (each still in order). Default 1. */
  partitionsConsumedConcurrently?: number;
  /** How long subscribe() waits for the group join and first fetch. Default 60 s. */
  joinTimeoutMs?: number;
  /**
   * Offsets of handled messages are committed in batches: after this many messages or `commitIntervalMs`, whichever
   * comes first, and on stop. Default 100 and 1 s. Safe because handlers are idempotent: a crash re-delivers at most the
   * uncommitted handled messages, which the processed-events record turns into no-ops. 1 = commit after every message.
   */
  commitEveryMessages?: number;
  commitIntervalMs?: number;
}

export interface KafkaEventBusOptions {
  brokers: readonly string[];
  clientId: string;
  /** Reuse an existing client instead of creating one from brokers/clientId. */
  kafka?: Kafka;
  kafkaConfig?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator' | 'logLevel'>;
  logger?: EventsLogger;
  metrics?: ConsumerMetrics;
  /** Default retry policy of subscriptions. */
  retry?: Partial<RetryPolicy>;
  consumer?: KafkaConsumerTuning;
  topicDefaults?: EnsureTopicsOptions;
  /**
   * Producer retries per send before publish() rejects. Default 8 (≈ 10 s). Bounded on purpose: an endless retry
   * (kafkajs' idempotent default) would hang the relay while it holds its claim; a rejected publish leaves the rows
   * pending and the relay tries again later (at-least-once; the consumers dedupe).
   */
  producerRetries?: number;
}

export function createKafkaEventBus(options: KafkaEventBusOptions): EventBus {
  const logger = options.logger ?? fallbackLogger;
  const kafka =
    options.kafka ??
    createKafkaClient({
      brokers: options.brokers,
      clientId: options.clientId,
      logger,
      ...(options.kafkaConfig ? { config: options.kafkaConfig } : {}),
    });
  const tuning = options.consumer ?? {};
  const subscriptions = new Set<KafkaSubscription>();
  let producer: Producer | undefined;
  let producerReady: Promise<Producer> | undefined;
  let closed = false;

  function getProducer(): Promise<Producer> {
    if (closed) return Promise.reject(new Error('event bus is closed'));
    producerReady ??= (async () => {
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: { retries: options.producerRetries ?? 8, initialRetryTime: 100, maxRetryTime: 2_000 },
      });
      try {
        await p.connect();
      } catch (err) {
        producerReady = undefined;
        throw err;
      }
      producer = p;
      return p;
    })();
    return producerReady;
  }

  async function sendRaw(topic: string, messages: { key: Buffer | string | null; value: Buffer | string | null; headers: IHeaders }[]) {
    const p = await getProducer();
    await p.send({ topic, acks: -1, messages });
  }

  const bus: EventBus = {
    kind: 'kafka',

    async publish(records: readonly PublishRecord[]) {
      if (records.length === 0) return;
      // Group by topic keeping each topic's record order; kafkajs keeps per-partition order within a batch.
      const byTopic = new Map<string, { key: string | null; value: string | null; headers: IHeaders }[]>();
      for (const { topic, event } of records) {
        assertTopicName(topic);
        const wire = toWireMessage(event);
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push({ key: wire.key, value: wire.value, headers: wire.headers });
      }
      const p = await getProducer();
      await p.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    },

    async subscribe(opts: SubscribeOptions): Promise<Subscription> {
      if (closed) throw new Error('event bus is closed');
      if (opts.topics.length === 0) throw new RangeError('subscribe: topics must not be empty');
      opts.topics.forEach(assertTopicName);
      const policy = resolveRetryPolicy(options.retry, opts.retry);
      if (opts.batchHandler) resolveMaxBatchSize(opts.maxBatchSize);
      const sub = new KafkaSubscription(kafka, opts, policy, tuning, logger, options.metrics, sendRaw);
      subscriptions.add(sub);
      sub.onStopped = () => subscriptions.delete(sub);
      try {
        await sub.start();
      } catch (err) {
        await sub.stop();
        throw err;
      }
      return sub;
    },

    async ensureTopics(topics, ensureOptions) {
      await ensureKafkaTopics(kafka, topics, { ...options.topicDefaults, ...ensureOptions });
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      if (producerReady) {
        await producerReady.catch(() => undefined);
        await producer?.disconnect();
      }
    },
  };
  return bus;
}

type SendRaw = (topic: string, messages: { key: Buffer | string | null; value: Buffer | string | null; headers: IHeaders }[]) => Promise<void>;

class KafkaSubscription implements Subscription {
  readonly groupId: string;
  onStopped: () => void = () => undefined;
  private readonly consumer: Consumer;
  private readonly abort = new AbortController();
  private stopping: Promise<void> | undefined;
  /** Next offset to commit per topic-partition: handled, not yet committed. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private handledSinceCommit = 0;
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    kafka: Kafka,
    private readonly opts: SubscribeOptions,
    private readonly policy: RetryPolicy,
    private readonly tuning: KafkaConsumerTuning,
    private readonly logger: EventsLogger,
    private readonly metrics: ConsumerMetrics | undefined,
    private readonly sendRaw: SendRaw,
  ) {
    this.groupId = opts.groupId;
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      sessionTimeout: tuning.sessionTimeout ?? 10_000,
      heartbeatInterval: tuning.heartbeatInterval ?? 1_000,
      rebalanceTimeout: tuning.rebalanceTimeout ?? 30_000,
      maxWaitTimeInMs: tuning.maxWaitTimeInMs ?? 500,
      allowAutoTopicCreation: false,
    });
  }

  async start(): Promise<void> {
    const { consumer, groupId } = this;
    // Live = joined AND the first fetch ran, since kafkajs resolves a new group's start offset (earliest/latest) on its
    // first fetch: only then is "fromBeginning: false" anchored before subscribe() returns.
    let liveResolve!: () => void;
    let liveReject!: (e: Error) => void;
    const live = new Promise<void>((res, rej) => {
      liveResolve = res;
      liveReject = rej;
    });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      joined = true;
      // A member with no partitions never fetches.
      if (Object.values(e.payload.memberAssignment).every((partitions) => partitions.length === 0)) liveResolve();
    });
    consumer.on(consumer.events.FETCH, () => {
      if (joined) liveResolve();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const error = e.payload.error;
      this.metrics?.onConsumerError?.({ groupId, error });
      this.logger.error({ groupId, restart: e.payload.restart, ...errorFields(error) }, 'kafka consumer crashed');
      if (!e.payload.restart) liveReject(error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.opts.topics], fromBeginning: this.opts.fromBeginning ?? true });
    const partitionsConsumedConcurrently = this.tuning.partitionsConsumedConcurrently ?? 1;
    const batchHandler = this.opts.batchHandler;
    if (batchHandler) {
      const maxBatchSize = resolveMaxBatchSize(this.opts.maxBatchSize);
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently,
        // Only chunks that were handled are resolved: the rest of a batch is fetched again after a stop or rebalance.
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (const part of chunk(batch.messages, maxBatchSize)) {
            // Stopping or partition revoked: leave the rest uncommitted; the group re-reads it.
            if (this.abort.signal.aborted || !isRunning() || isStale()) return;
            const done = await this.handleBatch(batch, part, batchHandler, heartbeat);
            const last = done > 0 ? part[done - 1] : undefined;
            if (last) resolveOffset(last.offset);
            if (done < part.length) return;
            await heartbeat();
          }
        },
      });
    } else {
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          // Stopping: leave the message uncommitted; the group re-reads it.
          if (this.abort.signal.aborted) return;
          await this.handle(topic, partition, message, heartbeat);
        },
      });
    }
    const joinTimeoutMs = this.tuning.joinTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`consumer group ${groupId} did not start within ${joinTimeoutMs} ms`)), joinTimeoutMs);
    });
    try {
      await Promise.race([live, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async handle(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>) {
    const wire: WireMessage = {
      key: message.key ? message.key.toString('utf8') : null,
      value: message.value ? message.value.toString('utf8') : null,
      headers: headersToStrings(message.headers),
    };
    const outcome = await deliver({
      message: wire,
      topic,
      partition,
      offset: message.offset,
      groupId: this.groupId,
      handler: this.opts.handler,
      policy: this.policy,
      signal: this.abort.signal,
      heartbeat,
      metrics: this.metrics,
      logger: this.logger,
    });
    if (outcome.kind === 'aborted') return;
    if (outcome.kind === 'dead-letter') {
      // The original bytes go to the DLQ untouched, plus the dlq_* headers.
      await this.sendRaw(outcome.topic, [{ key: message.key, value: message.value, headers: { ...message.headers, ...outcome.headers } }]);
    }
    await this.markHandled(topic, partition, message.offset, 1);
  }

  /** Delivers `messages` (consecutive, of one partition) as a batch; returns how many, from the first, are done. */
  private async handleBatch(batch: Batch, messages: readonly KafkaMessage[], batchHandler: EventBatchHandler, heartbeat: () => Promise<void>): Promise<number> {
    const { topic, partition } = batch;
    const { outcomes } = await deliverBatch({
      messages: messages.map((m) => ({
        offset: m.offset,
        message: { key: m.key ? m.key.toString('utf8') : null, value: m.value ? m.value.toString('utf8') : null, headers: headersToStrings(m.headers) },
      })),
      topic,
      partition,
      groupId: this.groupId,
      handler: this.opts.handler,
      batchHandler,
      policy: this.policy,
      signal: this.abort.signal,
      heartbeat,
      metrics: this.metrics,
      logger: this.logger,
    });
    // Dead letters first (original bytes untouched, plus the dlq_* headers), then the offsets move past them.
    const dead = outcomes.flatMap((o, i) => {
      const m = messages[i];
      return o.kind === 'dead-letter' && m ? [{ topic: o.topic, message: { key: m.key, value: m.value, headers: { ...m.headers, ...o.headers } } }] : [];
    });
    for (const [dlq, list] of groupBy(dead, (d) => d.topic)) await this.sendRaw(dlq, list.map((d) => d.message));
    const last = outcomes.length > 0 ? messages[outcomes.length - 1] : undefined;
    if (last) await this.markHandled(topic, partition, last.offset, outcomes.length);
    return outcomes.length;
  }

  /** Records `offset` (and everything before it) of the partition as handled and commits when a batch is due. */
  private async markHandled(topic: string, partition: number, offset: string, count: number): Promise<void> {
    // Finished after stop() made its last commit: the consumer is going away, the group re-reads (and dedupes) it.
    if (this.abort.signal.aborted && this.stopping) return;
    this.uncommitted.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    this.handledSinceCommit += count;
    if (this.handledSinceCommit >= (this.tuning.commitEveryMessages ?? 100)) await this.commitHandled();
    else this.commitTimer ??= setTimeout(() => void this.commitHandled(), this.tuning.commitIntervalMs ?? 1_000);
  }

  /** Commits the offsets of every handled message. A failure (typically a rebalance took the partition away) only
   * means the new owner re-reads those messages, which the processed-events record makes no-ops. */
  private async commitHandled(): Promise<void> {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    if (this.uncommitted.size === 0) return;
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    this.handledSinceCommit = 0;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      this.metrics?.onConsumerError?.({ groupId: this.groupId, error: err });
      this.logger.warn({ groupId: this.groupId, ...errorFields(err) }, 'offset commit failed; the messages will be re-delivered');
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      try {
        await this.commitHandled();
        await this.consumer.disconnect();
      } finally {
        this.onStopped();
      }
    })();
    return this.stopping;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : first;
  }
  return out;
}
