/**
 * Transactional outbox: a producer appends its events to the `outbox` table in the SAME transaction as the state
 * change, so an event exists if and only if the change committed. The relay (relay.ts) publishes them afterwards.
 *
 * Ordering: `seq` is the publish order. Write the aggregate's row (UPDATE/INSERT, which locks it) before appending its
 * events, so two transactions on one aggregate take their `seq` values in commit order.
 */
import type { Migration } from '../stores/migrations/migration';
import type { SqlDb, SqlExecutor, SqlTx } from '../stores/sql';
import { validateEvent, type CloudEvent } from './envelope';
import { assertTopicName, topicForEventType } from './topics';

/** Include in every event-producing service's migrations (idempotent DDL). */
export const OUTBOX_MIGRATION_SQL = `
CREATE TABLE IF NOT EXISTS outbox (
  seq          bigserial   PRIMARY KEY,
  event_id     text        NOT NULL UNIQUE,
  topic        text        NOT NULL,
  aggregate_id text        NOT NULL,
  event_type   text        NOT NULL,
  envelope     jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_pending_aggregate_idx ON outbox (aggregate_id, seq) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL;
`;

/** The outbox DDL as a numbered migration for `migrate(db, { service, migrations })`. */
export function outboxMigration(version: number): Migration {
  return { version, name: 'events_outbox', sql: OUTBOX_MIGRATION_SQL };
}

export interface AppendOptions {
  /** Defaults to the event type's domain topic (`csm.<domain>.v1`). */
  topic?: string;
}

/** Appends `event` to the outbox inside the caller's transaction `tx`. */
export async function appendToOutbox(tx: SqlTx, event: CloudEvent, options: AppendOptions = {}): Promise<void> {
  const valid = validateEvent(event);
  const topic = options.topic ?? topicForEventType(valid.type);
  assertTopicName(topic);
  await tx.query(
    `INSERT INTO outbox (event_id, topic, aggregate_id, event_type, envelope) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [valid.id, topic, valid.subject, valid.type, JSON.stringify(valid)],
  );
}

export interface OutboxCleanupOptions {
  /** Published rows older than this are deleted. */
  retentionMs: number;
  /** Rows deleted per statement, so cleanup never holds long locks. Default 1000. */
  batchSize?: number;
}

/** Deletes published rows past retention; returns how many. Unpublished rows are never touched. */
export async function cleanupOutbox(db: SqlExecutor, options: OutboxCleanupOptions): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const res = await db.query(
      `DELETE FROM outbox WHERE seq IN (
         SELECT seq FROM outbox
          WHERE published_at IS NOT NULL AND published_at < now() - ($1::bigint * interval '1 millisecond')
          ORDER BY seq LIMIT $2)`,
      [Math.max(0, Math.floor(options.retentionMs)), batchSize],
    );
    total += res.rowCount;
    if (res.rowCount < batchSize) return total;
  }
}

/** Unpublished rows (for health/metrics and tests). */
export async function countPendingOutbox(db: SqlDb | SqlExecutor): Promise<number> {
  const res = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
  return Number(res.rows[0]?.n ?? 0);
}
