import type { SqlExecutor } from '@csm/platform/stores';
import type { ChurnFeatures } from '../domain/churn';

export interface PassengerChurnInputs {
  readonly passengerId: string;
  readonly features: ChurnFeatures;
  readonly tier: string | null;
  readonly grade: string | null;
  readonly milesEarnedYear: number;
  readonly segmentId: string | null;
}

/**
 * The churn features of every passenger the warehouse knows (or one), as of `asOf`, over a window of `windowDays`
 * (and the window before it, for the activity decline). Flights flown are the passenger's flight accruals.
 */
export async function loadChurnInputs(db: SqlExecutor, asOf: Date, windowDays: number, passengerId?: string): Promise<PassengerChurnInputs[]> {
  const res = await db.query<Record<string, unknown>>(
    `WITH pax AS (
       SELECT passenger_id FROM fact_case WHERE passenger_id IS NOT NULL
       UNION SELECT passenger_id FROM dim_member WHERE passenger_id IS NOT NULL
       UNION SELECT passenger_id FROM fact_survey WHERE passenger_id IS NOT NULL
       UNION SELECT passenger_id FROM dim_passenger
     ), w AS (SELECT $1::timestamptz AS as_of, $1::timestamptz - ($2::int * interval '1 day') AS from_t,
                     $1::timestamptz - (2 * $2::int * interval '1 day') AS prev_t),
     flown AS (
       SELECT DISTINCT m.passenger_id, l.flight_carrier, l.flight_number, l.flight_date, l.posting_time
         FROM fact_loyalty_posting l JOIN dim_member m ON m.member_id = l.member_id
        WHERE l.transaction_kind = 'TRANSACTION_KIND_FLIGHT_ACCRUAL' AND l.flight_number IS NOT NULL AND m.passenger_id IS NOT NULL
     )
     SELECT x.passenger_id,
       (SELECT count(*) FROM fact_case c, w WHERE c.passenger_id = x.passenger_id AND c.kind = 'CASE_KIND_COMPLAINT'
           AND c.open_time >= w.from_t AND c.open_time < w.as_of)::int AS complaints,
       (SELECT count(*) FROM fact_case c, w WHERE c.passenger_id = x.passenger_id AND c.open_time < w.as_of
           AND c.resolve_time IS NULL AND c.close_time IS NULL)::int AS unresolved,
       (SELECT count(DISTINCT f.flight_id) FROM fact_flight f, w
         WHERE (f.cancelled OR GREATEST(f.arrival_delay_minutes, f.departure_delay_minutes) >= 60)
           AND f.scheduled_departure >= w.from_t AND f.scheduled_departure < w.as_of
           AND (EXISTS (SELECT 1 FROM flown fl WHERE fl.passenger_id = x.passenger_id AND fl.flight_carrier = f.carrier AND fl.flight_number = f.number AND fl.flight_date = f.flight_date)
             OR EXISTS (SELECT 1 FROM fact_case c WHERE c.passenger_id = x.passenger_id AND c.flight_carrier = f.carrier AND c.flight_number = f.number AND c.flight_date = f.flight_date)))::int AS disruptions,
       (SELECT count(*) FROM flown fl, w WHERE fl.passenger_id = x.passenger_id AND fl.posting_time >= w.from_t AND fl.posting_time < w.as_of)::int AS recent_flights,
       (SELECT count(*) FROM flown fl, w WHERE fl.passenger_id = x.passenger_id AND fl.posting_time >= w.prev_t AND fl.posting_time < w.from_t)::int AS previous_flights,
       EXISTS (SELECT 1 FROM dim_member m, w WHERE m.passenger_id = x.passenger_id AND m.last_downgrade_time >= w.as_of - interval '365 days'
                 AND m.last_downgrade_time < w.as_of) AS downgraded,
       (SELECT avg(s.csat)::float8 FROM fact_survey s, w WHERE s.passenger_id = x.passenger_id AND s.csat IS NOT NULL
           AND s.record_time >= w.from_t AND s.record_time < w.as_of) AS mean_csat,
       (SELECT COALESCE(sum(l.miles), 0)::float8 FROM fact_loyalty_posting l JOIN dim_member m ON m.member_id = l.member_id, w
         WHERE m.passenger_id = x.passenger_id AND l.direction = 'EARNED' AND l.posting_time >= w.as_of - interval '365 days' AND l.posting_time < w.as_of) AS miles_year,
       (SELECT m.tier FROM dim_member m WHERE m.passenger_id = x.passenger_id ORDER BY m.member_id LIMIT 1) AS tier,
       (SELECT p.grade FROM dim_passenger p WHERE p.passenger_id = x.passenger_id) AS grade,
       (SELECT ps.segment_id FROM passenger_segment ps WHERE ps.passenger_id = x.passenger_id) AS segment_id
     FROM pax x
     WHERE $3::text IS NULL OR x.passenger_id = $3
     ORDER BY x.passenger_id`,
    [asOf, windowDays, passengerId ?? null],
  );
  return res.rows.map((r) => ({
    passengerId: String(r.passenger_id),
    features: {
      recentComplaints: Number(r.complaints),
      unresolvedCases: Number(r.unresolved),
      disruptions: Number(r.disruptions),
      recentFlights: Number(r.recent_flights),
      previousFlights: Number(r.previous_flights),
      tierDowngraded: r.downgraded === true,
      meanCsat: r.mean_csat === null || r.mean_csat === undefined ? undefined : Number(r.mean_csat),
    },
    tier: (r.tier as string | null) ?? null,
    grade: (r.grade as string | null) ?? null,
    milesEarnedYear: Number(r.miles_year ?? 0),
    segmentId: (r.segment_id as string | null) ?? null,
  }));
}
