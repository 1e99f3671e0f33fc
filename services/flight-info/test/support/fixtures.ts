import type { flightinfo } from '@csm/contracts';
import { FlightStatus } from '@csm/contracts/gen/csm/flightinfo/v1/flight';

/** CA937 PEK 23:30 → LHR on the night UK clocks go back (Sunday 25 October 2026, 02:00 BST → 01:00 GMT). */
export function pekLhr(number = '937', date = '2026-10-24'): flightinfo.ScheduledFlight {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return {
    flight: { carrier: 'CA', number, date },
    operating: undefined,
    codeshares: [],
    serviceType: 0,
    origin: 'PEK',
    destination: 'LHR',
    scheduledDeparture: { localDateTime: `${date}T23:30`, timeZone: '', utcTime: undefined },
    scheduledArrival: { localDateTime: `${next.toISOString().slice(0, 10)}T04:25`, timeZone: 'Europe/London', utcTime: undefined },
    aircraftType: '77W',
    fares: [{ cabin: 'ECONOMY', bookingClass: 'Y', amount: { amountMinor: 650_000, currencyCode: 'CNY' } }],
  };
}

export function simpleFlight(carrier: string, number: string, date: string, origin: string, dep: string, destination: string, arr: string): flightinfo.ScheduledFlight {
  return {
    flight: { carrier, number, date },
    operating: undefined,
    codeshares: [],
    serviceType: 0,
    origin,
    destination,
    scheduledDeparture: { localDateTime: dep, timeZone: '', utcTime: undefined },
    scheduledArrival: { localDateTime: arr, timeZone: '', utcTime: undefined },
    aircraftType: '32N',
    fares: [],
  };
}

type Update = Omit<flightinfo.IngestStatusUpdateRequest, 'flight'>;

function update(id: string, minute: number, fields: Partial<Update>): Update {
  return {
    updateId: id,
    observeTime: new Date(Date.UTC(2026, 9, 24, 10, minute)),
    source: 'SOC',
    status: FlightStatus.FLIGHT_STATUS_UNSPECIFIED,
    delayReasons: [],
    divertedTo: '',
    cancelReason: '',
    ...fields,
  };
}

const local = (localDateTime: string) => ({ localDateTime, timeZone: '', utcTime: undefined });

/**
 * An evening of operational updates for a 23:30 departure: the estimate slips to 190 min late (crossing 15, 60 and
 * 180) and then improves; gate changes; it finally departs 50 min late.
 */
export const EVENING_UPDATES: readonly Update[] = [
  update('soc-1', 1, { departureTerminal: '3', departureGate: 'E12' }),
  update('soc-2', 2, { status: FlightStatus.FLIGHT_STATUS_DELAYED, estimatedDeparture: local('2026-10-24T23:50') }),
  update('soc-3', 3, { estimatedDeparture: local('2026-10-25T00:45'), delayReasons: [{ code: '93', description: 'late inbound aircraft', minutes: 75 }] }),
  update('soc-4', 4, { departureGate: 'E15' }),
  update('soc-5', 5, { estimatedDeparture: local('2026-10-25T02:40') }),
  update('soc-6', 6, { status: FlightStatus.FLIGHT_STATUS_BOARDING, estimatedDeparture: local('2026-10-25T00:10') }),
  update('soc-7', 7, { status: FlightStatus.FLIGHT_STATUS_DEPARTED, actualDeparture: local('2026-10-25T00:20'), estimatedArrival: local('2026-10-25T05:10') }),
];

/** Deterministic shuffle (seeded) with some updates sent twice. */
export function shuffledWithDuplicates<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = [...items, ...items.filter(() => rnd() < 0.4)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A valid AWB number from a 7-digit serial. */
export function awb(prefix: string, serial7: number): string {
  const s = String(serial7).padStart(7, '0');
  return `${prefix}-${s}${serial7 % 7}`;
}
