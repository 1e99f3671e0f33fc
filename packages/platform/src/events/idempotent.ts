/**
 * Idempotent consumer: the event id is recorded in `processed_events` in the SAME transaction as the handler's effect.
 * A redelivered event (relay republished it, or the consumer died before committing its offset) finds its id already
 * recorded and is skipped, so every event takes effect exactly once even though delivery is at-least-once.
 * Concurrent deliveries of one event serialize on the primary key: the second waits for the first to commit, then
 * sees the conflict and skips.
 */
import type { Migration } from '../stores/migrations/migration';
import type { SqlDb, SqlExecutor, SqlTx } from '../stores/sql';
import type { CloudEvent } from './envelope';
import type { DeliveredEvent, EventBatchHandler, EventContext, EventHandler } from './ports';

/** Include in every event-consuming service's migrations (idempotent DDL). */
export const PROCESSED_EVENTS_MIGRATION_SQL = `
CREATE TABLE IF NOT EXISTS processed_events (
  consumer     text        NOT NULL,
  event_id     text        NOT NULL,
  event_type   text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_events_processed_at_idx ON processed_events (processed_at);
`;

/** The processed_events DDL as a numbered migration for `migrate(db, { service, migrations })`. */
export function processedEventsMigration(version: number): Migration {
  return { version, name: 'events_processed_events', sql: PROCESSED_EVENTS_MIGRATION_SQL };
}

/** The effect of an event, run inside the de-duplicating transaction: do every write through `tx`. */
export type IdempotentEffect = (event: CloudEvent, tx: SqlTx, ctx: EventContext) => Promise<void>;

export interface IdempotentHandlerOptions {
  /** Called (outside the transaction) when a delivery was a duplicate and was skipped. */
  onDuplicate?: (event: CloudEvent, ctx: EventContext) => void;
}

/**
 * Wraps `effect` so it runs at most once per (consumerName, event id). `consumerName` is usually the consumer group:
 * two different consumers of one event each apply it once.
 */
export function createIdempotentHandler(
  db: SqlDb,
  consumerName: string,
  effect: IdempotentEffect,
  options: IdempotentHandlerOptions = {},
): EventHandler {
  if (!consumerName) throw new RangeError('consumerName must not be empty');
  return async (event, ctx) => {
    const applied = await db.transaction(async (tx) => {
      const claim = await tx.query(
        `INSERT INTO processed_events (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [consumerName, event.id, event.type],
      );
      if (claim.rowCount === 0) return false;
      await effect(event, tx, ctx);
      return true;
    });
    if (!applied) options.onDuplicate?.(event, ctx);
  };
}

/**
 * The effect of a batch of events (consecutive messages of one partition, in order), run inside ONE de-duplicating
 * transaction: only the events this consumer has not applied yet are passed (never empty). Do every write through `tx`.
 */
export type IdempotentBatchEffect = (batch: readonly DeliveredEvent[], tx: SqlTx) => Promise<void>;

/** Both handlers of a batch subscription: spread into `bus.subscribe({ groupId, topics, ...handlers })`. */
export interface IdempotentBatchHandlers {
  /** One event: `effect` with a batch of one, in its own transaction (used for single messages and after a batch failed). */
  handler: EventHandler;
  /** Several events in one transaction: claim every id with one insert, apply the new ones, commit. */
  batchHandler: EventBatchHandler;
}

/**
 * Batch form of `createIdempotentHandler`: per batch ONE transaction that claims all event ids with one multi-row
 * insert into processed_events (the ids it returns are the ones not applied before: the skip check and the record in
 * one round trip), runs `effect` on those events in delivery order, and commits. A failure rolls back the whole batch,
 * claims included, and the bus then re-delivers its events one at a time through `handler` (same effect, same
 * records), so one poison event cannot block the others. Claiming first keeps the concurrency guarantee of the
 * single-event handler: a concurrent delivery of the same id waits for the first transaction, then skips it.
 */
export function createIdempotentBatchHandler(
  db: SqlDb,
  consumerName: string,
  effect: IdempotentBatchEffect,
  options: IdempotentHandlerOptions = {},
): IdempotentBatchHandlers {
  if (!consumerName) throw new RangeError('consumerName must not be empty');
  const batchHandler: EventBatchHandler = async (batch) => {
    if (batch.length === 0) return;
    const { duplicates } = await db.transaction(async (tx) => {
      const claim = await tx.query<{ event_id: string }>(
        `INSERT INTO processed_events (consumer, event_id, event_type)
         SELECT $1, c.event_id, c.event_type FROM unnest($2::text[], $3::text[]) AS c(event_id, event_type)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumerName, batch.map((d) => d.event.id), batch.map((d) => d.event.type)],
      );
      const split = splitClaimed(batch, new Set(claim.rows.map((r) => r.event_id)));
      if (split.fresh.length > 0) await effect(split.fresh, tx);
      return split;
    });
    if (options.onDuplicate) for (const d of duplicates) options.onDuplicate(d.event, d.ctx);
  };
  const single = createIdempotentHandler(db, consumerName, (event, tx, ctx) => effect([{ event, ctx }], tx), options);
  return { handler: single, batchHandler };
}

/**
 * Which deliveries of a batch to apply, given the ids the claim insert returned: the first delivery of each claimed id
 * in order; the rest (already processed before, or a repeat of an id within the batch) are duplicates.
 */
export function splitClaimed(batch: readonly DeliveredEvent[], claimed: ReadonlySet<string>): { fresh: DeliveredEvent[]; duplicates: DeliveredEvent[] } {
  const fresh: DeliveredEvent[] = [];
  const duplicates: DeliveredEvent[] = [];
  const taken = new Set<string>();
  for (const d of batch) {
    if (claimed.has(d.event.id) && !taken.has(d.event.id)) {
      taken.add(d.event.id);
      fresh.push(d);
    } else duplicates.push(d);
  }
  return { fresh, duplicates };
}

/** True when `consumerName` has already applied `eventId`. */
export async function isEventProcessed(db: SqlExecutor, consumerName: string, eventId: string): Promise<boolean> {
  const res = await db.query(`SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2`, [consumerName, eventId]);
  return res.rowCount > 0;
}

/**
 * Forgets de-duplication records older than `retentionMs`. Keep it well above the longest possible redelivery delay
 * (outbox retention, consumer downtime, DLQ replays): default advice is 7 days or more.
 */
export async function cleanupProcessedEvents(db: SqlExecutor, options: { retentionMs: number; batchSize?: number }): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const res = await db.query(
      `DELETE FROM processed_events WHERE (consumer, event_id) IN (
         SELECT consumer, event_id FROM processed_events
          WHERE processed_at < now() - ($1::bigint * interval '1 millisecond') LIMIT $2)`,
      [Math.max(0, Math.floor(options.retentionMs)), batchSize],
    );
    total += res.rowCount;
    if (res.rowCount < batchSize) return total;
  }
}
