import type { Designator, Fare, Flight, FlightStatus, LiveState, ServiceType } from '../domain/flight';
import { INITIAL_LIVE } from '../domain/flight';
import type { LocalTime } from '../domain/local-time';

/**
 * Columns every flight read selects. Local wall times are cast to text (a `timestamp` must not pass through a JS Date
 * in the process zone); a plain cast is markedly cheaper per row than to_char, which matters on boards.
 */
export const FLIGHT_COLUMNS = `id, carrier, flight_number, flight_date, operating, codeshares, service_type, origin, destination,
  dep_zone, arr_zone, sched_dep_utc, sched_dep_local::text AS sched_dep_local, sched_arr_utc,
  sched_arr_local::text AS sched_arr_local, aircraft_type, fares, distance_km, live, max_delay_min, notified_thresholds,
  cancel_notified, divert_notified, last_observe_time, created_at, updated_at, version`;

/** "2026-10-25 04:25:00" (timestamp::text) → "2026-10-25T04:25:00". */
function isoLocal(text: string): string {
  return text.replace(' ', 'T').slice(0, 19);
}

export interface FlightRow {
  id: string;
  carrier: string;
  flight_number: string;
  flight_date: string;
  operating: Designator | null;
  codeshares: Designator[];
  service_type: ServiceType;
  origin: string;
  destination: string;
  dep_zone: string;
  arr_zone: string;
  sched_dep_utc: Date;
  sched_dep_local: string;
  sched_arr_utc: Date;
  sched_arr_local: string;
  aircraft_type: string;
  fares: Fare[];
  distance_km: number;
  live: StoredLive;
  max_delay_min: number;
  notified_thresholds: number[];
  cancel_notified: boolean;
  divert_notified: boolean;
  last_observe_time: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

type StoredTime = { local: string; zone: string; utc: string } | null;
/** LiveState as kept in the `live` jsonb column. */
export type StoredLive = Partial<Omit<LiveState, 'estimatedDeparture' | 'actualDeparture' | 'estimatedArrival' | 'actualArrival'>> & {
  estimatedDeparture?: StoredTime;
  actualDeparture?: StoredTime;
  estimatedArrival?: StoredTime;
  actualArrival?: StoredTime;
};

function timeFrom(s: StoredTime | undefined): LocalTime | undefined {
  return s ? { local: s.local, zone: s.zone, utc: new Date(s.utc) } : undefined;
}

function timeTo(t: LocalTime | undefined): StoredTime {
  return t ? { local: t.local, zone: t.zone, utc: t.utc.toISOString() } : null;
}

export function liveToJson(live: LiveState): StoredLive {
  return {
    ...live,
    estimatedDeparture: timeTo(live.estimatedDeparture),
    actualDeparture: timeTo(live.actualDeparture),
    estimatedArrival: timeTo(live.estimatedArrival),
    actualArrival: timeTo(live.actualArrival),
  };
}

export function rowToFlight(r: FlightRow): Flight {
  const s = r.live;
  const live: LiveState = {
    ...INITIAL_LIVE,
    ...s,
    status: (s.status ?? 'SCHEDULED') as FlightStatus,
    estimatedDeparture: timeFrom(s.estimatedDeparture),
    actualDeparture: timeFrom(s.actualDeparture),
    estimatedArrival: timeFrom(s.estimatedArrival),
    actualArrival: timeFrom(s.actualArrival),
  };
  return {
    id: r.id,
    schedule: {
      key: { carrier: r.carrier, number: r.flight_number, date: r.flight_date },
      operating: r.operating ?? undefined,
      codeshares: r.codeshares,
      serviceType: r.service_type,
      origin: r.origin,
      destination: r.destination,
      scheduledDeparture: { local: isoLocal(r.sched_dep_local), zone: r.dep_zone, utc: r.sched_dep_utc },
      scheduledArrival: { local: isoLocal(r.sched_arr_local), zone: r.arr_zone, utc: r.sched_arr_utc },
      aircraftType: r.aircraft_type,
      fares: r.fares,
      distanceKm: r.distance_km,
    },
    live,
    maxDelayMinutes: r.max_delay_min,
    notifiedThresholds: r.notified_thresholds.map(Number),
    cancelNotified: r.cancel_notified,
    divertNotified: r.divert_notified,
    lastObserveTime: r.last_observe_time ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
