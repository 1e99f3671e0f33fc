import type { common, flightinfo } from '@csm/contracts';
import * as fpb from '@csm/contracts/gen/csm/flightinfo/v1/flight';
import type { AirportInfo } from '../domain/airports';
import type { Flight, FlightStatus, ServiceType } from '../domain/flight';
import type { LocalTime } from '../domain/local-time';

/** Domain → proto mapping of flights and airports (shared by the handlers and the event builders). */

export function localTimeToProto(t: LocalTime | undefined): common.LocalDateTime | undefined {
  return t ? { localDateTime: t.local, timeZone: t.zone, utcTime: t.utc } : undefined;
}

export function statusToProto(s: FlightStatus): fpb.FlightStatus {
  return fpb.FlightStatus[`FLIGHT_STATUS_${s}` as keyof typeof fpb.FlightStatus] as fpb.FlightStatus;
}

/** undefined for UNSPECIFIED; 'INVALID' for an unknown number. */
export function statusFromProto(s: fpb.FlightStatus): FlightStatus | 'INVALID' | undefined {
  if (s === fpb.FlightStatus.FLIGHT_STATUS_UNSPECIFIED) return undefined;
  const name = fpb.FlightStatus[s] as string | undefined;
  if (name === undefined || !name.startsWith('FLIGHT_STATUS_')) return 'INVALID';
  return name.slice('FLIGHT_STATUS_'.length) as FlightStatus;
}

export function serviceTypeFromProto(s: fpb.ServiceType): ServiceType | 'INVALID' | undefined {
  if (s === fpb.ServiceType.SERVICE_TYPE_UNSPECIFIED) return undefined;
  const name = fpb.ServiceType[s] as string | undefined;
  if (name === undefined || !name.startsWith('SERVICE_TYPE_')) return 'INVALID';
  return name.slice('SERVICE_TYPE_'.length) as ServiceType;
}

export function serviceTypeToProto(s: ServiceType): fpb.ServiceType {
  return fpb.ServiceType[`SERVICE_TYPE_${s}` as keyof typeof fpb.ServiceType] as fpb.ServiceType;
}

export function flightToProto(f: Flight): flightinfo.Flight {
  const s = f.schedule;
  const l = f.live;
  return {
    id: f.id,
    flight: { carrier: s.key.carrier, number: s.key.number, date: s.key.date },
    operating: s.operating ? { carrier: s.operating.carrier, number: s.operating.number } : undefined,
    codeshares: s.codeshares.map((c) => ({ carrier: c.carrier, number: c.number })),
    serviceType: serviceTypeToProto(s.serviceType),
    origin: s.origin,
    destination: s.destination,
    scheduledDeparture: localTimeToProto(s.scheduledDeparture),
    estimatedDeparture: localTimeToProto(l.estimatedDeparture),
    actualDeparture: localTimeToProto(l.actualDeparture),
    scheduledArrival: localTimeToProto(s.scheduledArrival),
    estimatedArrival: localTimeToProto(l.estimatedArrival),
    actualArrival: localTimeToProto(l.actualArrival),
    status: statusToProto(l.status),
    aircraftType: l.aircraftType ?? s.aircraftType,
    aircraftRegistration: l.aircraftRegistration,
    departureTerminal: l.departureTerminal,
    departureGate: l.departureGate,
    arrivalTerminal: l.arrivalTerminal,
    arrivalGate: l.arrivalGate,
    baggageBelt: l.baggageBelt,
    departureDelayMinutes: l.departureDelayMinutes,
    arrivalDelayMinutes: l.arrivalDelayMinutes,
    delayReasons: l.delayReasons.map((r) => ({ code: r.code, description: r.description, minutes: r.minutes })),
    divertedTo: l.divertedTo,
    cancelReason: l.cancelReason,
    greatCircleDistanceKm: s.distanceKm,
    fares: s.fares.map((fa) => ({ cabin: fa.cabin, bookingClass: fa.bookingClass, amount: { amountMinor: fa.amountMinor, currencyCode: fa.currency } })),
    audit: { createTime: f.createdAt, updateTime: f.updatedAt, version: f.version, createdBy: undefined, updatedBy: undefined },
  };
}

/** What every flight event carries (FlightSnapshot): enough for EU 261 bands and arrival delay without a call back. */
export function snapshotOf(f: Flight): flightinfo.FlightSnapshot {
  const s = f.schedule;
  const l = f.live;
  return {
    flightId: f.id,
    flight: { carrier: s.key.carrier, number: s.key.number, date: s.key.date },
    origin: s.origin,
    destination: s.destination,
    status: statusToProto(l.status),
    scheduledDeparture: localTimeToProto(s.scheduledDeparture),
    estimatedDeparture: localTimeToProto(l.estimatedDeparture),
    actualDeparture: localTimeToProto(l.actualDeparture),
    scheduledArrival: localTimeToProto(s.scheduledArrival),
    estimatedArrival: localTimeToProto(l.estimatedArrival),
    actualArrival: localTimeToProto(l.actualArrival),
    greatCircleDistanceKm: s.distanceKm,
    departureDelayMinutes: l.departureDelayMinutes,
    arrivalDelayMinutes: l.arrivalDelayMinutes,
  };
}

export function airportToProto(a: AirportInfo): flightinfo.Airport {
  return {
    iataCode: a.iata,
    icaoCode: '',
    name: a.name,
    localizedNames: [],
    cityCode: a.cityCode,
    cityName: a.cityName,
    localizedCityNames: a.cityNameZh ? [{ language: 'zh-CN', text: a.cityNameZh }] : [],
    countryCode: a.countryCode,
    timeZone: a.timeZone,
    latitude: a.latitude,
    longitude: a.longitude,
    cnAreaCodes: [...a.cnAreaCodes],
  };
}
