/**
 * In-process adapter of the bus ports (embedded mode): the same semantics as the Kafka adapter without a broker.
 *
 * - Topics are partitioned logs in the embedded database (log-store.ts); a message's partition is a hash of its key, so
 *   one aggregate's events keep their order.
 * - `publish` resolves once the messages are committed to that log, so the outbox relay marks a row published only when
 *   the message is durable. A crash after that loses nothing: see log-store.ts.
 * - Consumer groups: for every (group, topic, partition) one worker delivers messages in order to the group member the
 *   partition is assigned to (partition index modulo the members subscribed to the topic), and commits the group's
 *   offset in the database only after the handler resolved. Failures are retried with back-off, then the message is
 *   dead-lettered to `<topic>.dlq` in the same transaction that commits the offset. A subscription with a
 *   `batchHandler` gets what one read returned (up to `readBatchSize`, cut to `maxBatchSize`) per call, and the offset
 *   (with any dead letters of the batch) is committed once per batch.
 * One bus instance per database: offsets are not fenced against a second process sharing the log.
 */
import type { SqlDb } from '../../stores/sql';
import { chunk, deliverBatch, resolveMaxBatchSize } from '../batch-delivery';
import { abortableSleep, deliver } from '../delivery';
import { errorFields, fallbackLogger, type EventsLogger } from '../logger';
import type { ConsumerMetrics } from '../metrics';
import type { EnsureTopicsOptions, EventBatchHandler, EventBus, PublishRecord, SubscribeOptions, Subscription } from '../ports';
import { resolveRetryPolicy, type RetryPolicy } from '../retry';
import { assertTopicName, dlqTopicFor } from '../topics';
import { toWireMessage } from '../wire';
import { LogStore, type Append, type LoggedMessage } from './log-store';

export interface InProcessEventBusOptions {
  /** Where the log and offsets live (the embedded PGlite database, typically under ./.csm-data). */
  db: SqlDb;
  logger?: EventsLogger;
  metrics?: ConsumerMetrics;
  /** Default retry policy of subscriptions. */
  retry?: Partial<RetryPolicy>;
  /** Partitions of topics created by ensureTopics without an explicit count. Default 1. */
  defaultPartitions?: number;
  /** Time-based log retention; false keeps everything. Default: 7 days, checked every 10 min. */
  retention?: { retentionMs: number; cleanupIntervalMs?: number } | false;
  /** Messages read per query by a partition worker. Default 100. */
  readBatchSize?: number;
  /** Safety-net re-check of an idle partition (appends wake workers immediately). Default 1 s. */
  idlePollMs?: number;
}

/** Creates the bus: ensures its tables exist and loads the known topics. */
export async function createInProcessEventBus(options: InProcessEventBusOptions): Promise<EventBus> {
  const bus = new InProcessBus(options);
  await bus.init();
  return bus;
}

class Member implements Subscription {
  readonly abort = new AbortController();
  onStop: () => Promise<void> = async () => undefined;
  private stopping: Promise<void> | undefined;
  constructor(
    readonly seq: number,
    readonly opts: SubscribeOptions,
    readonly policy: RetryPolicy,
  ) {}
  get groupId() {
    return this.opts.groupId;
  }
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      await this.onStop();
    })();
    return this.stopping;
  }
}

class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly store: LogStore;
  private readonly logger: EventsLogger;
  private topics = new Map<string, number>();
  private readonly groups = new Map<string, Member[]>();
  private readonly workers = new Map<string, PartitionWorker>();
  private readonly roundRobin = new Map<string, number>();
  private appendChain: Promise<unknown> = Promise.resolve();
  private memberSeq = 0;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(readonly options: InProcessEventBusOptions) {
    this.store = new LogStore(options.db);
    this.logger = options.logger ?? fallbackLogger;
  }

  async init(): Promise<void> {
    await this.store.init();
    this.topics = await this.store.topics();
    const retention = this.options.retention === undefined ? { retentionMs: 7 * 24 * 3600_000 } : this.options.retention;
    if (retention) {
      this.cleanupTimer = setInterval(() => {
        this.store.deleteOlderThan(retention.retentionMs).catch((err) => this.logger.error(errorFields(err), 'in-process bus retention failed'));
      }, retention.cleanupIntervalMs ?? 10 * 60_000);
      this.cleanupTimer.unref?.();
    }
  }

  async ensureTopics(topics: readonly string[], options: EnsureTopicsOptions = {}): Promise<void> {
    const partitions = options.partitions ?? this.options.defaultPartitions ?? 1;
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError('partitions must be an integer ≥ 1');
    for (const t of topics) {
      assertTopicName(t);
      const names = options.withDlq ?? true ? [t, dlqTopicFor(t)] : [t];
      for (const name of names) if (!this.topics.has(name)) await this.store.createTopic(name, partitions);
    }
    this.topics = await this.store.topics();
  }

  async publish(records: readonly PublishRecord[]): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    if (records.length === 0) return;
    const appends: Append[] = records.map(({ topic, event }) => {
      const message = toWireMessage(event);
      return { topic, partition: this.partitionFor(topic, message.key), message };
    });
    // One append transaction at a time keeps offsets gap-free and in publish order.
    const run = this.appendChain.then(() => this.store.append(appends));
    this.appendChain = run.catch(() => undefined);
    await run;
    for (const a of appends) this.appended(a.topic, a.partition);
  }

  /** Wakes the workers of a partition that just received messages. */
  appended(topic: string, partition: number): void {
    for (const w of this.workers.values()) if (w.topic === topic && w.partition === partition) w.wake();
  }

  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('event bus is closed');
    if (opts.topics.length === 0) throw new RangeError('subscribe: topics must not be empty');
    for (const t of opts.topics) {
      assertTopicName(t);
      if (!this.topics.has(t)) throw new Error(`in-process bus: topic ${t} does not exist (call ensureTopics first)`);
    }
    if (opts.batchHandler) resolveMaxBatchSize(opts.maxBatchSize);
    const member = new Member(++this.memberSeq, opts, resolveRetryPolicy(this.options.retry, opts.retry));
    const members = this.groups.get(opts.groupId) ?? [];
    members.push(member);
    this.groups.set(opts.groupId, members);
    member.onStop = () => this.leave(member);
    const starting: PartitionWorker[] = [];
    for (const topic of opts.topics) {
      const partitions = this.topics.get(topic) ?? 0;
      for (let p = 0; p < partitions; p++) {
        const id = `${opts.groupId}\u0000${topic}\u0000${p}`;
        if (this.workers.get(id)?.active) continue;
        const worker = new PartitionWorker(this, this.store, opts.groupId, topic, p, opts.fromBeginning ?? true);
        this.workers.set(id, worker);
        starting.push(worker);
        worker.start(() => this.workers.get(id) === worker && this.workers.delete(id));
      }
    }
    // Live once every new worker knows its start offset, so `fromBeginning: false` is anchored before we return.
    await Promise.all(starting.map((w) => w.positioned));
    return member;
  }

  /** The member that currently owns (group, topic, partition), or none when nobody in the group subscribes to it. */
  assignee(groupId: string, topic: string, partition: number): Member | undefined {
    const members = (this.groups.get(groupId) ?? []).filter((m) => m.opts.topics.includes(topic));
    return members[partition % Math.max(1, members.length)];
  }

  private async leave(member: Member): Promise<void> {
    const members = (this.groups.get(member.groupId) ?? []).filter((m) => m !== member);
    if (members.length > 0) this.groups.set(member.groupId, members);
    else this.groups.delete(member.groupId);
    // Wait for workers busy with this member's delivery; idle ones just re-check their assignment.
    await Promise.all([...this.workers.values()].filter((w) => w.groupId === member.groupId).map((w) => w.rebalance()));
  }

  partitionFor(topic: string, key: string | null): number {
    const partitions = this.topics.get(topic);
    if (partitions === undefined) throw new Error(`in-process bus: topic ${topic} does not exist (call ensureTopics first)`);
    if (key === null) {
      const next = ((this.roundRobin.get(topic) ?? -1) + 1) % partitions;
      this.roundRobin.set(topic, next);
      return next;
    }
    return fnv1a(key) % partitions;
  }

  get deps() {
    return { logger: this.logger, metrics: this.options.metrics, readBatchSize: this.options.readBatchSize ?? 100, idlePollMs: this.options.idlePollMs ?? 1000 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.cleanupTimer);
    const members = [...this.groups.values()].flat();
    await Promise.all(members.map((m) => m.stop()));
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }
}

/** Delivers one (group, topic, partition) in offset order; lives while the group has a member for the topic. */
class PartitionWorker {
  private wakeUp: (() => void) | undefined;
  private stopped = false;
  private done: Promise<void> = Promise.resolve();
  private inFlight: Promise<unknown> | undefined;
  private markPositioned!: () => void;
  /** Resolves once the worker has loaded its start offset (or gave up trying). */
  readonly positioned = new Promise<void>((resolve) => (this.markPositioned = resolve));

  constructor(
    private readonly bus: InProcessBus,
    private readonly store: LogStore,
    readonly groupId: string,
    readonly topic: string,
    readonly partition: number,
    private readonly fromBeginning: boolean,
  ) {}

  /** False once the worker has decided to exit (a new subscriber then needs a new worker). */
  get active(): boolean {
    return !this.stopped;
  }

  start(onExit: () => void) {
    this.done = this.run().finally(() => {
      this.stopped = true;
      onExit();
    });
  }

  wake() {
    this.wakeUp?.();
  }

  /** Membership changed: let the in-flight delivery finish; the loop re-reads the assignment and exits when orphaned. */
  async rebalance(): Promise<void> {
    this.wake();
    // A failed delivery is logged and retried by the run loop; here we only wait for it to settle.
    await this.inFlight?.then(
      () => undefined,
      () => undefined,
    );
    if (!this.bus.assignee(this.groupId, this.topic, this.partition)) await this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    const { logger, metrics, readBatchSize, idlePollMs } = this.bus.deps;
    let next: bigint | undefined;
    let failures = 0;
    while (!this.stopped && this.bus.assignee(this.groupId, this.topic, this.partition)) {
      try {
        next ??=
          (await this.store.committed(this.groupId, this.topic, this.partition)) ??
          (this.fromBeginning ? 0n : await this.store.endOffset(this.topic, this.partition));
        this.markPositioned();
        const batch = await this.store.read(this.topic, this.partition, next, readBatchSize);
        if (batch.length === 0) {
          await this.idle(idlePollMs);
          continue;
        }
        const batchMember = this.bus.assignee(this.groupId, this.topic, this.partition);
        if (batchMember?.opts.batchHandler) {
          for (const part of chunk(batch, resolveMaxBatchSize(batchMember.opts.maxBatchSize))) {
            const member = this.bus.assignee(this.groupId, this.topic, this.partition);
            // Reassigned to a member without a batch handler: the next read delivers one at a time.
            if (this.stopped || !member?.opts.batchHandler) break;
            const work = this.deliverMany(member, member.opts.batchHandler, part);
            this.inFlight = work;
            const done = await work.finally(() => (this.inFlight = undefined));
            const last = done > 0 ? part[done - 1] : undefined;
            if (last) next = last.offset + 1n;
            // Not all committed (member stopped mid-retry): re-read from the committed offset for the next assignee.
            if (done < part.length) {
              next = undefined;
              break;
            }
          }
          failures = 0;
          continue;
        }
        for (const message of batch) {
          const member = this.bus.assignee(this.groupId, this.topic, this.partition);
          if (this.stopped || !member) break;
          const work = this.deliverOne(member, message);
          this.inFlight = work;
          const committed = await work.finally(() => (this.inFlight = undefined));
          // Not committed (member stopped mid-retry): re-read from the committed offset for the next assignee.
          if (!committed) {
            next = undefined;
            break;
          }
          next = message.offset + 1n;
        }
        failures = 0;
      } catch (err) {
        failures++;
        next = undefined;
        this.markPositioned(); // don't hold subscribe() hostage to a database outage; the loop keeps retrying
        metrics?.onConsumerError?.({ groupId: this.groupId, error: err });
        logger.error({ groupId: this.groupId, topic: this.topic, partition: this.partition, ...errorFields(err) }, 'in-process consumer failed: will retry');
        await this.idle(Math.min(10_000, 200 * 2 ** Math.min(failures, 6)));
      }
    }
    // Synchronously with the exit decision, so a subscriber arriving now starts a fresh worker.
    this.stopped = true;
    this.markPositioned();
  }

  /** True when the offset was committed (handled or dead-lettered). */
  private async deliverOne(member: Member, message: LoggedMessage): Promise<boolean> {
    const { logger, metrics } = this.bus.deps;
    const outcome = await deliver({
      message,
      topic: this.topic,
      partition: this.partition,
      offset: message.offset.toString(),
      groupId: this.groupId,
      handler: member.opts.handler,
      policy: member.policy,
      signal: member.abort.signal,
      metrics,
      logger,
    });
    if (outcome.kind === 'aborted') return false;
    // The original message goes to the DLQ untouched plus the dlq_* headers, atomically with the offset commit.
    const deadLetter: Append | undefined =
      outcome.kind === 'dead-letter'
        ? {
            topic: outcome.topic,
            partition: this.bus.partitionFor(outcome.topic, message.key),
            message: { key: message.key, value: message.value, headers: { ...message.headers, ...outcome.headers } },
          }
        : undefined;
    await this.store.commit(this.groupId, this.topic, this.partition, message.offset + 1n, deadLetter);
    if (deadLetter) this.bus.appended(deadLetter.topic, deadLetter.partition);
    return true;
  }

  /** Delivers consecutive messages through the member's batch handler; returns how many, from the first, were committed. */
  private async deliverMany(member: Member, batchHandler: EventBatchHandler, messages: readonly LoggedMessage[]): Promise<number> {
    const { logger, metrics } = this.bus.deps;
    const { outcomes } = await deliverBatch({
      messages: messages.map((m) => ({ message: m, offset: m.offset.toString() })),
      topic: this.topic,
      partition: this.partition,
      groupId: this.groupId,
      handler: member.opts.handler,
      batchHandler,
      policy: member.policy,
      signal: member.abort.signal,
      metrics,
      logger,
    });
    const last = outcomes.length > 0 ? messages[outcomes.length - 1] : undefined;
    if (!last) return 0;
    // Dead letters (original message untouched plus the dlq_* headers) atomically with the offset commit.
    const deadLetters: Append[] = outcomes.flatMap((o, i) => {
      const m = messages[i];
      return o.kind === 'dead-letter' && m
        ? [{ topic: o.topic, partition: this.bus.partitionFor(o.topic, m.key), message: { key: m.key, value: m.value, headers: { ...m.headers, ...o.headers } } }]
        : [];
    });
    await this.store.commit(this.groupId, this.topic, this.partition, last.offset + 1n, deadLetters);
    for (const d of deadLetters) this.bus.appended(d.topic, d.partition);
    return outcomes.length;
  }

  private async idle(ms: number) {
    if (this.stopped) return;
    const ctl = new AbortController();
    this.wakeUp = () => ctl.abort();
    await abortableSleep(ms, ctl.signal);
    this.wakeUp = undefined;
  }
}

/** 32-bit FNV-1a of the key's UTF-8 bytes: a stable key → partition mapping. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
