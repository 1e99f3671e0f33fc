import { flightinfo } from '@csm/contracts';
import { callUnary } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { carrier, flightNumber, isoDate, isoInstant, localDateTime, pageOf, pageQuery } from './schemas';


/** An airport, city or PRC area code as the boards accept it ("PEK", "BJS", "010"). */
const place = z.string().regex(/^([A-Z]{3}|0\d{2,3})$/, { message: 'must be an IATA airport/city code or a PRC area code like 010' });

const boardQuery = z.strictObject({
  from: isoInstant.optional().describe('window start (UTC instant)'),
  to: isoInstant.optional().describe('window end, exclusive (UTC instant)'),
  localStart: localDateTime.optional().describe('alternative window start in airport-local time'),
  localEnd: localDateTime.optional().describe('alternative window end in airport-local time'),
  carrier: carrier.optional(),
  ...pageQuery,
});
type BoardQuery = z.infer<typeof boardQuery>;

function boardRequest(airport: string, q: BoardQuery) {
  return {
    airport,
    carrier: q.carrier ?? '',
    localStart: q.localStart ?? '',
    localEnd: q.localEnd ?? '',
    page: pageOf(q),
    ...(q.from !== undefined || q.to !== undefined ? { window: { startTime: q.from ? new Date(q.from) : undefined, endTime: q.to ? new Date(q.to) : undefined } } : {}),
  };
}

const flightKey = z.strictObject({ carrier, number: flightNumber, date: isoDate });

/**
 * Flights, boards, routes and airports (flight-info's FlightInfoService). Public, as on the airline's website and IVR
 * (flight-info allows anonymous reads too); the per-address rate limit protects them.
 */
export const flightRoutes: AnyRoute[] = [
  route({
    method: 'get',
    path: '/airports',
    operationId: 'listAirports',
    summary: 'Find airports by code, name, city, PRC area code or country',
    tag: 'flights',
    access: 'public',
    query: z.strictObject({
      q: z.string().trim().min(1).max(64).optional().describe('code, name or city prefix, any language'),
      areaCode: z.string().regex(/^0\d{2,3}$/, { message: 'must be a PRC area code like 010' }).optional(),
      country: z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' }).optional(),
      ...pageQuery,
    }),
    handler: async ({ query, backends, call }) => {
      const res = await callUnary(backends.flights, 'listAirports', flightinfo.ListAirportsRequest.fromPartial({ query: query.q ?? '', cnAreaCode: query.areaCode ?? '', countryCode: query.country ?? '', page: pageOf(query) }), call);
      return { body: flightinfo.ListAirportsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/airports/{code}',
    operationId: 'getAirport',
    summary: 'One airport by IATA or ICAO code',
    tag: 'flights',
    access: 'public',
    params: z.strictObject({ code: z.string().regex(/^([A-Z]{3}|[A-Z]{4})$/, { message: 'must be a 3-letter IATA or 4-letter ICAO code' }) }),
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.flights, 'getAirport', flightinfo.GetAirportRequest.fromPartial({ code: params.code }), call);
      return { body: flightinfo.GetAirportResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/airports/{airport}/departures',
    operationId: 'listDepartures',
    summary: 'Departures board of an airport, city or area code',
    tag: 'flights',
    access: 'public',
    params: z.strictObject({ airport: place }),
    query: boardQuery,
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.flights, 'listDepartures', flightinfo.ListDeparturesRequest.fromPartial(boardRequest(params.airport, query)), call);
      return { body: flightinfo.ListDeparturesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/airports/{airport}/arrivals',
    operationId: 'listArrivals',
    summary: 'Arrivals board of an airport, city or area code',
    tag: 'flights',
    access: 'public',
    params: z.strictObject({ airport: place }),
    query: boardQuery,
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.flights, 'listArrivals', flightinfo.ListArrivalsRequest.fromPartial(boardRequest(params.airport, query)), call);
      return { body: flightinfo.ListArrivalsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/flights/{carrier}/{number}/{date}',
    operationId: 'getFlight',
    summary: 'One dated flight with its live status',
    tag: 'flights',
    access: 'public',
    params: flightKey,
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.flights, 'getFlight', flightinfo.GetFlightRequest.fromPartial({ flight: params }), call);
      return { body: flightinfo.GetFlightResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/routes',
    operationId: 'searchRoutes',
    summary: 'Direct and connecting options between two places on a date',
    tag: 'flights',
    access: 'public',
    query: z.strictObject({ origin: place, destination: place, date: isoDate, maxConnections: z.coerce.number().int().min(0).max(2).optional() }),
    handler: async ({ query, backends, call }) => {
      const res = await callUnary(backends.flights, 'searchRoutes', flightinfo.SearchRoutesRequest.fromPartial({ origin: query.origin, destination: query.destination, date: query.date, maxConnections: query.maxConnections ?? 0 }), call);
      return { body: flightinfo.SearchRoutesResponse.toJSON(res) };
    },
  }),
];
