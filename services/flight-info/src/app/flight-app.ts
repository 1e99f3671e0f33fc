import { FailedPreconditionError, NotFoundError, ValidationError } from '@csm/platform/errors';
import { requireRole, type Principal, type Role } from '@csm/platform/security';
import type { SqlDb } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';
import type { AirportDirectory, AirportInfo } from '../domain/airports';
import type { Flight, FlightKey, Schedule } from '../domain/flight';
import { minutesBetween, resolveLocal } from '../domain/local-time';
import { parseSsim } from '../domain/ssim';
import { newlyCrossedThresholds, replayUpdates } from '../domain/status-replay';
import { emitFlightChange } from '../events/flight-events';
import {
  findFlightById,
  findFlightByKey,
  listBoard,
  listByRoute,
  listStatusPayloads,
  markUpdateApplied,
  recordStatusUpdate,
  saveLive,
  upsertSchedule,
} from '../store/flight-store';
import { updateFromJson, updateToJson } from '../store/status-payload';
import { validateFlightRef, validateSchedule, validateStatusUpdate } from './flight-validation';
import type { BoardInput, FlightRefInput, ScheduleInput, StatusUpdateInput } from './inputs';
import { decodeCursor, encodeCursor, pageSize, Violations } from './violations';

/** Who may feed operational data (schedules, status, manifests, capacity). */
export const OPS_ROLES: Role[] = ['ops', 'service', 'admin'];
/** Who may see who is on a flight. */
export const MANIFEST_READERS: Role[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'ops', 'service', 'admin'];

const MAX_BATCH = 5000;
const MIN_CONNECTION_MINUTES = 60;
const MAX_CONNECTION_MINUTES = 24 * 60;

export interface FlightAppOptions {
  readonly db: SqlDb;
  readonly airports: AirportDirectory;
  /** Ascending delay thresholds in minutes. */
  readonly delayThresholds: readonly number[];
  /** Called after a transaction that wrote outbox rows committed (wakes the relay). */
  readonly onEventsWritten?: () => void;
}

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface Route {
  readonly legs: readonly Flight[];
  readonly totalDurationMinutes: number;
  readonly distanceKm: number;
}

const newId = ulid;

/** Schedules, live status, boards, routes: the flight half of the service. */
export class FlightApp {
  constructor(private readonly o: FlightAppOptions) {}

  get airports(): AirportDirectory {
    return this.o.airports;
  }

  getAirport(code: string): AirportInfo {
    const v = new Violations();
    const c = v.text('code', code, /^[A-Z]{3}$/, 'must be a 3-letter IATA airport code', { upper: true });
    v.throwIfAny();
    const a = this.o.airports.get(c);
    if (!a) throw new NotFoundError('airport', c);
    return a;
  }

  /** Airports by code / name prefix / area code / country, ordered by IATA code, keyset pages. */
  listAirports(filter: { query: string; cnAreaCode: string; countryCode: string }, page: { pageSize: number; pageToken: string } | undefined) {
    const after = decodeCursor(page?.pageToken ?? '', 'page.page_token', (x): x is { a: string } => typeof (x as { a?: unknown }).a === 'string');
    const all = this.o.airports.list(filter);
    const size = pageSize(page?.pageSize, 50, 500);
    const rest = after ? all.filter((a) => a.iata > after.a) : all;
    const airports = rest.slice(0, size);
    const last = airports[airports.length - 1];
    return { airports, total: all.length, nextPageToken: rest.length > size && last ? encodeCursor({ a: last.iata }) : '' };
  }

  async upsertSchedule(principal: Principal, flights: readonly ScheduleInput[]): Promise<UpsertCounts> {
    requireRole(principal, ...OPS_ROLES);
    const v = new Violations();
    if (flights.length === 0) v.add('flights', 'must contain at least one flight', 'REQUIRED');
    if (flights.length > MAX_BATCH) v.add('flights', `at most ${MAX_BATCH} flights per call`, 'MAX_ITEMS');
    const schedules: Schedule[] = [];
    const seen = new Set<string>();
    flights.slice(0, MAX_BATCH).forEach((f, i) => {
      const s = validateSchedule(v, this.o.airports, `flights[${i}]`, f);
      if (!s) return;
      const k = `${s.key.carrier}|${s.key.number}|${s.key.date}`;
      if (seen.has(k)) v.add(`flights[${i}].flight`, 'appears twice in this request', 'DUPLICATE');
      seen.add(k);
      schedules.push(s);
    });
    v.throwIfAny();
    return this.store(schedules);
  }

  /** Bulk load of the SSIM-like text format; every bad line is named, nothing is written if any is bad. */
  async importSchedule(principal: Principal, content: string): Promise<UpsertCounts & { flights: number }> {
    requireRole(principal, ...OPS_ROLES);
    if (content.trim() === '') throw new ValidationError({ field: 'content', description: 'is empty', rule: 'REQUIRED' });
    const parsed = parseSsim(content);
    const v = new Violations();
    for (const e of parsed.errors) v.add(`content.line[${e.line}]`, e.description, 'FORMAT');
    if (parsed.legs.length > 200_000) v.add('content', 'expands to more than 200000 dated flights', 'MAX_ITEMS');
    v.throwIfAny();
    const schedules: Schedule[] = [];
    for (const leg of parsed.legs) {
      const s = validateSchedule(v, this.o.airports, `content.line[${leg.line}]`, {
        flight: { carrier: leg.carrier, number: leg.number, date: leg.date },
        operating: undefined,
        codeshares: leg.codeshares,
        serviceType: leg.serviceType,
        origin: leg.origin,
        destination: leg.destination,
        scheduledDeparture: { localDateTime: leg.departureLocal, timeZone: '' },
        scheduledArrival: { localDateTime: leg.arrivalLocal, timeZone: '' },
        aircraftType: leg.aircraftType,
        fares: [],
      });
      if (s) schedules.push(s);
      if (!v.empty) break; // one bad leg names its line; the rest of a period would repeat it
    }
    v.throwIfAny();
    const counts = await this.store(schedules);
    return { ...counts, flights: schedules.length };
  }

  private async store(schedules: readonly Schedule[]): Promise<UpsertCounts> {
    const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
    const CHUNK = 500;
    for (let i = 0; i < schedules.length; i += CHUNK) {
      await this.o.db.transaction(async (tx) => {
        for (const s of schedules.slice(i, i + CHUNK)) {
          const r = await upsertSchedule(tx, `flt_${newId()}`, s);
          counts[r.outcome]++;
        }
      });
    }
    return counts;
  }

  /**
   * Applies one operational update. The update joins the flight's history (a repeated update id is a duplicate);
   * the live state is re-derived from the whole history in source order (see replayUpdates), and events are written
   * for what changed: one FlightDelayed per threshold the delay ever reached, cancelled/diverted once.
   */
  async ingestStatusUpdate(principal: Principal, input: StatusUpdateInput): Promise<{ flight: Flight; applied: boolean }> {
    requireRole(principal, ...OPS_ROLES);
    const pre = new Violations();
    const key = validateFlightRef(pre, 'flight', input.flight);
    pre.throwIfAny();
    const known = await findFlightByKey(this.o.db, key);
    if (!known) throw new NotFoundError('flight', `${key.carrier}${key.number}/${key.date}`);
    const v = new Violations();
    const update = validateStatusUpdate(v, this.o.airports, input, {
      origin: known.schedule.scheduledDeparture.zone,
      destination: known.schedule.scheduledArrival.zone,
    });
    v.throwIfAny();
    const result = await this.o.db.transaction(async (tx) => {
      const before = await findFlightById(tx, known.id, { forUpdate: true });
      if (!before) throw new NotFoundError('flight', known.id);
      const fresh = await recordStatusUpdate(tx, before.id, update, updateToJson(update));
      if (!fresh) return { flight: before, applied: false, events: 0 };
      const history = (await listStatusPayloads(tx, before.id)).map(updateFromJson);
      const replay = replayUpdates(before.schedule, history);
      const maxDelay = Math.max(before.maxDelayMinutes, replay.maxDelayMinutes);
      const crossed = newlyCrossedThresholds(this.o.delayThresholds, maxDelay, before.notifiedThresholds);
      const after: Flight = {
        ...before,
        live: replay.live,
        maxDelayMinutes: maxDelay,
        notifiedThresholds: [...before.notifiedThresholds, ...crossed].sort((a, b) => a - b),
        cancelNotified: before.cancelNotified || replay.live.status === 'CANCELLED',
        divertNotified: before.divertNotified || replay.live.status === 'DIVERTED',
        lastObserveTime: replay.lastObserveTime,
        version: before.version + 1,
        updatedAt: new Date(),
      };
      const applied = JSON.stringify(after.live) !== JSON.stringify(before.live) || crossed.length > 0;
      await markUpdateApplied(tx, before.id, update.updateId, applied);
      if (!applied) return { flight: before, applied: false, events: 0 };
      await saveLive(tx, before.id, after);
      const events = await emitFlightChange(tx, { before, after, crossedThresholds: crossed });
      return { flight: after, applied: true, events };
    });
    if (result.events > 0) this.o.onEventsWritten?.();
    return { flight: result.flight, applied: result.applied };
  }

  async getFlight(key: { flightId?: string | undefined; flight?: FlightRefInput | undefined }): Promise<Flight> {
    if (key.flightId !== undefined && key.flightId !== '') {
      if (!/^flt_[0-9A-HJKMNP-TV-Z]{26}$/.test(key.flightId)) throw new ValidationError({ field: 'flight_id', description: 'must be flt_ + ULID', rule: 'INVALID_ID' });
      const f = await findFlightById(this.o.db, key.flightId);
      if (!f) throw new NotFoundError('flight', key.flightId);
      return f;
    }
    const v = new Violations();
    const k = validateFlightRef(v, 'flight', key.flight);
    v.throwIfAny();
    const f = await findFlightByKey(this.o.db, k);
    if (!f) throw new NotFoundError('flight', `${k.carrier}${k.number}/${k.date}`);
    return f;
  }

  /** Departures or arrivals at an airport, a city (IATA city code) or a PRC area code, by instant or local window. */
  async board(kind: 'departures' | 'arrivals', input: BoardInput): Promise<{ flights: Flight[]; nextPageToken: string }> {
    const v = new Violations();
    const location = v.text('airport', input.airport, /^([A-Z]{3}|0\d{2,3})$/, 'must be an IATA airport or city code, or a PRC area code', { upper: true });
    const airports = location === '' ? [] : this.o.airports.resolve(location);
    if (location !== '' && airports.length === 0) v.add('airport', `unknown airport, city or area code ${location}`, 'UNKNOWN_LOCATION');
    const carrier = v.text('carrier', input.carrier, /^([A-Z0-9]{2}|[A-Z]{3})$/, 'must be a carrier code', { upper: true, optional: true });
    let from = input.window?.startTime;
    let to = input.window?.endTime;
    const zone = airports[0]?.timeZone;
    if ((input.localStart !== '' || input.localEnd !== '') && zone) {
      if (input.window?.startTime || input.window?.endTime) v.add('window', 'give either window or local_start/local_end, not both', 'EXCLUSIVE');
      const resolveBound = (field: string, value: string) => {
        if (value === '') return undefined;
        const r = resolveLocal(value, zone);
        if (typeof r === 'string') {
          v.add(field, r === 'NONEXISTENT' ? `does not exist in ${zone}` : 'must be YYYY-MM-DDTHH:MM', r);
          return undefined;
        }
        return r.utc;
      };
      from = resolveBound('local_start', input.localStart);
      to = resolveBound('local_end', input.localEnd);
    }
    if (from && to && to <= from) v.add('window.end_time', 'must be after the start', 'RANGE');
    const after = decodeCursor(input.page?.pageToken ?? '', 'page.page_token', (x): x is { t: string; id: string } => {
      const o = x as { t?: unknown; id?: unknown };
      return typeof o === 'object' && o !== null && typeof o.t === 'string' && typeof o.id === 'string';
    });
    v.throwIfAny();
    const limit = pageSize(input.page?.pageSize, 50, 200);
    const rows = await listBoard(this.o.db, { kind, airports: airports.map((a) => a.iata), from, to, carrier, after, limit: limit + 1 });
    const flights = rows.slice(0, limit);
    const last = flights[flights.length - 1];
    const t = (f: Flight) => (kind === 'departures' ? f.schedule.scheduledDeparture.utc : f.schedule.scheduledArrival.utc).toISOString();
    return { flights, nextPageToken: rows.length > limit && last ? encodeCursor({ t: t(last), id: last.id }) : '' };
  }

  /** Direct flights and, when asked, one-stop connections (≥ 60 min, ≤ 24 h on the ground), earliest arrival first. */
  async searchRoutes(input: { origin: string; destination: string; date: string; maxConnections: number }): Promise<Route[]> {
    const v = new Violations();
    const loc = /^([A-Z]{3}|0\d{2,3})$/;
    const o = v.text('origin', input.origin, loc, 'must be an IATA airport or city code, or a PRC area code', { upper: true });
    const d = v.text('destination', input.destination, loc, 'must be an IATA airport or city code, or a PRC area code', { upper: true });
    const date = v.date('date', input.date);
    if (input.maxConnections < 0 || input.maxConnections > 1) v.add('max_connections', 'must be 0 or 1', 'RANGE');
    const origins = o === '' ? [] : this.o.airports.resolve(o).map((a) => a.iata);
    const dests = d === '' ? [] : this.o.airports.resolve(d).map((a) => a.iata);
    if (o !== '' && origins.length === 0) v.add('origin', `unknown location ${o}`, 'UNKNOWN_LOCATION');
    if (d !== '' && dests.length === 0) v.add('destination', `unknown location ${d}`, 'UNKNOWN_LOCATION');
    v.throwIfAny();
    const routeOf = (legs: Flight[]): Route => {
      const first = legs[0] as Flight;
      const last = legs[legs.length - 1] as Flight;
      return {
        legs,
        totalDurationMinutes: minutesBetween(first.schedule.scheduledDeparture.utc, last.schedule.scheduledArrival.utc),
        distanceKm: legs.reduce((s, l) => s + l.schedule.distanceKm, 0),
      };
    };
    const live = (f: Flight) => f.live.status !== 'CANCELLED';
    const routes: Route[] = (await listByRoute(this.o.db, origins, [date], dests)).filter(live).map((f) => routeOf([f]));
    if (input.maxConnections >= 1) {
      const firstLegs = (await listByRoute(this.o.db, origins, [date])).filter((f) => live(f) && !dests.includes(f.schedule.destination));
      const hubs = [...new Set(firstLegs.map((f) => f.schedule.destination))];
      if (hubs.length > 0) {
        const nextDay = new Date(`${date}T00:00:00Z`);
        nextDay.setUTCDate(nextDay.getUTCDate() + 1);
        const second = (await listByRoute(this.o.db, hubs, [date, nextDay.toISOString().slice(0, 10)], dests)).filter(live);
        for (const a of firstLegs) {
          for (const b of second) {
            if (b.schedule.origin !== a.schedule.destination) continue;
            const ground = minutesBetween(a.schedule.scheduledArrival.utc, b.schedule.scheduledDeparture.utc);
            if (ground >= MIN_CONNECTION_MINUTES && ground <= MAX_CONNECTION_MINUTES) routes.push(routeOf([a, b]));
          }
        }
      }
    }
    const arrival = (r: Route) => (r.legs[r.legs.length - 1] as Flight).schedule.scheduledArrival.utc.getTime();
    return routes.sort((x, y) => arrival(x) - arrival(y) || x.totalDurationMinutes - y.totalDurationMinutes).slice(0, 100);
  }

  /** The flight a cargo or manifest request names; FailedPrecondition when it is not in the schedule. */
  async requireFlight(key: FlightKey): Promise<Flight> {
    const f = await findFlightByKey(this.o.db, key);
    if (!f) throw new FailedPreconditionError(`flight ${key.carrier}${key.number} on ${key.date} is not in the schedule`, { reason: 'FLIGHT_NOT_SCHEDULED' });
    return f;
  }
}
