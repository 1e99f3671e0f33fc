import { outboxMigration, processedEventsMigration } from '@csm/platform/events';
import type { Migration, SqlDb, SqlExecutor } from '@csm/platform/stores';
import type { AuditRecord, IndexKind, PassengerDoc } from './document';
import type { AuditFilter, ProfileStore } from './profile-store';

/**
 * Embedded profile store (`npm start`): the same documents as JSONB in PGlite, with side tables for the blind
 * indexes and name keys, maintained in the same local transaction as the document. It keeps the port's contract —
 * every operation is atomic per document — so the app behaves exactly as on MongoDB.
 */
export const PROFILE_TABLES_SQL = `
CREATE TABLE IF NOT EXISTS passengers (
  id          text PRIMARY KEY,
  rev         bigint  NOT NULL,
  has_pending boolean NOT NULL DEFAULT false,
  doc         jsonb   NOT NULL
);
CREATE INDEX IF NOT EXISTS passengers_pending_idx ON passengers (id) WHERE has_pending;
CREATE TABLE IF NOT EXISTS passenger_index (
  kind         text NOT NULL,
  value        text NOT NULL,
  passenger_id text NOT NULL,
  PRIMARY KEY (kind, value, passenger_id)
);
CREATE INDEX IF NOT EXISTS passenger_index_passenger_idx ON passenger_index (passenger_id);
CREATE TABLE IF NOT EXISTS passenger_names (
  name_key     text COLLATE "C" NOT NULL,
  passenger_id text NOT NULL,
  PRIMARY KEY (name_key, passenger_id)
);
CREATE INDEX IF NOT EXISTS passenger_names_passenger_idx ON passenger_names (passenger_id);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key          text PRIMARY KEY,
  passenger_id text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS data_keys (
  passenger_id text PRIMARY KEY,
  wrapped      text NOT NULL
);
CREATE TABLE IF NOT EXISTS profile_audit (
  id           text PRIMARY KEY,
  passenger_id text NOT NULL,
  time         text NOT NULL,
  action       int  NOT NULL,
  doc          jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS profile_audit_passenger_idx ON profile_audit (passenger_id, id);
`;

/** Migrations of the embedded store: the kit's outbox and processed-events tables stay at 1 and 2. */
export const embeddedMigrations: readonly Migration[] = [
  outboxMigration(1),
  processedEventsMigration(2),
  { version: 3, name: 'profile_documents', sql: PROFILE_TABLES_SQL },
];

const KINDS: readonly IndexKind[] = ['phone', 'email', 'doc', 'ffp', 'member'];

async function writeSideTables(tx: SqlExecutor, doc: PassengerDoc): Promise<void> {
  await tx.query('DELETE FROM passenger_index WHERE passenger_id = $1', [doc._id]);
  await tx.query('DELETE FROM passenger_names WHERE passenger_id = $1', [doc._id]);
  const kinds: string[] = [];
  const values: string[] = [];
  for (const kind of KINDS) {
    for (const v of new Set(doc.idx[kind])) {
      kinds.push(kind);
      values.push(v);
    }
  }
  if (kinds.length > 0) {
    await tx.query(
      'INSERT INTO passenger_index (kind, value, passenger_id) SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS t(k, v) ON CONFLICT DO NOTHING',
      [kinds, values, doc._id],
    );
  }
  const names = [...new Set(doc.names)];
  if (names.length > 0) {
    await tx.query('INSERT INTO passenger_names (name_key, passenger_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [names, doc._id]);
  }
}

const parse = (rows: { doc: unknown }[]) => rows.map((r) => (typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc) as PassengerDoc);

export function createEmbeddedProfileStore(db: SqlDb): ProfileStore {
  return {
    kind: 'embedded',
    async insert(doc) {
      return db.transaction(async (tx) => {
        const res = await tx.query('INSERT INTO passengers (id, rev, has_pending, doc) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (id) DO NOTHING', [
          doc._id,
          doc.rev,
          doc.hasPending,
          JSON.stringify(doc),
        ]);
        if (res.rowCount === 0) return false;
        await writeSideTables(tx, doc);
        return true;
      });
    },
    async get(id) {
      const res = await db.query<{ doc: unknown }>('SELECT doc FROM passengers WHERE id = $1', [id]);
      return parse(res.rows)[0] ?? null;
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const res = await db.query<{ doc: unknown }>('SELECT doc FROM passengers WHERE id = ANY($1::text[])', [[...ids]]);
      return parse(res.rows);
    },
    async replace(doc, expectedRev) {
      return db.transaction(async (tx) => {
        const res = await tx.query('UPDATE passengers SET rev = $2, has_pending = $3, doc = $4::jsonb WHERE id = $1 AND rev = $5', [
          doc._id,
          doc.rev,
          doc.hasPending,
          JSON.stringify(doc),
          expectedRev,
        ]);
        if (res.rowCount === 0) return false;
        await writeSideTables(tx, doc);
        return true;
      });
    },
    async findByIndex(kind, values, limit = 50) {
      if (values.length === 0) return [];
      const res = await db.query<{ passenger_id: string }>(
        'SELECT DISTINCT passenger_id FROM passenger_index WHERE kind = $1 AND value = ANY($2::text[]) LIMIT $3',
        [kind, [...values], limit],
      );
      return res.rows.map((r) => r.passenger_id);
    },
    async findDocsByIndex(kind, values, limit) {
      if (values.length === 0) return [];
      const res = await db.query<{ doc: unknown }>(
        `SELECT p.doc FROM passengers p
          WHERE p.id IN (SELECT passenger_id FROM passenger_index WHERE kind = $1 AND value = ANY($2::text[]) LIMIT $3)`,
        [kind, [...values], limit],
      );
      return parse(res.rows);
    },
    async searchByName(prefix, afterId, limit) {
      const res = await db.query<{ doc: unknown }>(
        `SELECT p.doc FROM passengers p
          WHERE p.id > $2 AND EXISTS (SELECT 1 FROM passenger_names n
                                       WHERE n.passenger_id = p.id AND n.name_key >= $1 AND starts_with(n.name_key, $1))
          ORDER BY p.id LIMIT $3`,
        [prefix, afterId, limit],
      );
      return parse(res.rows);
    },
    async findPending(limit) {
      const res = await db.query<{ doc: unknown }>('SELECT doc FROM passengers WHERE has_pending LIMIT $1', [limit]);
      return parse(res.rows);
    },
    async clearPending(id, rev) {
      const res = await db.query(
        `UPDATE passengers SET has_pending = false, rev = rev + 1,
                doc = doc || jsonb_build_object('pending', '[]'::jsonb, 'pendingAudit', '[]'::jsonb, 'hasPending', false, 'rev', rev + 1)
          WHERE id = $1 AND rev = $2`,
        [id, rev],
      );
      return res.rowCount === 1;
    },
    async reserveIdempotencyKey(key, passengerId) {
      const ins = await db.query('INSERT INTO idempotency_keys (key, passenger_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, passengerId]);
      if (ins.rowCount === 1) return null;
      const res = await db.query<{ passenger_id: string }>('SELECT passenger_id FROM idempotency_keys WHERE key = $1', [key]);
      return res.rows[0]?.passenger_id ?? null;
    },
    async ensureDataKey(passengerId, wrapped) {
      await db.query('INSERT INTO data_keys (passenger_id, wrapped) VALUES ($1, $2) ON CONFLICT (passenger_id) DO NOTHING', [passengerId, wrapped]);
      const res = await db.query<{ wrapped: string }>('SELECT wrapped FROM data_keys WHERE passenger_id = $1', [passengerId]);
      const row = res.rows[0];
      if (!row) throw new Error(`data key of ${passengerId} vanished while being created`);
      return row.wrapped;
    },
    async getDataKey(passengerId) {
      const res = await db.query<{ wrapped: string }>('SELECT wrapped FROM data_keys WHERE passenger_id = $1', [passengerId]);
      return res.rows[0]?.wrapped ?? null;
    },
    async deleteDataKey(passengerId) {
      await db.query('DELETE FROM data_keys WHERE passenger_id = $1', [passengerId]);
    },
    async appendAudit(records) {
      if (records.length === 0) return;
      await db.query(
        `INSERT INTO profile_audit (id, passenger_id, time, action, doc)
         SELECT r->>'_id', r->>'passengerId', r->>'time', (r->>'action')::int, r FROM jsonb_array_elements($1::jsonb) AS r
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(records)],
      );
    },
    async listAudit(passengerId, filter: AuditFilter, afterId, limit) {
      const res = await db.query<{ doc: unknown }>(
        `SELECT doc FROM profile_audit
          WHERE passenger_id = $1 AND id > $2
            AND ($3::text IS NULL OR time >= $3) AND ($4::text IS NULL OR time < $4)
            AND (cardinality($5::int[]) = 0 OR action = ANY($5::int[]))
          ORDER BY id LIMIT $6`,
        [passengerId, afterId, filter.from ?? null, filter.to ?? null, [...(filter.actions ?? [])], limit],
      );
      return res.rows.map((r) => (typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc) as AuditRecord);
    },
    async close() {
      await db.close();
    },
  };
}
