import type { flightinfo } from '@csm/contracts';
import { FlightInfoServiceService, type FlightInfoServiceServer } from '@csm/contracts/gen/csm/flightinfo/v1/flight_info_service';
import { unary, type ServiceRegistration } from '@csm/platform/grpc';
import type { FlightApp } from '../app/flight-app';
import type { BoardInput, ScheduleInput, StatusUpdateInput } from '../app/inputs';
import type { ManifestApp } from '../app/manifest-app';
import { airportToProto, flightToProto, serviceTypeFromProto, statusFromProto } from './mapping';

function scheduleInput(s: flightinfo.ScheduledFlight): ScheduleInput {
  return {
    flight: s.flight,
    operating: s.operating,
    codeshares: s.codeshares,
    serviceType: serviceTypeFromProto(s.serviceType),
    origin: s.origin,
    destination: s.destination,
    scheduledDeparture: s.scheduledDeparture,
    scheduledArrival: s.scheduledArrival,
    aircraftType: s.aircraftType,
    fares: s.fares,
  };
}

function statusInput(r: flightinfo.IngestStatusUpdateRequest): StatusUpdateInput {
  return { ...r, status: statusFromProto(r.status) };
}

function boardInput(r: flightinfo.ListDeparturesRequest | flightinfo.ListArrivalsRequest): BoardInput {
  return { airport: r.airport, window: r.window, localStart: r.localStart, localEnd: r.localEnd, carrier: r.carrier, page: r.page };
}

/** csm.flightinfo.v1.FlightInfoService: proto ↔ use-case mapping only. */
export function flightInfoService(app: FlightApp, manifests: ManifestApp): ServiceRegistration {
  const impl: FlightInfoServiceServer = {
    getAirport: unary(async (req) => ({ airport: airportToProto(app.getAirport(req.code)) })),
    listAirports: unary(async (req) => {
      const r = app.listAirports({ query: req.query, cnAreaCode: req.cnAreaCode, countryCode: req.countryCode }, req.page);
      return { airports: r.airports.map(airportToProto), page: { nextPageToken: r.nextPageToken, totalSize: r.total } };
    }),
    upsertSchedule: unary(async (req, ctx) => {
      const c = await app.upsertSchedule(ctx.principal, req.flights.map(scheduleInput));
      return { createdCount: c.created, updatedCount: c.updated, unchangedCount: c.unchanged };
    }),
    importSchedule: unary(async (req, ctx) => {
      const c = await app.importSchedule(ctx.principal, req.content);
      return { createdCount: c.created, updatedCount: c.updated, unchangedCount: c.unchanged, flightCount: c.flights };
    }),
    ingestStatusUpdate: unary(async (req, ctx) => {
      const r = await app.ingestStatusUpdate(ctx.principal, statusInput(req));
      return { flight: flightToProto(r.flight), applied: r.applied };
    }),
    getFlight: unary(async (req) => ({ flight: flightToProto(await app.getFlight(req)) })),
    listDepartures: unary(async (req) => {
      const r = await app.board('departures', boardInput(req));
      return { flights: r.flights.map(flightToProto), page: { nextPageToken: r.nextPageToken } };
    }),
    listArrivals: unary(async (req) => {
      const r = await app.board('arrivals', boardInput(req));
      return { flights: r.flights.map(flightToProto), page: { nextPageToken: r.nextPageToken } };
    }),
    searchRoutes: unary(async (req) => {
      const routes = await app.searchRoutes(req);
      return {
        routes: routes.map((r) => ({ legs: r.legs.map(flightToProto), totalDurationMinutes: r.totalDurationMinutes, greatCircleDistanceKm: r.distanceKm })),
      };
    }),
    ingestManifest: unary(async (req, ctx) => manifests.ingest(ctx.principal, req.flight, req.entries)),
    listManifest: unary(async (req, ctx) => {
      const r = await manifests.list(ctx.principal, req.flight, req.ssrCodes, req.page);
      return {
        entries: r.entries.map((e) => ({ ...e, ssrCodes: [...e.ssrCodes], nameLatin: '' })),
        page: { nextPageToken: r.nextPageToken },
      };
    }),
  };
  return { definition: FlightInfoServiceService, implementation: impl };
}
