import type { flightinfo } from '@csm/contracts';
import { BookingStatus } from '@csm/contracts/gen/csm/flightinfo/v1/cargo';
import { CargoServiceService, type CargoServiceServer } from '@csm/contracts/gen/csm/flightinfo/v1/cargo_service';
import { unary, type ServiceRegistration } from '@csm/platform/grpc';
import type { CargoApp } from '../app/cargo-app';
import type { Capacity, Shipment, TrackingEvent } from '../domain/cargo';

function capacityToProto(c: Capacity): flightinfo.CargoCapacity {
  return {
    flight: { ...c.flight },
    totalWeightKg: c.totalWeightKg,
    totalVolumeM3: c.totalVolumeM3,
    bookedWeightKg: c.bookedWeightKg,
    bookedVolumeM3: c.bookedVolumeM3,
    availableWeightKg: Math.round((c.totalWeightKg - c.bookedWeightKg) * 1000) / 1000,
    availableVolumeM3: Math.round((c.totalVolumeM3 - c.bookedVolumeM3) * 1000) / 1000,
  };
}

function eventToProto(e: TrackingEvent): flightinfo.TrackingEvent {
  return {
    statusCode: e.statusCode,
    airport: e.airport,
    flight: e.flight ? { ...e.flight } : undefined,
    pieces: e.pieces,
    weightKg: e.weightKg,
    eventTime: e.eventTime,
    discrepancyCode: e.discrepancyCode,
    remarks: e.remarks,
    sourceEventId: e.sourceEventId,
  };
}

function shipmentToProto(s: Shipment): flightinfo.Shipment {
  const party = (p: Shipment['shipper']) => ({ name: '', accountNumber: p.accountNumber, city: p.city, countryCode: p.countryCode, phone: '' });
  return {
    id: s.id,
    airWaybill: {
      number: s.awbNumber,
      origin: s.origin,
      destination: s.destination,
      shipper: party(s.shipper),
      consignee: party(s.consignee),
      pieces: s.pieces,
      weightKg: s.weightKg,
      volumeM3: s.volumeM3,
      commodity: s.commodity,
      specialHandlingCodes: [...s.specialHandlingCodes],
    },
    bookings: s.bookings.map((b) => ({
      flight: { ...b.flight },
      origin: b.origin,
      destination: b.destination,
      pieces: b.pieces,
      weightKg: b.weightKg,
      volumeM3: b.volumeM3,
      status: BookingStatus[`BOOKING_STATUS_${b.status}`],
    })),
    statusCode: s.statusCode,
    events: s.events.map(eventToProto),
    charge: s.charge ? { amountMinor: s.charge.amountMinor, currencyCode: s.charge.currency } : undefined,
    audit: { createTime: s.createdAt, updateTime: s.updatedAt, version: s.version, createdBy: undefined, updatedBy: undefined },
  };
}

/** csm.flightinfo.v1.CargoService: proto ↔ use-case mapping only. */
export function cargoService(app: CargoApp): ServiceRegistration {
  const impl: CargoServiceServer = {
    getFlightCapacity: unary(async (req) => ({ capacity: capacityToProto(await app.getCapacity(req.flight)) })),
    setFlightCapacity: unary(async (req, ctx) => ({
      capacity: capacityToProto(await app.setCapacity(ctx.principal, req.flight, req.totalWeightKg, req.totalVolumeM3)),
    })),
    quoteRate: unary(async (req) => {
      const q = app.quoteRate(req);
      return {
        quote: {
          chargeableWeightKg: q.chargeableWeightKg,
          components: q.components.map((c) => ({ code: c.code, description: c.description, amount: { amountMinor: c.amountMinor, currencyCode: q.currency } })),
          total: { amountMinor: q.totalMinor, currencyCode: q.currency },
          validUntil: q.validUntil,
        },
      };
    }),
    bookShipment: unary(async (req, ctx) => ({
      shipment: shipmentToProto(await app.bookShipment(ctx.principal, req.airWaybill, req.flights, req.idempotencyKey)),
    })),
    getShipment: unary(async (req, ctx) => ({
      shipment: shipmentToProto(await app.getShipment(ctx.principal, { shipmentId: req.shipmentId, awb: req.airWaybillNumber })),
    })),
    trackShipment: unary(async (req) => {
      const s = await app.track(req.airWaybillNumber);
      return {
        airWaybillNumber: s.awbNumber,
        origin: s.origin,
        destination: s.destination,
        statusCode: s.statusCode,
        pieces: s.pieces,
        weightKg: s.weightKg,
        events: s.events.map(eventToProto),
      };
    }),
    recordTrackingEvent: unary(async (req, ctx) => {
      const r = await app.recordTrackingEvent(ctx.principal, req.airWaybillNumber, req.event);
      return { shipment: shipmentToProto(r.shipment), applied: r.applied };
    }),
    listServiceOutlets: unary(async (req) => {
      const r = await app.listOutlets(req.location, req.page);
      return {
        outlets: r.outlets.map((o) => ({
          id: o.id,
          name: o.name,
          airport: o.airport,
          cityName: o.city_name,
          address: o.address,
          phone: o.phone,
          openingHours: o.opening_hours,
          services: o.services,
          latitude: o.latitude,
          longitude: o.longitude,
        })),
        page: { nextPageToken: r.nextPageToken },
      };
    }),
  };
  return { definition: CargoServiceService, implementation: impl };
}
