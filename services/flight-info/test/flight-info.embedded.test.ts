import { FlightStatus, type Flight } from '@csm/contracts/gen/csm/flightinfo/v1/flight';
import { isDomainError, NotFoundError, ValidationError } from '@csm/platform/errors';
import { awb, EVENING_UPDATES, pekLhr, shuffledWithDuplicates, simpleFlight } from './support/fixtures';
import { call, eventually, RecordingBus, startHarness, type Harness } from './support/harness';

// One PGlite-backed service for the whole file (PGlite boots take seconds on the shared 2 cores).
let h: Harness;
const bus = new RecordingBus();

beforeAll(async () => {
  h = await startHarness({ CSM_MODE: 'embedded', CSM_CARGO_RCF_SCAN_INTERVAL_MS: '200', CSM_CARGO_RCF_TIMEOUT_MIN: '60' }, bus);
}, 180_000);

afterAll(async () => {
  await h?.stop();
}, 60_000);

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isDomainError(err)) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const eventsOf = (type: string, flightId?: string) => bus.events.filter((e) => e.type === type && (flightId === undefined || e.subject === flightId));

describe('flight-info over gRPC (embedded: PGlite)', () => {
  it('stores and queries PEK 23:30 → LHR correctly on the night UK clocks change', async () => {
    const up = await call(h.flights, 'upsertSchedule', { flights: [pekLhr()], source: 'test' }, h.tokens.ops);
    expect(up).toMatchObject({ createdCount: 1, updatedCount: 0 });
    const { flight } = await call(h.flights, 'getFlight', { flight: { carrier: 'CA', number: '937', date: '2026-10-24' } });
    expect(flight?.scheduledDeparture).toEqual({ localDateTime: '2026-10-24T23:30:00', timeZone: 'Asia/Shanghai', utcTime: new Date('2026-10-24T15:30:00Z') });
    // 04:25 GMT: the clocks went back at 02:00 BST, so 04:25 local is 04:25 UTC, not 03:25.
    expect(flight?.scheduledArrival).toEqual({ localDateTime: '2026-10-25T04:25:00', timeZone: 'Europe/London', utcTime: new Date('2026-10-25T04:25:00Z') });
    expect(flight?.greatCircleDistanceKm).toBeGreaterThan(8100);

    // Arrivals board at LHR by local window (the early hours of the 25th, GMT) and by UTC window.
    const local = await call(h.flights, 'listArrivals', { airport: 'LHR', window: undefined, localStart: '2026-10-25T04:00', localEnd: '2026-10-25T05:00', carrier: '', page: undefined });
    expect(local.flights.map((f) => f.id)).toEqual([flight?.id]);
    const utc = await call(h.flights, 'listArrivals', {
      airport: 'LHR',
      window: { startTime: new Date('2026-10-25T03:00:00Z'), endTime: new Date('2026-10-25T04:00:00Z') },
      localStart: '',
      localEnd: '',
      carrier: '',
      page: undefined,
    });
    expect(utc.flights).toEqual([]); // a BST reading of 04:25 (03:25Z) would have landed here
    // Departures board by the Beijing area code and by city code, local evening of the 24th.
    for (const airport of ['010', 'BJS', 'PEK']) {
      const dep = await call(h.flights, 'listDepartures', { airport, window: undefined, localStart: '2026-10-24T23:00', localEnd: '2026-10-25T00:00', carrier: 'CA', page: undefined });
      expect(dep.flights.map((f) => f.id)).toEqual([flight?.id]);
    }
    // A local time skipped by spring-forward is refused, naming the field.
    const bad = pekLhr('939', '2027-03-27');
    bad.scheduledArrival = { localDateTime: '2027-03-28T01:30', timeZone: '', utcTime: undefined };
    const err = await rejection(call(h.flights, 'upsertSchedule', { flights: [bad], source: 'test' }, h.tokens.ops));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.violations).toEqual([expect.objectContaining({ field: 'flights[0].scheduled_arrival.local_date_time', rule: 'NONEXISTENT_LOCAL_TIME' })]);
  }, 60_000);

  it('converges shuffled and duplicated status updates to one state with exactly one delayed event per threshold', async () => {
    const numbers = ['1001', '1002', '1003', '1004'];
    await call(h.flights, 'upsertSchedule', { flights: numbers.map((n) => pekLhr(n)), source: 'test' }, h.tokens.ops);
    const finals: Flight[] = [];
    for (const [i, number] of numbers.entries()) {
      const order = i === 0 ? [...EVENING_UPDATES] : shuffledWithDuplicates(EVENING_UPDATES, 7 + i * 13);
      const applied: boolean[] = [];
      for (const u of order) {
        const r = await call(h.flights, 'ingestStatusUpdate', { ...u, flight: { carrier: 'CA', number, date: '2026-10-24' } }, h.tokens.ops);
        applied.push(r.applied);
      }
      if (i > 0) expect(applied.filter((a) => !a).length).toBeGreaterThanOrEqual(order.length - EVENING_UPDATES.length); // duplicates ignored
      const { flight } = await call(h.flights, 'getFlight', { flight: { carrier: 'CA', number, date: '2026-10-24' } });
      finals.push(flight!);
    }
    const comparable = (f: Flight) => ({ ...f, id: '', flight: undefined, audit: undefined });
    for (const f of finals.slice(1)) expect(comparable(f)).toEqual(comparable(finals[0]!));
    expect(finals[0]).toMatchObject({ status: FlightStatus.FLIGHT_STATUS_DEPARTED, departureGate: 'E15', departureTerminal: '3', departureDelayMinutes: 50, arrivalDelayMinutes: 45 });

    await eventually(() => finals.every((f) => eventsOf('csm.flight.flight.delayed.v1', f.id).length >= 3));
    await new Promise((r) => setTimeout(r, 1_000)); // any extra event would have been relayed by now
    for (const f of finals) {
      const delayed = eventsOf('csm.flight.flight.delayed.v1', f.id);
      expect(delayed.map((e) => e.data['thresholdMinutes']).sort((a, b) => Number(a) - Number(b))).toEqual([15, 60, 180]);
      const snap = delayed[0]?.data['flight'] as Record<string, unknown>;
      expect(snap).toMatchObject({ flightId: f.id, origin: 'PEK', destination: 'LHR', greatCircleDistanceKm: f.greatCircleDistanceKm });
      expect(snap['scheduledArrival']).toMatchObject({ localDateTime: '2026-10-25T04:25:00', timeZone: 'Europe/London', utcTime: '2026-10-25T04:25:00.000Z' });
    }
  }, 120_000);

  it('publishes cancelled and diverted once, and keeps history', async () => {
    await call(h.flights, 'upsertSchedule', { flights: [simpleFlight('MU', '5101', '2026-11-02', 'SHA', '2026-11-02T08:00', 'PEK', '2026-11-02T10:15')], source: '' }, h.tokens.ops);
    const ref = { carrier: 'MU', number: '5101', date: '2026-11-02' };
    const base = { source: 'SOC', delayReasons: [], divertedTo: '', status: FlightStatus.FLIGHT_STATUS_CANCELLED, cancelReason: 'weather' };
    const a = await call(h.flights, 'ingestStatusUpdate', { ...base, flight: ref, updateId: 'c1', observeTime: new Date('2026-11-02T05:00:00Z') }, h.tokens.ops);
    const b = await call(h.flights, 'ingestStatusUpdate', { ...base, flight: ref, updateId: 'c2', observeTime: new Date('2026-11-02T05:05:00Z') }, h.tokens.ops);
    const dup = await call(h.flights, 'ingestStatusUpdate', { ...base, flight: ref, updateId: 'c1', observeTime: new Date('2026-11-02T05:00:00Z') }, h.tokens.ops);
    expect([a.applied, b.applied, dup.applied]).toEqual([true, false, false]);
    expect(a.flight?.cancelReason).toBe('weather');
    await eventually(() => eventsOf('csm.flight.flight.cancelled.v1', a.flight?.id).length === 1);
    // A schedule change replaces the scheduled part and keeps the live status.
    const changed = { ...simpleFlight('MU', '5101', '2026-11-02', 'SHA', '2026-11-02T08:00', 'PEK', '2026-11-02T10:15'), aircraftType: '333' };
    expect(await call(h.flights, 'upsertSchedule', { flights: [changed], source: '' }, h.tokens.ops)).toMatchObject({ updatedCount: 1, createdCount: 0 });
    const kept = await call(h.flights, 'getFlight', { flightId: a.flight?.id ?? '' });
    expect(kept.flight).toMatchObject({ aircraftType: '333', status: FlightStatus.FLIGHT_STATUS_CANCELLED, cancelReason: 'weather' });

    await call(h.flights, 'upsertSchedule', { flights: [simpleFlight('MU', '5102', '2026-11-02', 'SHA', '2026-11-02T09:00', 'PEK', '2026-11-02T11:15')], source: '' }, h.tokens.ops);
    const d = await call(
      h.flights,
      'ingestStatusUpdate',
      { flight: { ...ref, number: '5102' }, updateId: 'd1', observeTime: new Date('2026-11-02T03:00:00Z'), source: 'SOC', status: FlightStatus.FLIGHT_STATUS_DIVERTED, divertedTo: 'TSN', delayReasons: [], cancelReason: '', actualArrival: { localDateTime: '2026-11-02T11:40', timeZone: '', utcTime: undefined } },
      h.tokens.ops,
    );
    expect(d.flight).toMatchObject({ divertedTo: 'TSN', actualArrival: { timeZone: 'Asia/Shanghai' } });
    await eventually(() => eventsOf('csm.flight.flight.diverted.v1', d.flight?.id).length === 1);
    const bad = await rejection(call(h.flights, 'ingestStatusUpdate', { flight: ref, updateId: '', observeTime: undefined, source: '', status: 99 as FlightStatus, delayReasons: [{ code: 'X', description: '', minutes: -1 }], divertedTo: 'ZZZ', cancelReason: '' }, h.tokens.ops));
    expect(bad.violations.map((v) => v.field).sort()).toEqual(['delay_reasons[0].code', 'delay_reasons[0].minutes', 'diverted_to', 'observe_time', 'status', 'update_id']);
  }, 60_000);

  it('imports an SSIM-like file and answers route searches, also with a connection', async () => {
    const file = [
      'CA 1501 2026-12-01 2026-12-07 1234567 PEK 0800 SHA 1015 32N',
      'MU 5301 2026-12-01 2026-12-07 1234567 SHA 1200 CAN 1445 32N',
      'CZ 3101 2026-12-01 2026-12-07 .2.4.6. PEK 0900 CAN 1215 333 CA3101',
    ].join('\n');
    const r = await call(h.flights, 'importSchedule', { content: file, source: 'SSIM import' }, h.tokens.ops);
    expect(r).toMatchObject({ flightCount: 7 + 7 + 3, createdCount: 17 });
    const again = await call(h.flights, 'importSchedule', { content: file, source: 'SSIM import' }, h.tokens.ops);
    expect(again).toMatchObject({ unchangedCount: 17, createdCount: 0 });
    // Tuesday 2026-12-01: direct CZ3101 and PEK→SHA→CAN; by area codes 010 → 020.
    const routes = await call(h.flights, 'searchRoutes', { origin: '010', destination: '020', date: '2026-12-01', maxConnections: 1 });
    expect(routes.routes.map((rt) => rt.legs.map((l) => `${l.flight?.carrier}${l.flight?.number}`).join('+'))).toEqual(['CZ3101', 'CA1501+MU5301']);
    expect(routes.routes[1]?.totalDurationMinutes).toBe(6 * 60 + 45);
    // A codeshare designator finds the operating flight.
    const cs = await call(h.flights, 'getFlight', { flight: { carrier: 'CA', number: '3101', date: '2026-12-01' } });
    expect(cs.flight?.flight).toEqual({ carrier: 'CZ', number: '3101', date: '2026-12-01' });
    const badFile = await rejection(call(h.flights, 'importSchedule', { content: 'CA 1 2026-12-01 2026-12-01 1234567 PEK 0800 XXX 1015 32N', source: '' }, h.tokens.ops));
    expect(badFile.violations[0]?.field).toBe('content.line[1].destination');
    const anon = await rejection(call(h.flights, 'importSchedule', { content: file, source: '' }));
    expect(anon.reason).toBe('MISSING_TOKEN');
  }, 60_000);

  it('keeps manifests so other services can find who a disruption affects (agents only)', async () => {
    const ref = { carrier: 'CA', number: '937', date: '2026-10-24' };
    const entry = (bookingRef: string, ssrCodes: string[], passengerId = '') => ({
      passengerId,
      bookingRef,
      ticketNumber: '9991234567890',
      nameLatin: 'WANG/XIAOMING MR',
      cabin: 'ECONOMY',
      bookingClass: 'Y',
      seat: '32A',
      ssrCodes,
      checkedBags: 1,
      checkedIn: true,
      boarded: false,
      ffpNumber: 'CA123456789',
    });
    const r = await call(h.flights, 'ingestManifest', { flight: ref, entries: [entry('ABC123', ['WCHR'], 'pax_01J8ZQ7M6T3V6W5X4Y3Z2A1B0C'), entry('DEF456', []), entry('GHI789', ['UMNR'])], source: 'DCS' }, h.tokens.ops);
    expect(r).toEqual({ entryCount: 3, matchedCount: 1 });
    const all = await call(h.flights, 'listManifest', { flight: ref, ssrCodes: [], page: { pageSize: 2, pageToken: '' } }, h.tokens.agent);
    expect(all.entries.map((e) => e.bookingRef)).toEqual(['ABC123', 'DEF456']);
    expect(all.entries[0]?.nameLatin).toBe(''); // names stay with the profile service
    const next = await call(h.flights, 'listManifest', { flight: ref, ssrCodes: [], page: { pageSize: 2, pageToken: all.page?.nextPageToken ?? '' } }, h.tokens.agent);
    expect(next.entries.map((e) => e.bookingRef)).toEqual(['GHI789']);
    const special = await call(h.flights, 'listManifest', { flight: ref, ssrCodes: ['WCHR', 'UMNR'], page: undefined }, h.tokens.agent);
    expect(special.entries.map((e) => e.bookingRef)).toEqual(['ABC123', 'GHI789']);
    const denied = await rejection(call(h.flights, 'listManifest', { flight: ref, ssrCodes: [], page: undefined }, h.tokens.passenger));
    expect(denied.reason).toBe('PERMISSION_DENIED');
  }, 60_000);

  it('answers airports by code, area code and Chinese city name', async () => {
    const a = await call(h.flights, 'getAirport', { code: 'pek' });
    expect(a.airport).toMatchObject({ iataCode: 'PEK', cityCode: 'BJS', countryCode: 'CN', timeZone: 'Asia/Shanghai', cnAreaCodes: ['010'] });
    expect(a.airport?.localizedCityNames).toEqual([{ language: 'zh-CN', text: '北京' }]);
    const byArea = await call(h.flights, 'listAirports', { query: '', cnAreaCode: '0755', countryCode: '', page: undefined });
    expect(byArea.airports.map((x) => x.iataCode)).toEqual(['SZX']);
    const byZh = await call(h.flights, 'listAirports', { query: '上海', cnAreaCode: '', countryCode: '', page: undefined });
    expect(byZh.airports.map((x) => x.iataCode)).toEqual(['PVG', 'SHA']);
    const p1 = await call(h.flights, 'listAirports', { query: '', cnAreaCode: '', countryCode: 'GB', page: { pageSize: 3, pageToken: '' } });
    const p2 = await call(h.flights, 'listAirports', { query: '', cnAreaCode: '', countryCode: 'GB', page: { pageSize: 3, pageToken: p1.page?.nextPageToken ?? '' } });
    expect(p1.airports).toHaveLength(3);
    expect(p2.airports[0]!.iataCode > p1.airports[2]!.iataCode).toBe(true);
    const badToken = await rejection(call(h.flights, 'listAirports', { query: '', cnAreaCode: '', countryCode: '', page: { pageSize: 3, pageToken: 'nope' } }));
    expect(badToken.violations[0]).toMatchObject({ field: 'page.page_token', rule: 'INVALID_PAGE_TOKEN' });
  });
});

describe('cargo over gRPC (embedded: PGlite)', () => {
  const flight = { carrier: 'CA', number: '937', date: '2026-10-24' };
  const waybill = (number: string, weightKg = 100) => ({
    number,
    origin: 'PEK',
    destination: 'LHR',
    shipper: { name: 'ignored', accountNumber: 'ACC-001', city: 'Beijing', countryCode: 'CN', phone: '+8610000' },
    consignee: { name: 'ignored', accountNumber: 'ACC-900', city: 'London', countryCode: 'GB', phone: '' },
    pieces: 2,
    weightKg,
    volumeM3: 0.5,
    commodity: 'machine parts',
    specialHandlingCodes: [],
  });

  it('rejects a bad air waybill check digit naming the field, and writes nothing', async () => {
    await call(h.cargo, 'setFlightCapacity', { flight, totalWeightKg: 10_000, totalVolumeM3: 60 }, h.tokens.ops);
    const err = await rejection(call(h.cargo, 'bookShipment', { airWaybill: waybill('999-12345674'), flights: [flight], idempotencyKey: 'bad-1' }, h.tokens.agent));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.violations).toEqual([expect.objectContaining({ field: 'air_waybill.number', rule: 'CHECK_DIGIT' })]);
    const cap = await call(h.cargo, 'getFlightCapacity', { flight });
    expect(cap.capacity?.bookedWeightKg).toBe(0);
  });

  it('quotes with chargeable weight = max(actual, volume / 6000)', async () => {
    const q = await call(h.cargo, 'quoteRate', { origin: 'PEK', destination: 'LHR', pieces: 1, weightKg: 100, volumeM3: 1.2, commodity: '', specialHandlingCodes: [], shipDate: '' });
    expect(q.quote?.chargeableWeightKg).toBe(200);
    expect(q.quote?.total?.currencyCode).toBe('CNY');
  });

  it('books against capacity idempotently, tracks FSU messages and raises DIS and missing-RCF exceptions', async () => {
    const number = awb('999', 7654321);
    const first = await call(h.cargo, 'bookShipment', { airWaybill: waybill(number), flights: [flight], idempotencyKey: 'k-1' }, h.tokens.agent);
    const retry = await call(h.cargo, 'bookShipment', { airWaybill: waybill(number), flights: [flight], idempotencyKey: 'k-1' }, h.tokens.agent);
    expect(retry.shipment?.id).toBe(first.shipment?.id);
    expect(first.shipment).toMatchObject({ statusCode: 'BKD', airWaybill: { number, shipper: { name: '', phone: '', accountNumber: 'ACC-001' } } });
    const cap = await call(h.cargo, 'getFlightCapacity', { flight });
    expect(cap.capacity).toMatchObject({ bookedWeightKg: 100, availableWeightKg: 9_900 });
    const allocated = await call(h.cargo, 'bookShipment', { airWaybill: waybill(''), flights: [flight], idempotencyKey: 'k-2' }, h.tokens.agent);
    expect(allocated.shipment?.airWaybill?.number).toMatch(/^999-\d{8}$/);

    const fsu = (sourceEventId: string, statusCode: string, minutesAgo: number, extra: Record<string, unknown> = {}) =>
      call(
        h.cargo,
        'recordTrackingEvent',
        {
          airWaybillNumber: number,
          event: { statusCode, airport: statusCode === 'ARR' || statusCode === 'DIS' ? 'LHR' : 'PEK', flight, pieces: 2, weightKg: 100, eventTime: new Date(Date.now() - minutesAgo * 60_000), discrepancyCode: '', remarks: '', sourceEventId, ...extra },
        },
        h.tokens.ops,
      );
    await fsu('f1', 'RCS', 300);
    await fsu('f3', 'DEP', 200);
    await fsu('f2', 'MAN', 250); // late: joins the timeline without moving the status back
    const dup = await fsu('f2', 'MAN', 250);
    expect(dup.applied).toBe(false);
    const arr = await fsu('f4', 'ARR', 90);
    expect(arr.shipment?.statusCode).toBe('ARR');
    await fsu('f5', 'DIS', 80, { discrepancyCode: 'MSCA', pieces: 1, remarks: '1 piece short' });
    const tracked = await call(h.cargo, 'trackShipment', { airWaybillNumber: number });
    expect(tracked.events.map((e) => e.statusCode)).toEqual(['RCS', 'MAN', 'DEP', 'ARR', 'DIS', 'BKD']); // timeline by event time; booked after the fact
    expect(tracked.statusCode).toBe('ARR');

    const shipmentId = first.shipment?.id;
    await eventually(() => bus.events.some((e) => e.type === 'csm.cargo.shipment.exception_raised.v1' && e.subject === shipmentId && e.data['exceptionCode'] === 'MSCA'));
    // ARR 90 min ago, no RCF, timeout 60 min: the scanner raises RCF_OVERDUE once.
    await eventually(() => bus.events.some((e) => e.type === 'csm.cargo.shipment.exception_raised.v1' && e.subject === shipmentId && e.data['exceptionCode'] === 'RCF_OVERDUE'));
    await new Promise((r) => setTimeout(r, 600));
    expect(bus.events.filter((e) => e.subject === shipmentId && e.data['exceptionCode'] === 'RCF_OVERDUE')).toHaveLength(1);
    expect(eventsOf('csm.cargo.shipment.booked.v1', shipmentId)).toHaveLength(1);

    const unknown = await rejection(call(h.cargo, 'recordTrackingEvent', { airWaybillNumber: number, event: { statusCode: 'XYZ', airport: 'LHR', flight: undefined, pieces: 1, weightKg: 1, eventTime: new Date(), discrepancyCode: '', remarks: '', sourceEventId: 'x' } }, h.tokens.ops));
    expect(unknown.violations.map((v) => v.field)).toEqual(['event.status_code']);
  }, 60_000);

  it("a forwarder (partner) reads back only the shipments it booked; another partner gets NOT_FOUND; staff read all", async () => {
    const number = awb('999', 2223334);
    const booked = await call(h.cargo, 'bookShipment', { airWaybill: waybill(number), flights: [flight], idempotencyKey: 'fwd-1' }, h.tokens.forwarderA);
    const id = booked.shipment?.id ?? '';
    expect((await call(h.cargo, 'getShipment', { shipmentId: id }, h.tokens.forwarderA)).shipment?.airWaybill?.number).toBe(number);
    expect((await call(h.cargo, 'getShipment', { airWaybillNumber: number }, h.tokens.forwarderA)).shipment?.id).toBe(id);
    const byId = await rejection(call(h.cargo, 'getShipment', { shipmentId: id }, h.tokens.forwarderB));
    expect(byId).toBeInstanceOf(NotFoundError);
    const byAwb = await rejection(call(h.cargo, 'getShipment', { airWaybillNumber: number }, h.tokens.forwarderB));
    expect(byAwb).toBeInstanceOf(NotFoundError);
    expect((await call(h.cargo, 'getShipment', { shipmentId: id }, h.tokens.agent)).shipment?.id).toBe(id);
  });

  it('refuses a booking that does not fit, and lists service outlets by area code', async () => {
    const small = { carrier: 'CA', number: '1501', date: '2026-12-02' };
    await call(h.cargo, 'setFlightCapacity', { flight: small, totalWeightKg: 150, totalVolumeM3: 2 }, h.tokens.ops);
    const wb = { ...waybill(awb('999', 1111111)), destination: 'SHA' };
    const ok = await call(h.cargo, 'bookShipment', { airWaybill: wb, flights: [small], idempotencyKey: '' }, h.tokens.agent);
    expect(ok.shipment?.bookings[0]?.status).toBe(1);
    const full = await rejection(call(h.cargo, 'bookShipment', { airWaybill: { ...wb, number: awb('999', 1111112) }, flights: [small], idempotencyKey: '' }, h.tokens.agent));
    expect(full.reason).toBe('INSUFFICIENT_CAPACITY');
    const outlets = await call(h.cargo, 'listServiceOutlets', { location: '010', page: undefined });
    expect(outlets.outlets.map((o) => o.airport).sort()).toEqual(['PEK', 'PKX']);
  });
});
