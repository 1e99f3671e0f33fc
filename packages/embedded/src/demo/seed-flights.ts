import { flightinfo } from '@csm/contracts';
import { DateTime } from 'luxon';
import type { DemoClients } from './clients';
import { CARRIER, DISRUPTIONS, HUBS, ROUTES, type RouteSeed } from './data-flights';
import { addDays, hash } from './dates';

const { FlightStatus, ServiceType } = flightinfo;

export interface PlannedFlight {
  readonly route: RouteSeed;
  readonly date: string;
  readonly depUtc: DateTime;
  readonly arrUtc: DateTime;
  readonly originZone: string;
  readonly destinationZone: string;
}

export const flightKey = (number: string, date: string) => `${CARRIER}${number}/${date}`;

/** The week's dated flights (anchor −3 … +3), schedule times from the airports' own zones as flight-info knows them. */
export async function planWeek(c: DemoClients, anchor: string): Promise<PlannedFlight[]> {
  const codes = [...new Set(ROUTES.flatMap((r) => [r.origin, r.destination]))];
  const zones = new Map<string, string>();
  for (const code of codes) {
    const res = await c.call(c.flights, 'getAirport', { code }, 'ops');
    const zone = res.airport?.timeZone;
    if (!zone) throw new Error(`demo seed: flight-info has no time zone for ${code}`);
    zones.set(code, zone);
  }
  const out: PlannedFlight[] = [];
  for (let day = -3; day <= 3; day++) {
    const date = addDays(anchor, day);
    for (const route of ROUTES) {
      const originZone = zones.get(route.origin) ?? '';
      const destinationZone = zones.get(route.destination) ?? '';
      const dep = DateTime.fromISO(`${date}T${route.departs}`, { zone: originZone });
      const arr = dep.plus({ minutes: route.blockMinutes });
      out.push({ route, date, depUtc: dep.toUTC(), arrUtc: arr.toUTC(), originZone, destinationZone });
    }
  }
  return out;
}

const local = (t: DateTime, zone: string) => ({ localDateTime: t.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm"), timeZone: '' });
const ref = (f: PlannedFlight) => ({ carrier: CARRIER, number: f.route.number, date: f.date });

/** The schedule as the airline's scheduling system publishes it (one idempotent upsert for the week). */
export async function upsertWeek(c: DemoClients, flights: readonly PlannedFlight[]): Promise<void> {
  const fares = (long: boolean) => [
    { cabin: 'ECONOMY', bookingClass: 'Y', amount: { amountMinor: long ? 620_000 : 128_000, currencyCode: 'CNY' } },
    { cabin: 'BUSINESS', bookingClass: 'J', amount: { amountMinor: long ? 2_680_000 : 398_000, currencyCode: 'CNY' } },
  ];
  await c.call(
    c.flights,
    'upsertSchedule',
    flightinfo.UpsertScheduleRequest.fromPartial({
      source: 'SOC',
      flights: flights.map((f) => ({
        flight: ref(f),
        serviceType: ServiceType.SERVICE_TYPE_PASSENGER,
        origin: f.route.origin,
        destination: f.route.destination,
        scheduledDeparture: local(f.depUtc, f.originZone),
        scheduledArrival: local(f.arrUtc, f.destinationZone),
        aircraftType: f.route.aircraft,
        codeshares: [],
        fares: fares(f.route.blockMinutes > 400),
      })),
    }),
    'ops',
  );
}

/** Operations-control status updates: flown flights arrive (a few minutes either side, or the seeded delays), one is cancelled, the future delays are announced. */
export async function ingestStatuses(c: DemoClients, flights: readonly PlannedFlight[], anchor: string, now: DateTime): Promise<{ delayed: string[]; cancelled: string[] }> {
  const delayed: string[] = [];
  const cancelled: string[] = [];
  for (const f of flights) {
    const dayOffset = Math.round(DateTime.fromISO(f.date, { zone: 'utc' }).diff(DateTime.fromISO(anchor, { zone: 'utc' }), 'days').days);
    const d = DISRUPTIONS.find((x) => x.number === f.route.number && x.dayOffset === dayOffset);
    const key = flightKey(f.route.number, f.date);
    const base = { flight: ref(f), source: 'SOC', departureTerminal: f.route.origin === 'PEK' ? 'T3' : f.route.origin === 'PVG' ? 'T2' : undefined, departureGate: f.route.gate };
    if (d?.kind === 'cancel') {
      const observe = DateTime.min(now, f.depUtc.minus({ hours: 3 }));
      await ingest(c, { ...base, updateId: `demo:${key}:cancel`, observeTime: observe.toJSDate(), status: FlightStatus.FLIGHT_STATUS_CANCELLED, cancelReason: d.reason.description, delayReasons: [{ ...d.reason, minutes: 0 }] });
      cancelled.push(key);
      continue;
    }
    // Routine variation of ±10 minutes, deterministic per flight; the seeded disruptions on top.
    const routine = (hash(key) % 21) - 8;
    const delay = d ? (d.minutes ?? 0) : routine;
    if (d) delayed.push(key);
    const dep = f.depUtc.plus({ minutes: delay });
    const arr = dep.plus({ minutes: f.route.blockMinutes - (hash(`${key}:air`) % 12) });
    const reasons = d ? [{ code: d.reason.code, description: d.reason.description, minutes: delay }] : [];
    if (arr <= now) {
      await ingest(c, { ...base, updateId: `demo:${key}:arrived`, observeTime: arr.toJSDate(), status: FlightStatus.FLIGHT_STATUS_ARRIVED, actualDeparture: local(dep, f.originZone), actualArrival: local(arr, f.destinationZone), delayReasons: reasons });
    } else if (dep <= now) {
      await ingest(c, { ...base, updateId: `demo:${key}:departed`, observeTime: dep.toJSDate(), status: FlightStatus.FLIGHT_STATUS_DEPARTED, actualDeparture: local(dep, f.originZone), estimatedArrival: local(arr, f.destinationZone), delayReasons: reasons });
    } else if (d) {
      await ingest(c, { ...base, updateId: `demo:${key}:delayed`, observeTime: now.toJSDate(), status: FlightStatus.FLIGHT_STATUS_DELAYED, estimatedDeparture: local(dep, f.originZone), estimatedArrival: local(arr, f.destinationZone), delayReasons: reasons });
    }
  }
  return { delayed, cancelled };
}

async function ingest(c: DemoClients, req: Partial<flightinfo.IngestStatusUpdateRequest>): Promise<void> {
  await c.call(c.flights, 'ingestStatusUpdate', flightinfo.IngestStatusUpdateRequest.fromPartial(req), 'ops');
}

/** Departures per hub over the week (what ListDepartures at each hub returns). */
export function departuresByHub(flights: readonly PlannedFlight[]): Record<string, number> {
  return Object.fromEntries(HUBS.map((h) => [h, flights.filter((f) => f.route.origin === h).length]));
}
