/**
 * Durable storage of the in-process bus: a Kafka-like partitioned log and consumer-group offsets, kept in an embedded
 * (PGlite) or any SQL database through the SQL port. Because both live in the database, a process crash loses
 * nothing the bus accepted: on restart every group resumes from its last committed offset, so accepted-but-unconsumed
 * messages are delivered, and a message whose handler was interrupted is delivered again (at-least-once).
 */
import type { SqlDb, SqlExecutor } from '../../stores/sql';
import type { WireMessage } from '../wire';

export const IN_PROCESS_BUS_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS event_bus_partitions (
  topic       text    NOT NULL,
  partition   integer NOT NULL CHECK (partition >= 0),
  next_offset bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (topic, partition)
);
CREATE TABLE IF NOT EXISTS event_bus_log (
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  "offset"    bigint      NOT NULL,
  msg_key     text,
  msg_value   text,
  headers     jsonb       NOT NULL,
  appended_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, "offset")
);
CREATE INDEX IF NOT EXISTS event_bus_log_appended_at_idx ON event_bus_log (appended_at);
CREATE TABLE IF NOT EXISTS event_bus_offsets (
  group_id    text    NOT NULL,
  topic       text    NOT NULL,
  partition   integer NOT NULL,
  next_offset bigint  NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic, partition)
);
`;

export interface LoggedMessage extends WireMessage {
  offset: bigint;
}

export interface Append {
  topic: string;
  partition: number;
  message: WireMessage;
}

export class LogStore {
  constructor(private readonly db: SqlDb) {}

  async init(): Promise<void> {
    if (this.db.exec) await this.db.exec(IN_PROCESS_BUS_SCHEMA_SQL);
    else for (const stmt of IN_PROCESS_BUS_SCHEMA_SQL.split(';').map((s) => s.trim()).filter(Boolean)) await this.db.query(stmt);
  }

  async topics(): Promise<Map<string, number>> {
    const res = await this.db.query<{ topic: string; partitions: string | number }>(
      `SELECT topic, count(*) AS partitions FROM event_bus_partitions GROUP BY topic`,
    );
    return new Map(res.rows.map((r) => [r.topic, Number(r.partitions)]));
  }

  /** Creates the topic's partitions; an existing topic keeps its partition count. */
  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const existing = await tx.query(`SELECT 1 FROM event_bus_partitions WHERE topic = $1 LIMIT 1`, [topic]);
      if (existing.rowCount > 0) return;
      for (let p = 0; p < partitions; p++) {
        await tx.query(`INSERT INTO event_bus_partitions (topic, partition) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [topic, p]);
      }
    });
  }

  /** Appends in order, all or nothing; returns the assigned offsets. */
  async append(appends: readonly Append[]): Promise<bigint[]> {
    return this.db.transaction(async (tx) => {
      const offsets: bigint[] = [];
      for (const a of appends) offsets.push(await appendOne(tx, a));
      return offsets;
    });
  }

  async read(topic: string, partition: number, from: bigint, limit: number): Promise<LoggedMessage[]> {
    // Ordered by the bigint column, not a text alias ('10' < '9' as text).
    const res = await this.db.query<{ offset_text: string; msg_key: string | null; msg_value: string | null; headers: unknown }>(
      `SELECT l."offset"::text AS offset_text, l.msg_key, l.msg_value, l.headers FROM event_bus_log l
        WHERE l.topic = $1 AND l.partition = $2 AND l."offset" >= $3::bigint ORDER BY l."offset" LIMIT $4`,
      [topic, partition, from.toString(), limit],
    );
    return res.rows.map((r) => ({
      offset: BigInt(r.offset_text),
      key: r.msg_key,
      value: r.msg_value,
      headers: (typeof r.headers === 'string' ? JSON.parse(r.headers) : r.headers) as Record<string, string>,
    }));
  }

  /** Offset the next appended message of the partition will get. */
  async endOffset(topic: string, partition: number): Promise<bigint> {
    return endOffset(this.db, topic, partition);
  }

  async committed(groupId: string, topic: string, partition: number): Promise<bigint | undefined> {
    const res = await this.db.query<{ next_offset: string }>(
      `SELECT next_offset::text AS next_offset FROM event_bus_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [groupId, topic, partition],
    );
    const row = res.rows[0];
    return row ? BigInt(row.next_offset) : undefined;
  }

  /** Commits the group's offset, appending dead-letter copies first (in order) in the same transaction when given. */
  async commit(groupId: string, topic: string, partition: number, nextOffset: bigint, deadLetters?: Append | readonly Append[]): Promise<bigint | undefined> {
    const appends = deadLetters === undefined ? [] : Array.isArray(deadLetters) ? (deadLetters as readonly Append[]) : [deadLetters as Append];
    return this.db.transaction(async (tx) => {
      let dlqOffset: bigint | undefined;
      for (const a of appends) dlqOffset = await appendOne(tx, a);
      await tx.query(
        `INSERT INTO event_bus_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4::bigint)
         ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
        [groupId, topic, partition, nextOffset.toString()],
      );
      return dlqOffset;
    });
  }

  /** Time-based retention, like Kafka's retention.ms. */
  async deleteOlderThan(retentionMs: number): Promise<number> {
    const res = await this.db.query(`DELETE FROM event_bus_log WHERE appended_at < now() - ($1::bigint * interval '1 millisecond')`, [
      Math.max(0, Math.floor(retentionMs)),
    ]);
    return res.rowCount;
  }
}

// The high-water mark lives in its own row (not max(offset)) so retention can empty a partition without offsets
// ever being reused, and concurrent appenders serialize on that row.
async function endOffset(sql: SqlExecutor, topic: string, partition: number): Promise<bigint> {
  const res = await sql.query<{ next: string }>(
    `SELECT next_offset::text AS next FROM event_bus_partitions WHERE topic = $1 AND partition = $2`,
    [topic, partition],
  );
  const row = res.rows[0];
  if (!row) throw new Error(`in-process bus: unknown topic partition ${topic}/${partition}`);
  return BigInt(row.next);
}

async function appendOne(sql: SqlExecutor, a: Append): Promise<bigint> {
  const bumped = await sql.query<{ offset: string }>(
    `UPDATE event_bus_partitions SET next_offset = next_offset + 1 WHERE topic = $1 AND partition = $2
     RETURNING (next_offset - 1)::text AS "offset"`,
    [a.topic, a.partition],
  );
  const row = bumped.rows[0];
  if (!row) throw new Error(`in-process bus: unknown topic partition ${a.topic}/${a.partition}`);
  const offset = BigInt(row.offset);
  await sql.query(
    `INSERT INTO event_bus_log (topic, partition, "offset", msg_key, msg_value, headers) VALUES ($1, $2, $3::bigint, $4, $5, $6::jsonb)`,
    [a.topic, a.partition, offset.toString(), a.message.key, a.message.value, JSON.stringify(a.message.headers)],
  );
  return offset;
}
