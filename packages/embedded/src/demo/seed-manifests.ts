import { flightinfo } from '@csm/contracts';
import type { DemoClients } from './clients';
import { CARRIER } from './data-flights';
import { addDays, hash } from './dates';
import { flightKey } from './seed-flights';
import type { SeededMember } from './seed-loyalty';

/** Who flies (or flew) on which demo flight: passenger key, cabin, booking class, seat, SSRs. */
interface Seat {
  readonly who: string;
  readonly cabin: 'ECONOMY' | 'BUSINESS' | 'FIRST';
  readonly cls: string;
  readonly seat: string;
  readonly ssr?: string[];
}

const MANIFESTS: readonly { number: string; dayOffset: number; seats: readonly Seat[]; others: number }[] = [
  // The delayed shuttle of the compensated complaint.
  { number: '1501', dayOffset: -2, others: 6, seats: [{ who: 'li-na', cabin: 'BUSINESS', cls: 'J', seat: '2A' }, { who: 'wang-xiaoming', cabin: 'BUSINESS', cls: 'J', seat: '1C' }, { who: 'zhao-lei', cabin: 'ECONOMY', cls: 'Y', seat: '31C', ssr: ['WCHR'] }] },
  // The cancelled flight.
  { number: '1321', dayOffset: -1, others: 5, seats: [{ who: 'zhang-wei', cabin: 'ECONOMY', cls: 'Y', seat: '40K' }, { who: 'chen-jing', cabin: 'ECONOMY', cls: 'B', seat: '41A' }, { who: 'liu-yang', cabin: 'ECONOMY', cls: 'M', seat: '52D' }] },
  { number: '981', dayOffset: -3, others: 4, seats: [{ who: 'james-carter', cabin: 'ECONOMY', cls: 'K', seat: '48H' }] },
  { number: '931', dayOffset: 1, others: 4, seats: [{ who: 'emma-schmidt', cabin: 'ECONOMY', cls: 'Y', seat: '33A' }, { who: 'zhang-wei', cabin: 'ECONOMY', cls: 'Y', seat: '33C' }] },
  { number: '1831', dayOffset: 0, others: 3, seats: [{ who: 'sun-li', cabin: 'BUSINESS', cls: 'C', seat: '3A' }, { who: 'huang-xiaoyu', cabin: 'ECONOMY', cls: 'Y', seat: '12A', ssr: ['UMNR'] }] },
  { number: '101', dayOffset: 2, others: 3, seats: [{ who: 'wang-xiaoming', cabin: 'FIRST', cls: 'F', seat: '1A' }] },
];

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const locator = (seed: string) => {
  let h = hash(seed);
  let s = '';
  for (let i = 0; i < 6; i++) {
    s += LETTERS.charAt(h % LETTERS.length);
    h = Math.floor(h / LETTERS.length) + hash(`${seed}${i}`);
  }
  return s;
};

/** Passenger manifests from the departure-control feed (replaced as a whole, so a re-run is harmless). */
export async function seedManifests(c: DemoClients, passengers: ReadonlyMap<string, string>, members: readonly SeededMember[], anchor: string): Promise<string[]> {
  const done: string[] = [];
  for (const m of MANIFESTS) {
    const date = addDays(anchor, m.dayOffset);
    const key = flightKey(m.number, date);
    const entries: Partial<flightinfo.ManifestEntry>[] = m.seats.map((s, i) => ({
      passengerId: passengers.get(s.who) ?? '',
      bookingRef: locator(`${key}:${s.who}`),
      ticketNumber: `999${String(hash(`${key}:${s.who}`) % 10_000_000_000).padStart(10, '0')}`,
      cabin: s.cabin,
      bookingClass: s.cls,
      seat: s.seat,
      ssrCodes: s.ssr ?? [],
      checkedBags: i % 3 === 0 ? 1 : 0,
      checkedIn: m.dayOffset <= 0,
      boarded: m.dayOffset < 0,
      ffpNumber: members.find((x) => x.passengerKey === s.who)?.memberNumber ?? '',
    }));
    // Travellers without a profile here (identifiers only, as the feed sends them).
    for (let i = 0; i < m.others; i++) {
      entries.push({ bookingRef: locator(`${key}:other:${i}`), ticketNumber: `999${String(hash(`${key}:o${i}`) % 10_000_000_000).padStart(10, '0')}`, cabin: 'ECONOMY', bookingClass: 'Y', seat: `${20 + i}${'ABCDEFGHJK'.charAt(i % 10)}`, ssrCodes: [], checkedBags: i % 2, checkedIn: m.dayOffset <= 0, boarded: m.dayOffset < 0 });
    }
    await c.call(c.flights, 'ingestManifest', flightinfo.IngestManifestRequest.fromPartial({ flight: { carrier: CARRIER, number: m.number, date }, entries, source: 'DCS' }), 'ops');
    done.push(key);
  }
  return done;
}
