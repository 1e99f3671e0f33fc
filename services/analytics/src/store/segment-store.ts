import type { SqlDb, SqlExecutor } from '@csm/platform/stores';
import type { RfmFeatures, SegmentProfile, SegmentationResult } from '../domain/segmentation';

/** RFM features of every passenger with a loyalty membership, over the last `windowDays` before `asOf`. */
export async function loadRfm(db: SqlExecutor, asOf: Date, windowDays: number): Promise<RfmFeatures[]> {
  const res = await db.query<Record<string, unknown>>(
    `WITH w AS (SELECT $1::timestamptz AS as_of, $1::timestamptz - ($2::int * interval '1 day') AS from_t)
     SELECT m.passenger_id,
       count(*) FILTER (WHERE l.transaction_kind = 'TRANSACTION_KIND_FLIGHT_ACCRUAL' AND l.posting_time >= w.from_t AND l.posting_time < w.as_of)::float8 AS frequency,
       COALESCE(sum(l.miles) FILTER (WHERE l.direction = 'EARNED' AND l.posting_time >= w.from_t AND l.posting_time < w.as_of), 0)::float8 AS monetary,
       GREATEST(max(l.posting_time) FILTER (WHERE l.posting_time < w.as_of),
                (SELECT max(c.open_time) FROM fact_case c WHERE c.passenger_id = m.passenger_id AND c.open_time < w.as_of)) AS last_activity
       FROM dim_member m CROSS JOIN w LEFT JOIN fact_loyalty_posting l ON l.member_id = m.member_id
      WHERE m.passenger_id IS NOT NULL
      GROUP BY m.passenger_id, w.as_of, w.from_t ORDER BY m.passenger_id`,
    [asOf, windowDays],
  );
  return res.rows.map((r) => {
    const last = r.last_activity instanceof Date ? r.last_activity : r.last_activity ? new Date(String(r.last_activity)) : undefined;
    const recency = last ? Math.max(0, (asOf.getTime() - last.getTime()) / 86_400_000) : windowDays;
    return { passengerId: String(r.passenger_id), recencyDays: Math.min(recency, windowDays), frequency: Number(r.frequency), monetaryMiles: Number(r.monetary) };
  });
}

export async function saveSegmentation(db: SqlDb, result: SegmentationResult, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM passenger_segment');
    await tx.query('DELETE FROM segment');
    for (const s of result.segments) {
      await tx.query(
        `INSERT INTO segment (segment_id, name, description, definition, size, mean_recency_days, mean_frequency, mean_monetary_miles, update_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [s.id, s.name, s.description, s.definition, s.size, s.meanRecencyDays, s.meanFrequency, s.meanMonetaryMiles, at],
      );
    }
    const ids = [...result.assignments.keys()];
    if (ids.length > 0) {
      await tx.query(`INSERT INTO passenger_segment (passenger_id, segment_id) SELECT * FROM unnest($1::text[], $2::text[])`, [ids, ids.map((id) => result.assignments.get(id))]);
    }
  });
}

export interface StoredSegment extends SegmentProfile {
  readonly updateTime: Date;
}

export async function listSegments(db: SqlExecutor): Promise<StoredSegment[]> {
  const res = await db.query<Record<string, unknown>>(`SELECT * FROM segment ORDER BY segment_id`);
  return res.rows.map((r) => ({
    id: String(r.segment_id),
    name: String(r.name),
    description: String(r.description),
    definition: String(r.definition),
    size: Number(r.size),
    meanRecencyDays: Number(r.mean_recency_days),
    meanFrequency: Number(r.mean_frequency),
    meanMonetaryMiles: Number(r.mean_monetary_miles),
    updateTime: new Date(r.update_time as string | Date),
  }));
}
