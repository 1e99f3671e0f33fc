import type { SqlExecutor } from '@csm/platform/stores';
import type { Flight, FlightKey, LiveState, Schedule } from '../domain/flight';
import type { StatusUpdate } from '../domain/status-replay';
import { FLIGHT_COLUMNS, liveToJson, rowToFlight, type FlightRow } from './flight-rows';

/** Persistence of dated flights, their status history and manifests. Every function runs on the caller's tx/db. */

export async function findFlightByKey(db: SqlExecutor, key: FlightKey, opts: { forUpdate?: boolean } = {}): Promise<Flight | undefined> {
  const res = await db.query<FlightRow>(
    `SELECT ${FLIGHT_COLUMNS} FROM flights WHERE carrier = $1 AND flight_number = $2 AND flight_date = $3${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [key.carrier, key.number, key.date],
  );
  const row = res.rows[0];
  if (row) return rowToFlight(row);
  // A marketing (codeshare) designator resolves to the operating flight.
  const alias = await db.query<{ flight_id: string }>(
    `SELECT flight_id FROM flight_codeshares WHERE carrier = $1 AND flight_number = $2 AND flight_date = $3`,
    [key.carrier, key.number, key.date],
  );
  const flightId = alias.rows[0]?.flight_id;
  return flightId === undefined ? undefined : findFlightById(db, flightId, opts);
}

export async function findFlightById(db: SqlExecutor, id: string, opts: { forUpdate?: boolean } = {}): Promise<Flight | undefined> {
  const res = await db.query<FlightRow>(`SELECT ${FLIGHT_COLUMNS} FROM flights WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const row = res.rows[0];
  return row ? rowToFlight(row) : undefined;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates or replaces the scheduled part of a dated flight; its live status is kept. One statement (INSERT … ON
 * CONFLICT), so concurrent loads of one flight cannot both create it.
 */
export async function upsertSchedule(db: SqlExecutor, id: string, s: Schedule): Promise<{ outcome: UpsertOutcome; id: string }> {
  const res = await db.query<{ id: string; inserted: boolean; changed: boolean }>(
    `INSERT INTO flights (id, carrier, flight_number, flight_date, operating, codeshares, service_type, origin, destination,
        dep_zone, arr_zone, sched_dep_utc, sched_dep_local, sched_arr_utc, sched_arr_local, aircraft_type, fares, distance_km)
     VALUES ($1,$2,$3,$4,$5::jsonb,$6::jsonb,$7,$8,$9,$10,$11,$12,$13::timestamp,$14,$15::timestamp,$16,$17::jsonb,$18)
     ON CONFLICT (carrier, flight_number, flight_date) DO UPDATE SET
        operating = EXCLUDED.operating, codeshares = EXCLUDED.codeshares, service_type = EXCLUDED.service_type,
        origin = EXCLUDED.origin, destination = EXCLUDED.destination, dep_zone = EXCLUDED.dep_zone, arr_zone = EXCLUDED.arr_zone,
        sched_dep_utc = EXCLUDED.sched_dep_utc, sched_dep_local = EXCLUDED.sched_dep_local,
        sched_arr_utc = EXCLUDED.sched_arr_utc, sched_arr_local = EXCLUDED.sched_arr_local,
        aircraft_type = EXCLUDED.aircraft_type, fares = EXCLUDED.fares, distance_km = EXCLUDED.distance_km,
        updated_at = now(), version = flights.version + 1
      WHERE (flights.operating, flights.codeshares, flights.service_type, flights.origin, flights.destination, flights.dep_zone,
             flights.arr_zone, flights.sched_dep_utc, flights.sched_dep_local, flights.sched_arr_utc, flights.sched_arr_local,
             flights.aircraft_type, flights.fares, flights.distance_km)
         IS DISTINCT FROM
            (EXCLUDED.operating, EXCLUDED.codeshares, EXCLUDED.service_type, EXCLUDED.origin, EXCLUDED.destination, EXCLUDED.dep_zone,
             EXCLUDED.arr_zone, EXCLUDED.sched_dep_utc, EXCLUDED.sched_dep_local, EXCLUDED.sched_arr_utc, EXCLUDED.sched_arr_local,
             EXCLUDED.aircraft_type, EXCLUDED.fares, EXCLUDED.distance_km)
     RETURNING id, (xmax = 0) AS inserted, true AS changed`,
    [
      id,
      s.key.carrier,
      s.key.number,
      s.key.date,
      s.operating ? JSON.stringify(s.operating) : null,
      JSON.stringify(s.codeshares),
      s.serviceType,
      s.origin,
      s.destination,
      s.scheduledDeparture.zone,
      s.scheduledArrival.zone,
      s.scheduledDeparture.utc,
      s.scheduledDeparture.local,
      s.scheduledArrival.utc,
      s.scheduledArrival.local,
      s.aircraftType,
      JSON.stringify(s.fares),
      s.distanceKm,
    ],
  );
  const row = res.rows[0];
  if (!row) {
    const existing = await db.query<{ id: string }>(`SELECT id FROM flights WHERE carrier = $1 AND flight_number = $2 AND flight_date = $3`, [
      s.key.carrier,
      s.key.number,
      s.key.date,
    ]);
    return { outcome: 'unchanged', id: existing.rows[0]?.id ?? id };
  }
  await db.query(`DELETE FROM flight_codeshares WHERE flight_id = $1`, [row.id]);
  for (const c of s.codeshares) {
    await db.query(
      `INSERT INTO flight_codeshares (carrier, flight_number, flight_date, flight_id) VALUES ($1,$2,$3,$4)
       ON CONFLICT (carrier, flight_number, flight_date) DO UPDATE SET flight_id = EXCLUDED.flight_id`,
      [c.carrier, c.number, s.key.date, row.id],
    );
  }
  return { outcome: row.inserted ? 'created' : 'updated', id: row.id };
}

/** Records an update in the history; false when its id was seen before (a duplicate). */
export async function recordStatusUpdate(db: SqlExecutor, flightId: string, u: StatusUpdate, payload: unknown): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO flight_status_updates (flight_id, update_id, observe_time, source, payload, applied)
     VALUES ($1,$2,$3,$4,$5::jsonb,false) ON CONFLICT DO NOTHING`,
    [flightId, u.updateId, u.observeTime, u.source, JSON.stringify(payload)],
  );
  return res.rowCount > 0;
}

export async function markUpdateApplied(db: SqlExecutor, flightId: string, updateId: string, applied: boolean): Promise<void> {
  await db.query(`UPDATE flight_status_updates SET applied = $3 WHERE flight_id = $1 AND update_id = $2`, [flightId, updateId, applied]);
}

/** The stored payloads of every update of a flight, in source order. */
export async function listStatusPayloads(db: SqlExecutor, flightId: string): Promise<unknown[]> {
  const res = await db.query<{ payload: unknown }>(
    `SELECT payload FROM flight_status_updates WHERE flight_id = $1 ORDER BY observe_time, update_id`,
    [flightId],
  );
  return res.rows.map((r) => r.payload);
}

export interface LiveWrite {
  readonly live: LiveState;
  readonly maxDelayMinutes: number;
  readonly notifiedThresholds: readonly number[];
  readonly cancelNotified: boolean;
  readonly divertNotified: boolean;
  readonly lastObserveTime: Date | undefined;
}

export async function saveLive(db: SqlExecutor, flightId: string, w: LiveWrite): Promise<void> {
  const l = w.live;
  await db.query(
    `UPDATE flights SET status = $2, live = $3::jsonb,
        est_dep_utc = $4, est_dep_local = $5::timestamp, act_dep_utc = $6, act_dep_local = $7::timestamp,
        est_arr_utc = $8, est_arr_local = $9::timestamp, act_arr_utc = $10, act_arr_local = $11::timestamp, act_arr_zone = $12,
        dep_delay_min = $13, arr_delay_min = $14, max_delay_min = $15, notified_thresholds = $16::integer[],
        cancel_notified = $17, divert_notified = $18, last_observe_time = $19, updated_at = now(), version = version + 1
      WHERE id = $1`,
    [
      flightId,
      l.status,
      JSON.stringify(liveToJson(l)),
      l.estimatedDeparture?.utc ?? null,
      l.estimatedDeparture?.local ?? null,
      l.actualDeparture?.utc ?? null,
      l.actualDeparture?.local ?? null,
      l.estimatedArrival?.utc ?? null,
      l.estimatedArrival?.local ?? null,
      l.actualArrival?.utc ?? null,
      l.actualArrival?.local ?? null,
      l.actualArrival?.zone ?? null,
      l.departureDelayMinutes,
      l.arrivalDelayMinutes,
      w.maxDelayMinutes,
      [...w.notifiedThresholds],
      w.cancelNotified,
      w.divertNotified,
      w.lastObserveTime ?? null,
    ],
  );
}

export interface BoardQuery {
  readonly kind: 'departures' | 'arrivals';
  readonly airports: readonly string[];
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  readonly carrier: string;
  readonly after: { t: string; id: string } | undefined;
  readonly limit: number;
}

/** A board page: keyset pagination on (scheduled instant, id), served by flights_departures_idx / flights_arrivals_idx. */
export async function listBoard(db: SqlExecutor, q: BoardQuery): Promise<Flight[]> {
  const [airportCol, timeCol] = q.kind === 'departures' ? ['origin', 'sched_dep_utc'] : ['destination', 'sched_arr_utc'];
  const params: unknown[] = [[...q.airports]];
  const where = [`${airportCol} = ANY($1::text[])`];
  if (q.from) {
    params.push(q.from);
    where.push(`${timeCol} >= $${params.length}`);
  }
  if (q.to) {
    params.push(q.to);
    where.push(`${timeCol} < $${params.length}`);
  }
  if (q.carrier !== '') {
    params.push(q.carrier);
    where.push(`carrier = $${params.length}`);
  }
  if (q.after) {
    params.push(q.after.t, q.after.id);
    where.push(`(${timeCol}, id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit);
  const res = await db.query<FlightRow>(
    `SELECT ${FLIGHT_COLUMNS} FROM flights WHERE ${where.join(' AND ')} ORDER BY ${timeCol}, id LIMIT $${params.length}`,
    params,
  );
  return res.rows.map(rowToFlight);
}

/** Flights leaving any of `origins` on local date `date` (the flight date), optionally to `destinations`. */
export async function listByRoute(db: SqlExecutor, origins: readonly string[], dates: readonly string[], destinations?: readonly string[]): Promise<Flight[]> {
  const params: unknown[] = [[...origins], [...dates]];
  let sql = `SELECT ${FLIGHT_COLUMNS} FROM flights WHERE origin = ANY($1::text[]) AND flight_date = ANY($2::date[])`;
  if (destinations) {
    params.push([...destinations]);
    sql += ` AND destination = ANY($3::text[])`;
  }
  const res = await db.query<FlightRow>(`${sql} ORDER BY sched_dep_utc, id LIMIT 2000`, params);
  return res.rows.map(rowToFlight);
}
