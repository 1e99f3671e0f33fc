import { flightinfo } from '@csm/contracts';
import { callUnary } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { carrier, flightNumber, iata, isoDate, isoInstant, pageOf, pageQuery, text } from './schemas';
import { awbNumber, loyaltyIds } from './schemas-loyalty';

/*
 * flight-info's CargoService. Roles mirror the service: capacity is set and tracking events recorded by ops/admin
 * (OPS_ROLES); shipments are booked and read by CARGO_BOOKERS (agents, supervisors, partners — forwarders and
 * alliance carriers —, ops, admin). Tracking by AWB, rate quotes and outlets carry no role check in the service
 * (public information, as on the cargo website): public here too, like flight status; the per-address rate limit
 * protects them. Capacity reads have no check in the service either, but load figures are commercial data: the
 * gateway limits them to staff and partners.
 */

const OPS = ['ops', 'admin'] as const;
const BOOKERS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'partner', 'ops', 'admin'] as const;
const CAPACITY_READERS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'] as const;

const flightKey = z.strictObject({ carrier, number: flightNumber, date: isoDate });
const weightKg = z.number().min(0).max(200_000);
const volumeM3 = z.number().min(0).max(1_000);
const shc = z.array(z.string().regex(/^[A-Z]{3}$/, { message: 'must be a 3-letter IATA special handling code' })).max(9);
const party = z.strictObject({
  name: z.string().max(100).optional(),
  accountNumber: z.string().regex(/^[A-Z0-9-]{1,20}$/, { message: 'must be a cargo account reference (1-20 letters, digits, -)' }),
  city: z.string().max(64).optional(),
  countryCode: z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' }).optional(),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 number' }).optional(),
});

/** Air cargo: capacity, rates, bookings, AWB tracking and outlets. */
export const cargoRoutes: AnyRoute[] = [
  route({
    method: 'get',
    path: '/flights/{carrier}/{number}/{date}/cargo-capacity',
    operationId: 'getFlightCargoCapacity',
    summary: "A flight's cargo capacity: total, booked and available weight and volume",
    tag: 'cargo',
    access: { roles: [...CAPACITY_READERS] },
    params: flightKey,
    responseDescription: 'csm.flightinfo.v1.GetFlightCapacityResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.cargo, 'getFlightCapacity', flightinfo.GetFlightCapacityRequest.fromPartial({ flight: params }), call);
      return { body: flightinfo.GetFlightCapacityResponse.toJSON(res) };
    },
  }),
  route({
    method: 'put',
    path: '/flights/{carrier}/{number}/{date}/cargo-capacity',
    operationId: 'setFlightCargoCapacity',
    summary: "Set a flight's sellable cargo capacity (from load planning)",
    tag: 'cargo',
    access: { roles: [...OPS] },
    params: flightKey,
    body: z.strictObject({ totalWeightKg: weightKg, totalVolumeM3: volumeM3 }),
    responseDescription: 'csm.flightinfo.v1.SetFlightCapacityResponse',
    handler: async ({ params, body, backends, call }) => {
      const res = await callUnary(backends.cargo, 'setFlightCapacity', flightinfo.SetFlightCapacityRequest.fromPartial({ flight: params, ...body }), call);
      return { body: flightinfo.SetFlightCapacityResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/cargo/quotes',
    operationId: 'quoteCargoRate',
    summary: 'Price a shipment between two airports (chargeable weight, components, total, validity)',
    tag: 'cargo',
    access: 'public',
    body: z.strictObject({
      origin: iata,
      destination: iata,
      pieces: z.number().int().min(0).max(10_000).optional(),
      weightKg: weightKg.refine((w) => w > 0, { message: 'must be greater than 0' }),
      volumeM3: volumeM3.optional(),
      commodity: text(200).optional(),
      specialHandlingCodes: shc.optional(),
      shipDate: isoDate.optional(),
    }),
    responseDescription: 'csm.flightinfo.v1.QuoteRateResponse',
    handler: async ({ body, backends, call }) => {
      const res = await callUnary(backends.cargo, 'quoteRate', flightinfo.QuoteRateRequest.fromPartial(body), call);
      return { body: flightinfo.QuoteRateResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/cargo/shipments',
    operationId: 'bookShipment',
    summary: 'Book a shipment on its flights (an empty AWB number is allocated); idempotent by the optional Idempotency-Key header',
    tag: 'cargo',
    access: { roles: [...BOOKERS] },
    body: z.strictObject({
      airWaybill: z.strictObject({
        number: awbNumber.optional().describe('omitted: allocated from the carrier stock'),
        origin: iata,
        destination: iata,
        shipper: party,
        consignee: party,
        pieces: z.number().int().min(1).max(10_000),
        weightKg: weightKg.refine((w) => w > 0, { message: 'must be greater than 0' }),
        volumeM3: volumeM3.optional(),
        commodity: text(200).optional(),
        specialHandlingCodes: shc.optional(),
      }),
      flights: z.array(flightKey).min(1).max(4).describe('requested flights in routing order'),
    }),
    idempotent: true,
    successStatus: 201,
    responseDescription: 'csm.flightinfo.v1.BookShipmentResponse',
    handler: async ({ body, idempotencyKey, backends, call }) => {
      const req = flightinfo.BookShipmentRequest.fromPartial({ airWaybill: body.airWaybill, flights: body.flights, idempotencyKey: idempotencyKey ?? '' });
      const res = await callUnary(backends.cargo, 'bookShipment', req, call);
      return { body: flightinfo.BookShipmentResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cargo/shipments/{shipment}',
    operationId: 'getShipment',
    summary: 'A shipment with its bookings and events, by shipment id (shp_…) or air waybill number',
    tag: 'cargo',
    access: { roles: [...BOOKERS] },
    params: z.strictObject({ shipment: z.union([loyaltyIds.shipment, awbNumber]).describe('shipment id or air waybill number') }),
    responseDescription: 'csm.flightinfo.v1.GetShipmentResponse',
    handler: async ({ params, backends, call }) => {
      const key = params.shipment.startsWith('shp_') ? { shipmentId: params.shipment } : { airWaybillNumber: params.shipment };
      const res = await callUnary(backends.cargo, 'getShipment', flightinfo.GetShipmentRequest.fromPartial(key), call);
      return { body: flightinfo.GetShipmentResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cargo/tracking/{awb}',
    operationId: 'trackShipment',
    summary: 'Track a shipment by air waybill number (status and events, no party details)',
    tag: 'cargo',
    access: 'public',
    params: z.strictObject({ awb: awbNumber }),
    responseDescription: 'csm.flightinfo.v1.TrackShipmentResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.cargo, 'trackShipment', flightinfo.TrackShipmentRequest.fromPartial({ airWaybillNumber: params.awb }), call);
      return { body: flightinfo.TrackShipmentResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/cargo/tracking/{awb}/events',
    operationId: 'recordTrackingEvent',
    summary: 'A Cargo-IMP status message from handling; idempotent by sourceEventId (a duplicate answers applied=false)',
    tag: 'cargo',
    access: { roles: [...OPS] },
    params: z.strictObject({ awb: awbNumber }),
    body: z.strictObject({
      statusCode: z.string().regex(/^[A-Z]{3}$/, { message: 'must be a Cargo-IMP status code like RCS' }),
      airport: iata,
      flight: flightKey.optional(),
      pieces: z.number().int().min(0).max(10_000).optional(),
      weightKg: weightKg.optional(),
      eventTime: isoInstant,
      discrepancyCode: z.string().regex(/^[A-Z]{3,4}$/, { message: 'must be a discrepancy code like MSCA' }).optional(),
      remarks: text(500).optional(),
      sourceEventId: z.string().regex(/^[\x21-\x7E]{1,128}$/, { message: 'must be 1-128 printable ASCII characters' }),
    }),
    responseDescription: 'csm.flightinfo.v1.RecordTrackingEventResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = flightinfo.RecordTrackingEventRequest.fromPartial({ airWaybillNumber: params.awb, event: { ...body, eventTime: new Date(body.eventTime) } });
      const res = await callUnary(backends.cargo, 'recordTrackingEvent', req, call);
      return { body: flightinfo.RecordTrackingEventResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cargo/outlets',
    operationId: 'listCargoOutlets',
    summary: 'Cargo sales and acceptance offices, by airport, city or PRC area code',
    tag: 'cargo',
    access: 'public',
    query: z.strictObject({ location: z.string().regex(/^([A-Z]{3}|0\d{2,3})$/, { message: 'must be an IATA airport/city code or a PRC area code like 010' }).optional(), ...pageQuery }),
    responseDescription: 'csm.flightinfo.v1.ListServiceOutletsResponse',
    handler: async ({ query, backends, call }) => {
      const res = await callUnary(backends.cargo, 'listServiceOutlets', flightinfo.ListServiceOutletsRequest.fromPartial({ location: query.location ?? '', page: pageOf(query) }), call);
      return { body: flightinfo.ListServiceOutletsResponse.toJSON(res) };
    },
  }),
];
