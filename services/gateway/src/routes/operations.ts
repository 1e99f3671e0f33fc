import { flightinfo } from '@csm/contracts';
import { callUnary } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { carrier, currency, flightNumber, iata, ids, isoDate, isoInstant, pageOf, pageQuery, protoEnum, text } from './schemas';
import { JOB_DEADLINE_MS, repeated } from './schemas-loyalty';

/*
 * Operations ingest on flight-info's FlightInfoService: schedules, the status feed of operations control and passenger
 * manifests. Writes are for `ops` and `admin` (flight-info's OPS_ROLES without the internal `service` role); the
 * manifest may be read by agents and supervisors too (MANIFEST_READERS: who is on a flight is personal data, so not
 * analysts, passengers or partners).
 */

const INGEST = ['ops', 'admin'] as const;
const MANIFEST_READERS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'ops', 'admin'] as const;

const flightKey = z.strictObject({ carrier, number: flightNumber, date: isoDate });
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'must be a local time YYYY-MM-DDTHH:MM[:SS]' });
const timeZone = z.string().regex(/^[A-Za-z]+(\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/, { message: 'must be an IANA time zone like Asia/Shanghai' }).max(64);
/** A local time with an optional zone (empty: the airport's). */
const localDateTime = z.strictObject({ localDateTime: localTime, timeZone: timeZone.optional() });
const designator = z.strictObject({ carrier, number: flightNumber });
const source = text(64).optional().describe('the sending system, for the audit trail');
const optionalCode = (max: number) => z.string().regex(/^[A-Za-z0-9 -]*$/, { message: 'must be letters, digits, spaces or hyphens' }).max(max).optional();

const scheduledFlight = z.strictObject({
  flight: flightKey,
  operating: designator.optional(),
  codeshares: z.array(designator).max(16).optional(),
  serviceType: protoEnum(flightinfo.ServiceType).optional(),
  origin: iata,
  destination: iata,
  scheduledDeparture: localDateTime,
  scheduledArrival: localDateTime,
  aircraftType: z.string().regex(/^[A-Z0-9]{3}$/, { message: 'must be a 3-character IATA aircraft type' }).optional(),
  fares: z
    .array(
      z.strictObject({
        cabin: z.string().regex(/^[A-Z_]{1,32}$/, { message: 'must be a cabin name like ECONOMY' }),
        bookingClass: z.string().regex(/^[A-Z]$/, { message: 'must be one letter' }).optional(),
        amount: z.strictObject({ amountMinor: z.number().int().min(0).max(100_000_000_000), currencyCode: currency }),
      }),
    )
    .max(32)
    .optional(),
});
type ScheduledFlightBody = z.infer<typeof scheduledFlight>;

function scheduledOf(f: ScheduledFlightBody) {
  return {
    ...f,
    serviceType: f.serviceType !== undefined ? flightinfo.serviceTypeFromJSON(f.serviceType) : 0,
    scheduledDeparture: { localDateTime: f.scheduledDeparture.localDateTime, timeZone: f.scheduledDeparture.timeZone ?? '' },
    scheduledArrival: { localDateTime: f.scheduledArrival.localDateTime, timeZone: f.scheduledArrival.timeZone ?? '' },
  };
}

const manifestEntry = z.strictObject({
  passengerId: ids.passenger.optional(),
  bookingRef: z.string().regex(/^[A-Z0-9]{5,8}$/, { message: 'must be a 5-8 character record locator' }),
  ticketNumber: z.string().regex(/^\d{13}$/, { message: 'must be 13 digits' }).optional(),
  nameLatin: z.string().max(80).regex(/^[A-Za-z /.'-]*$/, { message: 'must be the Latin name as on the ticket, e.g. WANG/XIAOMING MR' }),
  cabin: z.string().regex(/^[A-Z_]{1,32}$/, { message: 'must be a cabin name' }).optional(),
  bookingClass: z.string().regex(/^[A-Z]$/, { message: 'must be one letter' }).optional(),
  seat: z.string().regex(/^\d{1,3}[A-Z]$/, { message: 'must be like 32A' }).optional(),
  ssrCodes: z.array(z.string().regex(/^[A-Z]{4}$/, { message: 'must be a 4-letter IATA SSR code' })).max(16).optional(),
  checkedBags: z.number().int().min(0).max(20).optional(),
  checkedIn: z.boolean().optional(),
  boarded: z.boolean().optional(),
  ffpNumber: z.string().regex(/^[A-Z0-9]{4,20}$/, { message: 'must be 4-20 letters or digits' }).optional(),
});

/** Flight-info ingest for operations control: schedules, the status feed and manifests. */
export const operationsRoutes: AnyRoute[] = [
  route({
    method: 'post',
    path: '/flight-schedules',
    operationId: 'upsertSchedule',
    summary: 'Create or replace the scheduled part of dated flights (live status is kept); at most 500 flights per call (body size limit)',
    tag: 'operations',
    access: { roles: [...INGEST] },
    body: z.strictObject({ flights: z.array(scheduledFlight).min(1).max(500), source }),
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.flightinfo.v1.UpsertScheduleResponse',
    handler: async ({ body, backends, call }) => {
      const req = flightinfo.UpsertScheduleRequest.fromPartial({ flights: body.flights.map(scheduledOf), source: body.source ?? '' });
      const res = await callUnary(backends.flights, 'upsertSchedule', req, call);
      return { body: flightinfo.UpsertScheduleResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/flight-schedules/imports',
    operationId: 'importSchedule',
    summary: 'Bulk load a schedule file in the SSIM-like text format (the file as a JSON string); periods expand into dated flights',
    tag: 'operations',
    access: { roles: [...INGEST] },
    body: z.strictObject({ content: z.string().min(1).max(250_000).describe('the schedule file, UTF-8 text (bounded by the body size limit)'), source }),
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.flightinfo.v1.ImportScheduleResponse',
    handler: async ({ body, backends, call }) => {
      const res = await callUnary(backends.flights, 'importSchedule', flightinfo.ImportScheduleRequest.fromPartial({ content: body.content, source: body.source ?? '' }), call);
      return { body: flightinfo.ImportScheduleResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/flights/{carrier}/{number}/{date}/status-updates',
    operationId: 'ingestStatusUpdate',
    summary: 'A status update from operations control; idempotent by updateId, older observations are ignored (applied=false)',
    tag: 'operations',
    access: { roles: [...INGEST] },
    params: flightKey,
    body: z.strictObject({
      updateId: z.string().regex(/^[\x21-\x7E]{1,128}$/, { message: 'must be 1-128 printable ASCII characters' }),
      observeTime: isoInstant,
      source,
      status: protoEnum(flightinfo.FlightStatus).optional().describe('omitted: derived from the times given'),
      estimatedDeparture: localDateTime.optional(),
      actualDeparture: localDateTime.optional(),
      estimatedArrival: localDateTime.optional(),
      actualArrival: localDateTime.optional(),
      departureTerminal: optionalCode(8),
      departureGate: optionalCode(8),
      arrivalTerminal: optionalCode(8),
      arrivalGate: optionalCode(8),
      baggageBelt: optionalCode(8),
      aircraftType: z.string().regex(/^[A-Z0-9]{3}$/, { message: 'must be a 3-character IATA aircraft type' }).optional(),
      aircraftRegistration: z.string().regex(/^[A-Z0-9-]{2,10}$/, { message: 'must be a registration like B-1234' }).optional(),
      delayReasons: z
        .array(
          z.strictObject({
            code: z.string().regex(/^\d{2}[A-Z]?$/, { message: 'must be an IATA two-digit delay code' }),
            description: z.string().max(200).optional(),
            minutes: z.number().int().min(0).max(10_000),
          }),
        )
        .max(10)
        .optional(),
      divertedTo: iata.optional(),
      cancelReason: z.string().max(200).optional(),
    }),
    responseDescription: 'csm.flightinfo.v1.IngestStatusUpdateResponse',
    handler: async ({ params, body, backends, call }) => {
      const local = (t: { localDateTime: string; timeZone?: string | undefined } | undefined) => (t === undefined ? undefined : { localDateTime: t.localDateTime, timeZone: t.timeZone ?? '' });
      const req = flightinfo.IngestStatusUpdateRequest.fromPartial({
        flight: params,
        updateId: body.updateId,
        observeTime: new Date(body.observeTime),
        source: body.source ?? '',
        status: body.status !== undefined ? flightinfo.flightStatusFromJSON(body.status) : 0,
        estimatedDeparture: local(body.estimatedDeparture),
        actualDeparture: local(body.actualDeparture),
        estimatedArrival: local(body.estimatedArrival),
        actualArrival: local(body.actualArrival),
        departureTerminal: body.departureTerminal,
        departureGate: body.departureGate,
        arrivalTerminal: body.arrivalTerminal,
        arrivalGate: body.arrivalGate,
        baggageBelt: body.baggageBelt,
        aircraftType: body.aircraftType,
        aircraftRegistration: body.aircraftRegistration,
        delayReasons: (body.delayReasons ?? []).map((r) => ({ code: r.code, description: r.description ?? '', minutes: r.minutes })),
        divertedTo: body.divertedTo ?? '',
        cancelReason: body.cancelReason ?? '',
      });
      const res = await callUnary(backends.flights, 'ingestStatusUpdate', req, call);
      return { body: flightinfo.IngestStatusUpdateResponse.toJSON(res) };
    },
  }),
  route({
    method: 'put',
    path: '/flights/{carrier}/{number}/{date}/manifest',
    operationId: 'ingestManifest',
    summary: "Replace a flight's passenger manifest (at most 1000 entries)",
    tag: 'operations',
    access: { roles: [...INGEST] },
    params: flightKey,
    body: z.strictObject({ entries: z.array(manifestEntry).max(1000), source }),
    responseDescription: 'csm.flightinfo.v1.IngestManifestResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = flightinfo.IngestManifestRequest.fromPartial({ flight: params, entries: body.entries, source: body.source ?? '' });
      const res = await callUnary(backends.flights, 'ingestManifest', req, call);
      return { body: flightinfo.IngestManifestResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/flights/{carrier}/{number}/{date}/manifest',
    operationId: 'listManifest',
    summary: "A flight's passengers, optionally only those with given SSR codes (e.g. WCHR)",
    tag: 'operations',
    access: { roles: [...MANIFEST_READERS] },
    params: flightKey,
    query: z.strictObject({ ssr: repeated(z.string().regex(/^[A-Z]{4}$/, { message: 'must be a 4-letter IATA SSR code' }), 16).optional().describe('repeatable'), ...pageQuery }),
    responseDescription: 'csm.flightinfo.v1.ListManifestResponse',
    handler: async ({ params, query, backends, call }) => {
      const req = flightinfo.ListManifestRequest.fromPartial({ flight: params, ssrCodes: query.ssr ?? [], page: pageOf(query) });
      const res = await callUnary(backends.flights, 'listManifest', req, call);
      return { body: flightinfo.ListManifestResponse.toJSON(res) };
    },
  }),
];
