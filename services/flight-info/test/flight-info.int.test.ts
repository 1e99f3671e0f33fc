import { FlightStatus, type Flight } from '@csm/contracts/gen/csm/flightinfo/v1/flight';
import { isDomainError } from '@csm/platform/errors';
import { createTestDatabase, testInfra, type TestDatabase } from '@csm/platform/testing';
import { Client } from 'pg';
import { awb, EVENING_UPDATES, pekLhr, shuffledWithDuplicates } from './support/fixtures';
import { call, eventually, startHarness, type Harness } from './support/harness';

// Cluster mode against real PostgreSQL and Kafka; events are checked in the outbox the relay publishes from.
let db: TestDatabase;
let h: Harness;
let sql: Client;

beforeAll(async () => {
  db = await createTestDatabase('flight_info_it');
  h = await startHarness({ CSM_MODE: 'cluster', CSM_PG_URL: db.url, CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(',') });
  sql = new Client({ connectionString: db.url });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await h?.stop();
  await db?.drop();
}, 60_000);

async function outbox(type: string, subject?: string): Promise<{ subject: string; data: Record<string, unknown>; published: boolean }[]> {
  const res = await sql.query<{ aggregate_id: string; envelope: { data: Record<string, unknown> }; published_at: Date | null }>(
    `SELECT aggregate_id, envelope, published_at FROM outbox WHERE event_type = $1 AND ($2::text IS NULL OR aggregate_id = $2) ORDER BY seq`,
    [type, subject ?? null],
  );
  return res.rows.map((r) => ({ subject: r.aggregate_id, data: r.envelope.data, published: r.published_at !== null }));
}

describe('flight-info on PostgreSQL + Kafka', () => {
  it('stores the PEK 23:30 → LHR flight on the UK clock-change night as instants plus local times and zones', async () => {
    await call(h.flights, 'upsertSchedule', { flights: [pekLhr()], source: 'it' }, h.tokens.ops);
    const row = await sql.query(
      `SELECT sched_dep_utc, to_char(sched_dep_local, 'YYYY-MM-DD HH24:MI') AS dep_local, dep_zone,
              sched_arr_utc, to_char(sched_arr_local, 'YYYY-MM-DD HH24:MI') AS arr_local, arr_zone, distance_km
         FROM flights WHERE carrier = 'CA' AND flight_number = '937' AND flight_date = '2026-10-24'`,
    );
    expect(row.rows[0]).toMatchObject({
      sched_dep_utc: new Date('2026-10-24T15:30:00Z'),
      dep_local: '2026-10-24 23:30',
      dep_zone: 'Asia/Shanghai',
      sched_arr_utc: new Date('2026-10-25T04:25:00Z'),
      arr_local: '2026-10-25 04:25',
      arr_zone: 'Europe/London',
    });
    const arrivals = await call(h.flights, 'listArrivals', { airport: 'LON', window: undefined, localStart: '2026-10-25T00:00', localEnd: '2026-10-25T06:00', carrier: '', page: undefined });
    expect(arrivals.flights.map((f) => `${f.flight?.carrier}${f.flight?.number}`)).toEqual(['CA937']);
    expect(arrivals.flights[0]?.scheduledArrival).toEqual({ localDateTime: '2026-10-25T04:25:00', timeZone: 'Europe/London', utcTime: new Date('2026-10-25T04:25:00Z') });
  }, 60_000);

  it('gives shuffled, duplicated and concurrent status updates one final state and one delayed event per threshold', async () => {
    const numbers = ['2001', '2002', '2003'];
    await call(h.flights, 'upsertSchedule', { flights: numbers.map((n) => pekLhr(n)), source: 'it' }, h.tokens.ops);
    const send = (number: string, u: (typeof EVENING_UPDATES)[number]) =>
      call(h.flights, 'ingestStatusUpdate', { ...u, flight: { carrier: 'CA', number, date: '2026-10-24' } }, h.tokens.ops);
    for (const u of EVENING_UPDATES) await send('2001', u);
    for (const u of shuffledWithDuplicates(EVENING_UPDATES, 42)) await send('2002', u);
    await Promise.all(shuffledWithDuplicates(EVENING_UPDATES, 99).map((u) => send('2003', u))); // concurrent deliveries
    const finals: Flight[] = [];
    for (const number of numbers) finals.push((await call(h.flights, 'getFlight', { flight: { carrier: 'CA', number, date: '2026-10-24' } })).flight!);
    const comparable = (f: Flight) => ({ ...f, id: '', flight: undefined, audit: undefined });
    expect(comparable(finals[1]!)).toEqual(comparable(finals[0]!));
    expect(comparable(finals[2]!)).toEqual(comparable(finals[0]!));
    expect(finals[0]).toMatchObject({ status: FlightStatus.FLIGHT_STATUS_DEPARTED, departureDelayMinutes: 50 });
    for (const f of finals) {
      const delayed = await outbox('csm.flight.flight.delayed.v1', f.id);
      expect(delayed.map((e) => e.data['thresholdMinutes'])).toEqual([15, 60, 180]);
      const history = await sql.query(`SELECT count(*)::int AS n FROM flight_status_updates WHERE flight_id = $1`, [f.id]);
      expect(history.rows[0].n).toBe(EVENING_UPDATES.length);
    }
    await eventually(async () => (await sql.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n === 0, 30_000);
  }, 120_000);

  it('never oversells a flight under 100 concurrent bookings', async () => {
    const flight = { carrier: 'CA', number: '937', date: '2026-10-24' };
    await call(h.cargo, 'setFlightCapacity', { flight, totalWeightKg: 1000, totalVolumeM3: 12 }, h.tokens.ops);
    const attempts = Array.from({ length: 100 }, (_, i) => {
      const weightKg = 10 + (i % 7) * 3; // 10..28 kg: together far more than 1000 kg
      return call(
        h.cargo,
        'bookShipment',
        {
          airWaybill: {
            number: awb('999', 3_000_000 + i),
            origin: 'PEK',
            destination: 'LHR',
            shipper: { name: '', accountNumber: 'ACC-1', city: '', countryCode: 'CN', phone: '' },
            consignee: { name: '', accountNumber: 'ACC-2', city: '', countryCode: 'GB', phone: '' },
            pieces: 1,
            weightKg,
            volumeM3: 0.1,
            commodity: 'parts',
            specialHandlingCodes: [],
          },
          flights: [flight],
          idempotencyKey: `it-${i}`,
        },
        h.tokens.agent,
      ).then(
        () => ({ ok: true, weightKg, reason: '' }),
        (err: unknown) => ({ ok: false, weightKg, reason: isDomainError(err) ? err.reason : String(err) }),
      );
    });
    const results = await Promise.all(attempts);
    const booked = results.filter((r) => r.ok);
    expect(results.filter((r) => !r.ok).every((r) => r.reason === 'INSUFFICIENT_CAPACITY')).toBe(true);
    const bookedKg = booked.reduce((s, r) => s + r.weightKg, 0);
    expect(bookedKg).toBeLessThanOrEqual(1000);
    expect(bookedKg).toBeGreaterThan(1000 - 28); // it filled up: no booking that still fitted was refused wrongly
    const cap = await call(h.cargo, 'getFlightCapacity', { flight });
    expect(cap.capacity?.bookedWeightKg).toBeCloseTo(bookedKg, 3);
    const sum = await sql.query(`SELECT coalesce(sum(weight_kg), 0)::float AS kg, count(*)::int AS n FROM cargo_bookings WHERE flight_number = '937'`);
    expect(sum.rows[0]).toEqual({ kg: bookedKg, n: booked.length });
    expect((await outbox('csm.cargo.shipment.booked.v1')).length).toBe(booked.length);
  }, 120_000);
});
