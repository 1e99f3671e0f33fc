/**
 * Outbox relay: publishes committed outbox rows through an EventPublisher, in `seq` order, then marks them published.
 *
 * At-least-once: a row is marked only after `publish` resolved (the bus durably accepted it). A relay that dies between
 * the two leaves the row unpublished, so a later cycle publishes it again with the SAME event id; consumers dedupe
 * (createIdempotentHandler).
 *
 * Several replicas (PostgreSQL): each cycle claims a batch with `FOR UPDATE SKIP LOCKED` in a transaction held until
 * the rows are marked, so replicas never publish the same row concurrently. To keep one aggregate's events in order
 * across replicas, a claimed row is held back when an earlier unpublished row of the same aggregate is claimed by
 * another replica; it goes out in a later cycle, after that one.
 *
 * PGlite (embedded): one process, one relay per database. PGlite serializes connections, so the relay must not hold a
 * transaction while publishing (the in-process bus writes to an embedded database too): it selects, publishes and marks
 * with plain statements. Cycles of one relay never overlap.
 */
import { AsyncResource } from 'node:async_hooks';
import type { SqlDb, SqlExecutor } from '../stores/sql';
import type { CloudEvent } from './envelope';
import { errorFields, fallbackLogger, type EventsLogger } from './logger';
import type { RelayMetrics } from './metrics';
import { cleanupOutbox, countPendingOutbox } from './outbox';
import type { EventPublisher } from './ports';
import { runInProducerSpan } from './trace';

export interface OutboxRelayOptions {
  db: SqlDb;
  publisher: EventPublisher;
  /** Rows per publish call. Default 100. */
  batchSize?: number;
  /** How often to look for rows when not nudged. Default 500 ms. */
  pollIntervalMs?: number;
  /** Cap of the exponential back-off after failed cycles. Default 10 s. */
  maxErrorBackoffMs?: number;
  /** Deletion of published rows; false disables it. Default: keep 24 h, clean every 10 min. */
  retention?: { publishedRetentionMs: number; cleanupIntervalMs?: number } | false;
  /** How long `stop()` keeps publishing what is already committed. Default 10 s. */
  drainTimeoutMs?: number;
  logger?: EventsLogger;
  metrics?: RelayMetrics;
  /**
   * Awaited after a batch was published and before it is marked. For instrumentation and fault-injection tests
   * (e.g. kill the process here to prove republishing).
   */
  afterPublish?: (events: readonly CloudEvent[]) => Promise<void> | void;
}

export interface OutboxRelay {
  /** Starts polling (idempotent). */
  start(): void;
  /** Asks for a cycle now, e.g. right after a transaction that appended events committed. */
  notify(): void;
  /** One claim → publish → mark cycle; returns the number of events published. Never overlaps another cycle. */
  runOnce(): Promise<number>;
  /** Cycles until the outbox has nothing left to publish; returns the total published. */
  drain(): Promise<number>;
  /** Stops polling, waits for the running cycle, then drains what is committed (bounded by drainTimeoutMs). */
  stop(): Promise<void>;
  readonly running: boolean;
}

interface ClaimedRow {
  seq_text: string;
  aggregate_id: string;
  topic: string;
  envelope: CloudEvent | string;
  age_ms: number | string;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, publisher } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const maxErrorBackoffMs = options.maxErrorBackoffMs ?? 10_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const retention = options.retention === undefined ? { publishedRetentionMs: 24 * 3600_000 } : options.retention;
  const logger = options.logger ?? fallbackLogger;
  const metrics = options.metrics ?? {};
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be an integer ≥ 1');

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let cleanupTimer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let nudged = false;
  let failures = 0;
  // Serializes cycles of this relay (the loop, runOnce callers, drain).
  let chain: Promise<unknown> = Promise.resolve();
  // Timer callbacks inherit the async context of whoever scheduled them; a notify() from inside a transaction callback
  // must not make the loop look "inside that transaction" to the SQL adapters, so the loop runs in the creation context.
  const home = new AsyncResource('csm.outbox-relay');

  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  async function cycle(): Promise<number> {
    return db.dialect === 'pg' ? db.transaction((tx) => publishBatch(tx, true)) : publishBatch(db, false);
  }

  async function publishBatch(sql: SqlExecutor, lock: boolean): Promise<number> {
    const claimed = await sql.query<ClaimedRow>(
      // Ordered by the bigint column (o.seq), not the text alias: '10' < '9' as text.
      `SELECT o.seq::text AS seq_text, o.aggregate_id, o.topic, o.envelope,
              (extract(epoch FROM (clock_timestamp() - o.created_at)) * 1000)::float8 AS age_ms
         FROM outbox o WHERE o.published_at IS NULL ORDER BY o.seq LIMIT $1${lock ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [batchSize],
    );
    let rows = claimed.rows;
    if (rows.length === 0) return 0;
    if (lock) rows = await holdBackOutOfOrder(sql, rows);
    if (rows.length === 0) return 0;
    const events = rows.map((r) => (typeof r.envelope === 'string' ? (JSON.parse(r.envelope) as CloudEvent) : r.envelope));
    const started = Date.now();
    await runInProducerSpan('outbox publish', { 'messaging.batch.message_count': events.length }, () =>
      publisher.publish(rows.map((r, i) => ({ topic: r.topic, event: events[i] as CloudEvent }))),
    );
    if (options.afterPublish) await options.afterPublish(events);
    await sql.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq_text)]);
    metrics.onPublished?.({
      count: rows.length,
      durationMs: Date.now() - started,
      lagMs: Math.max(...rows.map((r) => Number(r.age_ms))),
    });
    return rows.length;
  }

  /** Drops claimed rows whose aggregate has an earlier unpublished row this relay did not claim (another replica has it). */
  async function holdBackOutOfOrder(sql: SqlExecutor, rows: ClaimedRow[]): Promise<ClaimedRow[]> {
    const seqs = rows.map((r) => r.seq_text);
    const aggregates = [...new Set(rows.map((r) => r.aggregate_id))];
    const maxSeq = seqs[seqs.length - 1];
    const earlier = await sql.query<{ aggregate_id: string; first_seq: string }>(
      `SELECT aggregate_id, min(seq)::text AS first_seq FROM outbox
        WHERE published_at IS NULL AND aggregate_id = ANY($1::text[]) AND seq < $2::bigint AND NOT (seq = ANY($3::bigint[]))
        GROUP BY aggregate_id`,
      [aggregates, maxSeq, seqs],
    );
    if (earlier.rows.length === 0) return rows;
    const firstForeign = new Map(earlier.rows.map((r) => [r.aggregate_id, BigInt(r.first_seq)]));
    return rows.filter((r) => {
      const f = firstForeign.get(r.aggregate_id);
      return f === undefined || BigInt(r.seq_text) < f;
    });
  }

  const runOnce = () => serialized(cycle);

  async function drainFor(deadline: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await runOnce();
      total += n;
      if (n === 0 || Date.now() >= deadline) break;
    }
    if (metrics.onBacklog) metrics.onBacklog({ pending: await countPendingOutbox(db) });
    return total;
  }

  function schedule(ms: number) {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        home.runInAsyncScope(() => {
          timer = undefined;
          loop = tick();
        }),
      ms,
    );
    timer.unref?.();
  }

  async function tick(): Promise<void> {
    nudged = false;
    try {
      await drainFor(Number.POSITIVE_INFINITY);
      failures = 0;
    } catch (err) {
      failures++;
      metrics.onError?.({ error: err });
      logger.error({ ...errorFields(err), failures }, 'outbox relay cycle failed: will retry');
    }
    loop = undefined;
    if (failures > 0) schedule(Math.min(maxErrorBackoffMs, pollIntervalMs * 2 ** Math.min(failures, 16)));
    else schedule(nudged ? 0 : pollIntervalMs);
  }

  async function cleanup() {
    if (!retention) return;
    try {
      const deleted = await cleanupOutbox(db, { retentionMs: retention.publishedRetentionMs });
      metrics.onCleanup?.({ deleted });
    } catch (err) {
      logger.error(errorFields(err), 'outbox cleanup failed: will retry');
    }
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      schedule(0);
      if (retention) {
        cleanupTimer = setInterval(() => void cleanup(), retention.cleanupIntervalMs ?? 10 * 60_000);
        cleanupTimer.unref?.();
      }
    },
    notify() {
      if (!running) return;
      if (loop) nudged = true;
      else schedule(0);
    },
    runOnce,
    drain: () => drainFor(Number.POSITIVE_INFINITY),
    async stop() {
      if (!running) return;
      running = false;
      clearTimeout(timer);
      clearInterval(cleanupTimer);
      timer = undefined;
      await loop;
      try {
        await drainFor(Date.now() + drainTimeoutMs);
      } catch (err) {
        logger.error(errorFields(err), 'outbox relay could not drain on stop: rows stay for the next start');
      }
    },
  };
}
