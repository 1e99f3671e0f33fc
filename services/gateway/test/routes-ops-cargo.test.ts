import { flightinfo } from '@csm/contracts';
import { fakeBackend, fields, send, startGateway, type FakeBackend, type Gateway } from './support/routes-fake-backend';

// Operations ingest (FlightInfoService) and cargo (CargoService) routes against canned flight-info services on one
// gRPC server each: mapping, validation, and who may ingest / book / track.
const FLIGHT = { carrier: 'CA', number: '1234', date: '2026-11-29' };
const FPATH = '/flights/CA/1234/2026-11-29';
const AWB = '999-12345675';
const shipment = flightinfo.Shipment.fromPartial({ id: 'shp_01HZY3K6W0Q8X2N4M5P7R9T1VB', airWaybill: { number: AWB, origin: 'PEK', destination: 'FRA', pieces: 2, weightKg: 120.5 }, statusCode: 'BKD' });

let flights: FakeBackend;
let cargo: FakeBackend;
let gw: Gateway;
let ops: string;
let agent: string;
let analyst: string;
let pax: string;
let partner: string;

beforeAll(async () => {
  flights = await fakeBackend('flight-info', flightinfo.FlightInfoServiceService, {
    upsertSchedule: () => flightinfo.UpsertScheduleResponse.fromPartial({ createdCount: 1, updatedCount: 0, unchangedCount: 0 }),
    importSchedule: () => flightinfo.ImportScheduleResponse.fromPartial({ createdCount: 7, flightCount: 7 }),
    ingestStatusUpdate: () => flightinfo.IngestStatusUpdateResponse.fromPartial({ flight: { id: 'flt_1', flight: FLIGHT, status: flightinfo.FlightStatus.FLIGHT_STATUS_DELAYED }, applied: true }),
    ingestManifest: () => flightinfo.IngestManifestResponse.fromPartial({ entryCount: 1, matchedCount: 1 }),
    listManifest: () => flightinfo.ListManifestResponse.fromPartial({ entries: [{ bookingRef: 'ABC123', nameLatin: 'WANG/XIAOMING MR', ssrCodes: ['WCHR'] }], page: { nextPageToken: '' } }),
  });
  cargo = await fakeBackend('flight-info', flightinfo.CargoServiceService, {
    getFlightCapacity: () => flightinfo.GetFlightCapacityResponse.fromPartial({ capacity: { flight: FLIGHT, totalWeightKg: 20000, availableWeightKg: 15000 } }),
    setFlightCapacity: () => flightinfo.SetFlightCapacityResponse.fromPartial({ capacity: { flight: FLIGHT, totalWeightKg: 18000 } }),
    quoteRate: () => flightinfo.QuoteRateResponse.fromPartial({ quote: { chargeableWeightKg: 167, total: { amountMinor: 250000, currencyCode: 'CNY' } } }),
    bookShipment: () => flightinfo.BookShipmentResponse.fromPartial({ shipment }),
    getShipment: () => flightinfo.GetShipmentResponse.fromPartial({ shipment }),
    trackShipment: () => flightinfo.TrackShipmentResponse.fromPartial({ airWaybillNumber: AWB, statusCode: 'DEP', events: [{ statusCode: 'DEP', airport: 'PEK' }] }),
    recordTrackingEvent: () => flightinfo.RecordTrackingEventResponse.fromPartial({ shipment, applied: false }),
    listServiceOutlets: () => flightinfo.ListServiceOutletsResponse.fromPartial({ outlets: [{ id: 'out_1', airport: 'PEK', name: 'PEK Cargo' }] }),
  });
  // Both services live at the one flight-info address; each fake serves one of them, so cargo gets its own gateway.
  gw = await startGateway({ 'flight-info': flights.address });
  ops = await gw.token(['ops']);
  agent = await gw.token(['agent_l1']);
  analyst = await gw.token(['analyst']);
  pax = await gw.token(['passenger'], { profileId: 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB' });
  partner = await gw.token(['partner'], { partnerCode: 'FWD1' });
});
afterAll(async () => {
  await gw.close();
  await flights.server.shutdown({ graceMs: 50 });
  await cargo.server.shutdown({ graceMs: 50 });
});
beforeEach(() => {
  flights.calls.length = 0;
  cargo.calls.length = 0;
});

const requestOf = <T>(fake: FakeBackend, method: string) => fake.calls.find((c) => c.method === method)?.request as T;

describe('operations ingest', () => {
  it('upserts a schedule (enum by name, zone optional); ops/admin only', async () => {
    const body = {
      flights: [{ flight: FLIGHT, origin: 'PEK', destination: 'SHA', serviceType: 'SERVICE_TYPE_PASSENGER', scheduledDeparture: { localDateTime: '2026-11-29T08:00' }, scheduledArrival: { localDateTime: '2026-11-29T10:15', timeZone: 'Asia/Shanghai' } }],
      source: 'SSIM-feed',
    };
    for (const token of [agent, analyst, pax, partner]) expect((await send(gw, 'post', '/flight-schedules', { token, body })).status).toBe(403);
    const res = await send(gw, 'post', '/flight-schedules', { token: ops, body });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ createdCount: 1 }); // proto3 JSON omits zero values
    expect(requestOf<flightinfo.UpsertScheduleRequest>(flights, 'upsertSchedule')).toMatchObject({
      source: 'SSIM-feed',
      flights: [{ flight: FLIGHT, serviceType: flightinfo.ServiceType.SERVICE_TYPE_PASSENGER, scheduledDeparture: { localDateTime: '2026-11-29T08:00', timeZone: '' }, scheduledArrival: { timeZone: 'Asia/Shanghai' } }],
    });
    const bad = await send(gw, 'post', '/flight-schedules', { token: ops, body: { flights: [{ ...body.flights[0], origin: 'pek', scheduledDeparture: { localDateTime: '8am' } }] } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.flights.0.origin', 'body.flights.0.scheduledDeparture.localDateTime']));
    expect(fields(await send(gw, 'post', '/flight-schedules', { token: ops, body: { flights: [] } }))).toEqual(['body.flights']);
  });

  it('imports a schedule file given as a JSON string', async () => {
    const content = 'H CA\nL CA 1234 PEK0800 SHA1015 1234567 2026-11-01 2026-11-07 333\n';
    const res = await send(gw, 'post', '/flight-schedules/imports', { token: ops, body: { content } });
    expect(res.body).toMatchObject({ createdCount: 7, flightCount: 7 });
    expect(requestOf<flightinfo.ImportScheduleRequest>(flights, 'importSchedule')).toEqual({ content, source: '' });
    expect(fields(await send(gw, 'post', '/flight-schedules/imports', { token: ops, body: { content: '' } }))).toEqual(['body.content']);
  });

  it('ingests a status update: flight key from the path, instants and local times mapped', async () => {
    const res = await send(gw, 'post', `${FPATH}/status-updates`, {
      token: ops,
      body: { updateId: 'occ-778', observeTime: '2026-11-29T07:30:00Z', status: 'FLIGHT_STATUS_DELAYED', estimatedDeparture: { localDateTime: '2026-11-29T09:40' }, departureGate: 'C12', delayReasons: [{ code: '93', minutes: 100 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: true, flight: { status: 'FLIGHT_STATUS_DELAYED' } });
    const req = requestOf<flightinfo.IngestStatusUpdateRequest>(flights, 'ingestStatusUpdate');
    expect(req).toMatchObject({ flight: FLIGHT, updateId: 'occ-778', status: flightinfo.FlightStatus.FLIGHT_STATUS_DELAYED, departureGate: 'C12', estimatedDeparture: { localDateTime: '2026-11-29T09:40', timeZone: '' }, delayReasons: [{ code: '93', minutes: 100, description: '' }] });
    expect(req.observeTime?.toISOString()).toBe('2026-11-29T07:30:00.000Z');
    expect(req.arrivalGate).toBeUndefined();
    const bad = await send(gw, 'post', '/flights/CA/12345/2026-11-29/status-updates', { token: ops, body: { updateId: 'x', observeTime: 'yesterday', status: 'LATE' } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['path.number', 'body.observeTime', 'body.status']));
  });

  it('replaces and lists a manifest; agents may read it, analysts and passengers may not', async () => {
    const put = await send(gw, 'put', `${FPATH}/manifest`, { token: ops, body: { entries: [{ bookingRef: 'ABC123', nameLatin: 'WANG/XIAOMING MR', ssrCodes: ['WCHR'], seat: '32A' }] } });
    expect(put.body).toEqual({ entryCount: 1, matchedCount: 1 });
    expect(requestOf<flightinfo.IngestManifestRequest>(flights, 'ingestManifest')).toMatchObject({ flight: FLIGHT, entries: [{ bookingRef: 'ABC123', seat: '32A', ssrCodes: ['WCHR'] }] });
    expect((await send(gw, 'put', `${FPATH}/manifest`, { token: agent, body: { entries: [] } })).status).toBe(403);
    const list = await send(gw, 'get', `${FPATH}/manifest?ssr=WCHR&ssr=VGML`, { token: agent });
    expect(list.status).toBe(200);
    expect(requestOf<flightinfo.ListManifestRequest>(flights, 'listManifest')).toMatchObject({ flight: FLIGHT, ssrCodes: ['WCHR', 'VGML'] });
    for (const token of [analyst, pax, partner]) expect((await send(gw, 'get', `${FPATH}/manifest`, { token })).status).toBe(403);
    expect((await send(gw, 'get', `${FPATH}/manifest`)).status).toBe(401);
  });
});

describe('cargo', () => {
  let cgw: Gateway;
  let cops: string;
  let cpartner: string;
  let cpax: string;
  beforeAll(async () => {
    cgw = await startGateway({ 'flight-info': cargo.address });
    cops = await cgw.token(['ops']);
    cpartner = await cgw.token(['partner'], { partnerCode: 'FWD1' });
    cpax = await cgw.token(['passenger'], { profileId: 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB' });
  });
  afterAll(async () => {
    await cgw.close();
  });

  it('capacity: staff and partners read it, only ops set it', async () => {
    expect((await send(cgw, 'get', `${FPATH}/cargo-capacity`, { token: cpartner })).body).toMatchObject({ capacity: { availableWeightKg: 15000 } });
    expect((await send(cgw, 'get', `${FPATH}/cargo-capacity`, { token: cpax })).status).toBe(403);
    expect((await send(cgw, 'put', `${FPATH}/cargo-capacity`, { token: cpartner, body: { totalWeightKg: 18000, totalVolumeM3: 90 } })).status).toBe(403);
    expect((await send(cgw, 'put', `${FPATH}/cargo-capacity`, { token: cops, body: { totalWeightKg: 18000, totalVolumeM3: 90 } })).status).toBe(200);
    expect(requestOf<flightinfo.SetFlightCapacityRequest>(cargo, 'setFlightCapacity')).toEqual({ flight: FLIGHT, totalWeightKg: 18000, totalVolumeM3: 90 });
    expect(fields(await send(cgw, 'put', `${FPATH}/cargo-capacity`, { token: cops, body: { totalWeightKg: -1 } }))).toEqual(expect.arrayContaining(['body.totalWeightKg', 'body.totalVolumeM3']));
  });

  it('quotes, tracks and lists outlets for anyone (public, like flight status), signed in or not', async () => {
    const q = await send(cgw, 'post', '/cargo/quotes', { token: cpax, body: { origin: 'PEK', destination: 'FRA', weightKg: 120.5, volumeM3: 1, specialHandlingCodes: ['PER'] } });
    expect(q.body).toMatchObject({ quote: { chargeableWeightKg: 167, total: { amountMinor: 250000, currencyCode: 'CNY' } } });
    expect(requestOf<flightinfo.QuoteRateRequest>(cargo, 'quoteRate')).toMatchObject({ origin: 'PEK', destination: 'FRA', weightKg: 120.5, volumeM3: 1, specialHandlingCodes: ['PER'] });
    expect(fields(await send(cgw, 'post', '/cargo/quotes', { token: cpax, body: { origin: 'PEK', destination: 'FRA', weightKg: 0 } }))).toEqual(['body.weightKg']);
    const t = await send(cgw, 'get', `/cargo/tracking/${AWB}`, { token: cpax });
    expect(t.body).toMatchObject({ airWaybillNumber: AWB, statusCode: 'DEP' });
    expect(requestOf<flightinfo.TrackShipmentRequest>(cargo, 'trackShipment')).toEqual({ airWaybillNumber: AWB });
    expect(fields(await send(cgw, 'get', '/cargo/tracking/99912345675', { token: cpax }))).toEqual(['path.awb']);
    const anonymous = await send(cgw, 'get', `/cargo/tracking/${AWB}`);
    expect(anonymous.status).toBe(200);
    expect(cargo.calls[cargo.calls.length - 1]?.authorization).toBeUndefined();
    expect((await send(cgw, 'get', '/cargo/outlets?location=010', { token: cpax })).body).toMatchObject({ outlets: [{ id: 'out_1' }] });
  });

  it('books a shipment (partner allowed, passenger not) with the idempotency key; reads it by id or AWB', async () => {
    const party = { accountNumber: 'ACC-1', city: 'Beijing', countryCode: 'CN' };
    const body = { airWaybill: { origin: 'PEK', destination: 'FRA', shipper: party, consignee: { accountNumber: 'ACC-2' }, pieces: 2, weightKg: 120.5, commodity: 'machine parts' }, flights: [FLIGHT] };
    expect((await send(cgw, 'post', '/cargo/shipments', { token: cpax, body })).status).toBe(403);
    const res = await send(cgw, 'post', '/cargo/shipments', { token: cpartner, body, headers: { 'idempotency-key': 'book-000001' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(flightinfo.BookShipmentResponse.toJSON({ shipment }));
    expect(requestOf<flightinfo.BookShipmentRequest>(cargo, 'bookShipment')).toMatchObject({ idempotencyKey: 'book-000001', flights: [FLIGHT], airWaybill: { number: '', origin: 'PEK', pieces: 2, shipper: { accountNumber: 'ACC-1' } } });
    const bad = await send(cgw, 'post', '/cargo/shipments', { token: cpartner, body: { ...body, flights: [], airWaybill: { ...body.airWaybill, number: '99912345675', pieces: 0 } } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.flights', 'body.airWaybill.number', 'body.airWaybill.pieces']));
    cargo.calls.length = 0;
    expect((await send(cgw, 'get', `/cargo/shipments/${AWB}`, { token: cpartner })).status).toBe(200);
    expect((await send(cgw, 'get', `/cargo/shipments/${shipment.id}`, { token: cops })).status).toBe(200);
    expect(cargo.calls.map((c) => c.request)).toEqual([{ airWaybillNumber: AWB, shipmentId: undefined }, { shipmentId: shipment.id, airWaybillNumber: undefined }]);
  });

  it('records a tracking event (ops only): instant mapped, duplicate answered applied=false', async () => {
    const body = { statusCode: 'RCS', airport: 'PEK', eventTime: '2026-11-29T06:00:00+08:00', pieces: 2, sourceEventId: 'fsu-1' };
    expect((await send(cgw, 'post', `/cargo/tracking/${AWB}/events`, { token: cpartner, body })).status).toBe(403);
    const res = await send(cgw, 'post', `/cargo/tracking/${AWB}/events`, { token: cops, body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ shipment: { id: shipment.id } });
    expect(res.body).not.toHaveProperty('applied'); // false: proto3 JSON omits default values
    const req = requestOf<flightinfo.RecordTrackingEventRequest>(cargo, 'recordTrackingEvent');
    expect(req).toMatchObject({ airWaybillNumber: AWB, event: { statusCode: 'RCS', airport: 'PEK', sourceEventId: 'fsu-1', pieces: 2 } });
    expect(req.event?.eventTime?.toISOString()).toBe('2026-11-28T22:00:00.000Z');
    expect(fields(await send(cgw, 'post', `/cargo/tracking/${AWB}/events`, { token: cops, body: { ...body, statusCode: 'rcs', sourceEventId: '' } }))).toEqual(
      expect.arrayContaining(['body.statusCode', 'body.sourceEventId']),
    );
  });
});
