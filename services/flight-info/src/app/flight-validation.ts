import type { AirportDirectory } from '../domain/airports';
import type { DelayReason, Designator, Fare, FlightKey, Schedule } from '../domain/flight';
import { greatCircleKm } from '../domain/geo';
import { minutesBetween, type LocalTime } from '../domain/local-time';
import type { StatusUpdate } from '../domain/status-replay';
import type { FlightRefInput, LocalDateTimeInput, ScheduleInput, StatusUpdateInput } from './inputs';
import { CARRIER, FLIGHT_NUMBER, IATA_AIRPORT, normalizeFlightNumber, Violations } from './violations';

/** Longest block time accepted between scheduled departure and arrival. */
const MAX_BLOCK_MINUTES = 24 * 60;

export function validateFlightRef(v: Violations, field: string, ref: FlightRefInput | undefined): FlightKey {
  if (ref === undefined) {
    v.add(field, 'is required', 'REQUIRED');
    return { carrier: '', number: '', date: '' };
  }
  const carrier = v.text(`${field}.carrier`, ref.carrier, CARRIER, 'must be an IATA (2-character) or ICAO (3-letter) carrier code', { upper: true });
  const number = normalizeFlightNumber(ref.number);
  v.text(`${field}.number`, number, FLIGHT_NUMBER, 'must be 1-4 digits with an optional suffix letter');
  const date = v.date(`${field}.date`, ref.date);
  return { carrier, number, date };
}

function validateDesignator(v: Violations, field: string, d: { carrier: string; number: string }): Designator {
  const carrier = v.text(`${field}.carrier`, d.carrier, CARRIER, 'must be an IATA or ICAO carrier code', { upper: true });
  const number = normalizeFlightNumber(d.number);
  v.text(`${field}.number`, number, FLIGHT_NUMBER, 'must be 1-4 digits with an optional suffix letter');
  return { carrier, number };
}

export function validateAirport(v: Violations, airports: AirportDirectory, field: string, code: string, opts: { optional?: boolean } = {}) {
  const c = v.text(field, code, IATA_AIRPORT, 'must be a 3-letter IATA airport code', { upper: true, ...opts });
  if (c === '' || !IATA_AIRPORT.test(c)) return undefined;
  const a = airports.get(c);
  if (!a) v.add(field, `unknown airport ${c}`, 'UNKNOWN_AIRPORT');
  return a;
}

/** A local time at an airport: an empty zone means the airport's; any other zone must be the airport's. */
function airportLocalTime(v: Violations, field: string, value: LocalDateTimeInput | undefined, airportZone: string | undefined, notBefore?: Date): LocalTime | undefined {
  if (value !== undefined && value.timeZone !== '' && airportZone !== undefined && value.timeZone !== airportZone) {
    v.add(`${field}.time_zone`, `must be the airport's zone ${airportZone} (or empty)`, 'ZONE_MISMATCH');
    return undefined;
  }
  return v.localTime(field, value, airportZone, notBefore);
}

export function validateSchedule(v: Violations, airports: AirportDirectory, field: string, s: ScheduleInput): Schedule | undefined {
  const key = validateFlightRef(v, `${field}.flight`, s.flight);
  const origin = validateAirport(v, airports, `${field}.origin`, s.origin);
  const destination = validateAirport(v, airports, `${field}.destination`, s.destination);
  if (origin && destination && origin.iata === destination.iata) v.add(`${field}.destination`, 'must differ from origin', 'SAME_AIRPORT');
  if (s.serviceType === 'INVALID') v.add(`${field}.service_type`, 'unknown service type', 'ENUM');
  const dep = airportLocalTime(v, `${field}.scheduled_departure`, s.scheduledDeparture, origin?.timeZone);
  const arr = airportLocalTime(v, `${field}.scheduled_arrival`, s.scheduledArrival, destination?.timeZone, dep?.utc);
  if (dep && key.date !== '' && dep.local.slice(0, 10) !== key.date) {
    v.add(`${field}.scheduled_departure.local_date_time`, `must fall on the flight date ${key.date} (local at the origin)`, 'DATE_MISMATCH');
  }
  if (dep && arr) {
    const block = minutesBetween(dep.utc, arr.utc);
    if (block <= 0) v.add(`${field}.scheduled_arrival`, 'must be after the scheduled departure', 'ARRIVAL_BEFORE_DEPARTURE');
    else if (block > MAX_BLOCK_MINUTES) v.add(`${field}.scheduled_arrival`, `must be within ${MAX_BLOCK_MINUTES / 60} h of departure`, 'BLOCK_TIME');
  }
  const aircraftType = v.text(`${field}.aircraft_type`, s.aircraftType, /^[A-Z0-9]{3}$/, 'must be a 3-character IATA aircraft type', { upper: true, optional: true });
  const operating = s.operating && s.operating.carrier !== '' ? validateDesignator(v, `${field}.operating`, s.operating) : undefined;
  const codeshares = s.codeshares.map((c, i) => validateDesignator(v, `${field}.codeshares[${i}]`, c));
  if (s.codeshares.length > 20) v.add(`${field}.codeshares`, 'at most 20 codeshares', 'MAX_ITEMS');
  const fares: Fare[] = s.fares.map((f, i) => {
    const cabin = v.text(`${field}.fares[${i}].cabin`, f.cabin, /^[A-Z_]{1,32}$/, 'must be a cabin name like ECONOMY', { upper: true });
    const bookingClass = v.text(`${field}.fares[${i}].booking_class`, f.bookingClass, /^[A-Z]$/, 'must be one letter', { upper: true, optional: true });
    const amountMinor = f.amount?.amountMinor ?? -1;
    if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) v.add(`${field}.fares[${i}].amount.amount_minor`, 'must be zero or more minor units', 'RANGE');
    const currency = v.text(`${field}.fares[${i}].amount.currency_code`, f.amount?.currencyCode, /^[A-Z]{3}$/, 'must be an ISO 4217 code', { upper: true });
    return { cabin, bookingClass, amountMinor, currency };
  });
  if (!origin || !destination || !dep || !arr) return undefined;
  return {
    key,
    operating,
    codeshares,
    serviceType: s.serviceType === 'INVALID' || s.serviceType === undefined ? 'PASSENGER' : s.serviceType,
    origin: origin.iata,
    destination: destination.iata,
    scheduledDeparture: dep,
    scheduledArrival: arr,
    aircraftType,
    fares,
    distanceKm: greatCircleKm(origin, destination),
  };
}

const SHORT_TEXT = /^[A-Za-z0-9 \-/]{1,16}$/;

/** Validates an operational update against the flight's airports (zones default to origin / destination). */
export function validateStatusUpdate(
  v: Violations,
  airports: AirportDirectory,
  u: StatusUpdateInput,
  zones: { origin: string | undefined; destination: string | undefined },
): Omit<StatusUpdate, 'observeTime'> & { observeTime: Date } {
  const updateId = v.text('update_id', u.updateId, /^[\x21-\x7E]{1,128}$/, 'must be 1-128 printable ASCII characters');
  if (u.observeTime === undefined || Number.isNaN(u.observeTime.getTime())) v.add('observe_time', 'is required', 'REQUIRED');
  const source = v.maxLength('source', u.source, 64);
  if (u.status === 'INVALID') v.add('status', 'unknown flight status', 'ENUM');
  const opt = (field: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const t = value.trim();
    if (t !== '' && !SHORT_TEXT.test(t)) v.add(field, 'must be up to 16 letters, digits, spaces, - or /', 'FORMAT');
    return t.toUpperCase();
  };
  const time = (field: string, value: LocalDateTimeInput | undefined, zone: string | undefined) =>
    value === undefined || value.localDateTime === '' ? undefined : v.localTime(field, value, zone);
  const divertedTo = u.divertedTo.trim() === '' ? '' : (validateAirport(v, airports, 'diverted_to', u.divertedTo)?.iata ?? '');
  const arrivalZone = divertedTo !== '' ? airports.get(divertedTo)?.timeZone : zones.destination;
  if (u.status === 'DIVERTED' && divertedTo === '') v.add('diverted_to', 'is required when status is DIVERTED', 'REQUIRED');
  const delayReasons: DelayReason[] = u.delayReasons.map((r, i) => {
    const code = v.text(`delay_reasons[${i}].code`, r.code, /^\d{2}[A-Z]?$/, 'must be an IATA two-digit delay code', { upper: true });
    if (!Number.isInteger(r.minutes) || r.minutes < 0 || r.minutes > 10_000) v.add(`delay_reasons[${i}].minutes`, 'must be 0-10000', 'RANGE');
    return { code, description: v.maxLength(`delay_reasons[${i}].description`, r.description, 200), minutes: r.minutes };
  });
  return {
    updateId,
    observeTime: u.observeTime ?? new Date(0),
    source,
    status: u.status === 'INVALID' ? undefined : u.status,
    estimatedDeparture: time('estimated_departure', u.estimatedDeparture, zones.origin),
    actualDeparture: time('actual_departure', u.actualDeparture, zones.origin),
    estimatedArrival: time('estimated_arrival', u.estimatedArrival, arrivalZone),
    actualArrival: time('actual_arrival', u.actualArrival, arrivalZone),
    departureTerminal: opt('departure_terminal', u.departureTerminal),
    departureGate: opt('departure_gate', u.departureGate),
    arrivalTerminal: opt('arrival_terminal', u.arrivalTerminal),
    arrivalGate: opt('arrival_gate', u.arrivalGate),
    baggageBelt: opt('baggage_belt', u.baggageBelt),
    aircraftType: u.aircraftType === undefined || u.aircraftType.trim() === '' ? undefined : v.text('aircraft_type', u.aircraftType, /^[A-Z0-9]{3}$/, 'must be a 3-character IATA aircraft type', { upper: true }),
    aircraftRegistration: opt('aircraft_registration', u.aircraftRegistration),
    delayReasons: delayReasons.length > 0 ? delayReasons : undefined,
    divertedTo: divertedTo === '' ? undefined : divertedTo,
    cancelReason: u.cancelReason.trim() === '' ? undefined : v.maxLength('cancel_reason', u.cancelReason, 200),
  };
}
