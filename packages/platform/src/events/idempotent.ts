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
import type { EventContext, EventHandler } from './ports';

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
