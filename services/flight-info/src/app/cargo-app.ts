import { AlreadyExistsError, FailedPreconditionError, NotFoundError, ValidationError } from '@csm/platform/errors';
import { hasRole, requireRole, type Principal, type Role } from '@csm/platform/security';
import type { SqlDb } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';
import type { AirportDirectory } from '../domain/airports';
import { awbFromSequence, parseAwb } from '../domain/awb';
import { fits, progressStatus, type Capacity, type CargoBooking, type PartyRef, type Shipment, type TrackingEvent } from '../domain/cargo';
import { CARGO_IMP_STATUS, DISCREPANCY_CODES, isCargoImpStatus, movesStatus, RCF_OVERDUE } from '../domain/cargo-imp';
import type { Flight, FlightKey } from '../domain/flight';
import { quote, rateFor, type Quote, type RateTableEntry } from '../domain/rates';
import { emit } from '../events/flight-events';
import {
  addBooked,
  findRcfOverdue,
  findShipment,
  getCapacity,
  insertBooking,
  insertShipment,
  insertTrackingEvent,
  listOutlets,
  markRcfOverdueRaised,
  nextAwbSerial,
  setCapacity,
  updateShipmentStatus,
  type OutletRow,
} from '../store/cargo-store';
import { findFlightByKey } from '../store/flight-store';
import { OPS_ROLES } from './flight-app';
import { validateAirport, validateFlightRef } from './flight-validation';
import type { FlightRefInput, PageInput } from './inputs';
import { decodeCursor, encodeCursor, pageSize, Violations } from './violations';

/** Who may book cargo and read shipment details (shipper references included). */
export const CARGO_BOOKERS: Role[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'partner', 'ops', 'service', 'admin'];

/** Who booked a shipment: a partner (forwarder) by its partner code, so any of its users/tokens can read it back. */
function bookerOf(principal: Principal): string {
  return isOnlyPartner(principal) && principal.partnerCode !== undefined ? `partner:${principal.partnerCode}` : principal.subject;
}

function isOnlyPartner(principal: Principal): boolean {
  return hasRole(principal, 'partner') && !hasRole(principal, ...CARGO_BOOKERS.filter((r) => r !== 'partner'));
}

/**
 * Booking details (shipper, consignee, charges) are the booking party's: a partner reads only the shipments it booked
 * (anyone else's answers NOT_FOUND, so their existence is not revealed); staff read all. Public tracking by AWB
 * (`track`) shows status only.
 */
function mayReadBooking(principal: Principal, s: Shipment): boolean {
  return !isOnlyPartner(principal) || (principal.partnerCode !== undefined && s.createdBy === `partner:${principal.partnerCode}`);
}

const MAX_WEIGHT_KG = 200_000;
const MAX_VOLUME_M3 = 1_000;

export interface CargoAppOptions {
  readonly db: SqlDb;
  readonly airports: AirportDirectory;
  readonly rateTable: readonly RateTableEntry[];
  readonly volumeDivisor: number;
  readonly awbPrefix: string;
  readonly rcfTimeoutMinutes: number;
  readonly quoteValidityHours: number;
  readonly onEventsWritten?: () => void;
}

export interface AwbInput {
  readonly number: string;
  readonly origin: string;
  readonly destination: string;
  readonly shipper?: { accountNumber: string; city: string; countryCode: string } | undefined;
  readonly consignee?: { accountNumber: string; city: string; countryCode: string } | undefined;
  readonly pieces: number;
  readonly weightKg: number;
  readonly volumeM3: number;
  readonly commodity: string;
  readonly specialHandlingCodes: readonly string[];
}

export interface TrackingEventInput {
  readonly statusCode: string;
  readonly airport: string;
  readonly flight?: FlightRefInput | undefined;
  readonly pieces: number;
  readonly weightKg: number;
  readonly eventTime?: Date | undefined;
  readonly discrepancyCode: string;
  readonly remarks: string;
  readonly sourceEventId: string;
}

const newId = ulid;

/** Rolls a booking transaction back when its insert lost a race on the AWB number or the idempotency key. */
class ShipmentConflict extends Error {}

/** Cargo: capacity, rate quotes, bookings, FSU tracking with exceptions, service outlets. */
export class CargoApp {
  constructor(private readonly o: CargoAppOptions) {}

  async getCapacity(ref: FlightRefInput | undefined): Promise<Capacity> {
    const v = new Violations();
    const key = validateFlightRef(v, 'flight', ref);
    v.throwIfAny();
    const c = await getCapacity(this.o.db, key);
    if (!c) throw new NotFoundError('cargo capacity', `${key.carrier}${key.number}/${key.date}`);
    return c;
  }

  async setCapacity(principal: Principal, ref: FlightRefInput | undefined, weightKg: number, volumeM3: number): Promise<Capacity> {
    requireRole(principal, ...OPS_ROLES);
    const v = new Violations();
    const key = validateFlightRef(v, 'flight', ref);
    v.positive('total_weight_kg', weightKg, { allowZero: true, max: MAX_WEIGHT_KG });
    v.positive('total_volume_m3', volumeM3, { allowZero: true, max: MAX_VOLUME_M3 });
    v.throwIfAny();
    await this.requireFlight(key);
    return this.o.db.transaction(async (tx) => {
      const current = await getCapacity(tx, key, { forUpdate: true });
      if (current && (current.bookedWeightKg > weightKg || current.bookedVolumeM3 > volumeM3)) {
        throw new FailedPreconditionError(
          `capacity cannot drop below what is booked (${current.bookedWeightKg} kg, ${current.bookedVolumeM3} m³)`,
          { reason: 'BELOW_BOOKED' },
        );
      }
      return setCapacity(tx, key, weightKg, volumeM3);
    });
  }

  quoteRate(input: { origin: string; destination: string; pieces: number; weightKg: number; volumeM3: number; specialHandlingCodes: readonly string[]; shipDate: string }): Quote & { validUntil: Date } {
    const v = new Violations();
    const origin = validateAirport(v, this.o.airports, 'origin', input.origin);
    const destination = validateAirport(v, this.o.airports, 'destination', input.destination);
    v.positive('weight_kg', input.weightKg, { max: MAX_WEIGHT_KG });
    v.positive('volume_m3', input.volumeM3, { allowZero: true, max: MAX_VOLUME_M3 });
    if (input.pieces < 0) v.add('pieces', 'must be zero or more', 'RANGE');
    if (input.shipDate !== '') v.date('ship_date', input.shipDate);
    const shc = input.specialHandlingCodes.map((c, i) => v.text(`special_handling_codes[${i}]`, c, /^[A-Z]{3}$/, 'must be a 3-letter IATA special handling code', { upper: true }));
    v.throwIfAny();
    const entry = rateFor(this.o.rateTable, origin?.iata ?? '', destination?.iata ?? '');
    if (!entry) throw new FailedPreconditionError(`no rate for ${origin?.iata}-${destination?.iata}`, { reason: 'NO_RATE' });
    const q = quote(entry, { origin: origin?.iata ?? '', destination: destination?.iata ?? '', weightKg: input.weightKg, volumeM3: input.volumeM3, specialHandlingCodes: shc }, this.o.volumeDivisor);
    return { ...q, validUntil: new Date(Date.now() + this.o.quoteValidityHours * 3_600_000) };
  }

  /**
   * Books a shipment on its flights. Each flight's capacity row is locked (SELECT … FOR UPDATE, in a fixed order so
   * two multi-leg bookings cannot deadlock) and checked before it is added to, so concurrent bookings can never
   * oversell a flight; a booking that does not fit changes nothing. A retry with the same idempotency key returns
   * the original shipment.
   */
  async bookShipment(principal: Principal, awb: AwbInput | undefined, flights: readonly (FlightRefInput | undefined)[], idempotencyKey: string): Promise<Shipment> {
    requireRole(principal, ...CARGO_BOOKERS);
    const v = new Violations();
    const key = v.text('idempotency_key', idempotencyKey, /^[\x21-\x7E]{1,128}$/, 'must be 1-128 printable ASCII characters', { optional: true });
    if (awb === undefined) v.add('air_waybill', 'is required', 'REQUIRED');
    const a = awb ?? { number: '', origin: '', destination: '', shipper: undefined, consignee: undefined, pieces: 0, weightKg: 0, volumeM3: 0, commodity: '', specialHandlingCodes: [] };
    let awbNumber = '';
    if (a.number.trim() !== '') {
      const parsed = parseAwb(a.number);
      if (parsed === 'FORMAT') v.add('air_waybill.number', 'must be a 3-digit prefix and 8-digit serial (NNN-NNNNNNNN)', 'FORMAT');
      else if (parsed === 'CHECK_DIGIT') v.add('air_waybill.number', 'check digit must be the first seven serial digits mod 7', 'CHECK_DIGIT');
      else awbNumber = parsed.number;
    }
    const origin = validateAirport(v, this.o.airports, 'air_waybill.origin', a.origin);
    const destination = validateAirport(v, this.o.airports, 'air_waybill.destination', a.destination);
    if (!Number.isInteger(a.pieces) || a.pieces < 1 || a.pieces > 10_000) v.add('air_waybill.pieces', 'must be 1-10000', 'RANGE');
    v.positive('air_waybill.weight_kg', a.weightKg, { max: MAX_WEIGHT_KG });
    v.positive('air_waybill.volume_m3', a.volumeM3, { allowZero: true, max: MAX_VOLUME_M3 });
    const commodity = v.maxLength('air_waybill.commodity', a.commodity, 200);
    const shc = a.specialHandlingCodes.map((c, i) => v.text(`air_waybill.special_handling_codes[${i}]`, c, /^[A-Z]{3}$/, 'must be a 3-letter IATA special handling code', { upper: true }));
    const party = (field: string, p: AwbInput['shipper']): PartyRef => ({
      accountNumber: v.text(`${field}.account_number`, p?.accountNumber, /^[A-Z0-9-]{1,20}$/, 'must be a cargo account reference (1-20 letters, digits, -)', { upper: true }),
      city: v.maxLength(`${field}.city`, p?.city, 64),
      countryCode: v.text(`${field}.country_code`, p?.countryCode, /^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2', { upper: true, optional: true }),
    });
    const shipper = party('air_waybill.shipper', a.shipper);
    const consignee = party('air_waybill.consignee', a.consignee);
    if (flights.length === 0) v.add('flights', 'at least one flight is required', 'REQUIRED');
    if (flights.length > 4) v.add('flights', 'at most 4 flights', 'MAX_ITEMS');
    const keys = flights.slice(0, 4).map((f, i) => validateFlightRef(v, `flights[${i}]`, f));
    v.throwIfAny();

    if (key !== '') {
      const existing = await findShipment(this.o.db, { idempotencyKey: key });
      if (existing) return existing;
    }
    // The routing must chain from the AWB origin to its destination over scheduled flights.
    const legs: Flight[] = [];
    for (const [i, k] of keys.entries()) {
      const f = await findFlightByKey(this.o.db, k);
      if (!f) v.add(`flights[${i}]`, `${k.carrier}${k.number} on ${k.date} is not in the schedule`, 'UNKNOWN_FLIGHT');
      else legs.push(f);
    }
    v.throwIfAny();
    legs.forEach((f, i) => {
      const from = i === 0 ? origin?.iata : legs[i - 1]?.schedule.destination;
      if (f.schedule.origin !== from) v.add(`flights[${i}]`, `departs ${f.schedule.origin}, expected ${from}`, 'ROUTING');
    });
    if (legs[legs.length - 1]?.schedule.destination !== destination?.iata) v.add('flights', `must end at ${destination?.iata}`, 'ROUTING');
    v.throwIfAny();

    const rate = this.quoteRate({ origin: origin?.iata ?? '', destination: destination?.iata ?? '', pieces: a.pieces, weightKg: a.weightKg, volumeM3: a.volumeM3, specialHandlingCodes: shc, shipDate: '' });
    const id = `shp_${newId()}`;
    try {
      await this.o.db.transaction(async (tx) => {
        const lockOrder = [...legs].sort((x, y) => x.id.localeCompare(y.id));
        for (const f of lockOrder) {
          const cap = await getCapacity(tx, f.schedule.key, { forUpdate: true });
          const name = `${f.schedule.key.carrier}${f.schedule.key.number}/${f.schedule.key.date}`;
          if (!cap) throw new FailedPreconditionError(`no cargo capacity is published for ${name}`, { reason: 'NO_CAPACITY' });
          if (!fits(cap, a.weightKg, a.volumeM3)) {
            throw new FailedPreconditionError(
              `${name} has ${round(cap.totalWeightKg - cap.bookedWeightKg)} kg / ${round(cap.totalVolumeM3 - cap.bookedVolumeM3)} m³ left`,
              { reason: 'INSUFFICIENT_CAPACITY', metadata: { flight: name } },
            );
          }
          await addBooked(tx, f.schedule.key, a.weightKg, a.volumeM3);
        }
        const number = awbNumber !== '' ? awbNumber : awbFromSequence(this.o.awbPrefix, await nextAwbSerial(tx)).number;
        const inserted = await insertShipment(tx, {
          id,
          awbNumber: number,
          origin: origin?.iata ?? '',
          destination: destination?.iata ?? '',
          shipper,
          consignee,
          pieces: a.pieces,
          weightKg: a.weightKg,
          volumeM3: a.volumeM3,
          commodity,
          specialHandlingCodes: shc,
          charge: { amountMinor: rate.totalMinor, currency: rate.currency },
          idempotencyKey: key === '' ? undefined : key,
          createdBy: bookerOf(principal),
        });
        if (!inserted) throw new ShipmentConflict();
        const bookings: CargoBooking[] = legs.map((f) => ({
          flight: f.schedule.key,
          origin: f.schedule.origin,
          destination: f.schedule.destination,
          pieces: a.pieces,
          weightKg: a.weightKg,
          volumeM3: a.volumeM3,
          status: 'CONFIRMED',
        }));
        for (const [i, b] of bookings.entries()) await insertBooking(tx, id, i, b);
        await insertTrackingEvent(tx, id, {
          sourceEventId: `bkd:${id}`,
          statusCode: 'BKD',
          airport: origin?.iata ?? '',
          flight: legs[0]?.schedule.key,
          pieces: a.pieces,
          weightKg: a.weightKg,
          eventTime: new Date(),
          discrepancyCode: '',
          remarks: '',
        });
        await emit(tx, 'csm.cargo.shipment.booked.v1', {
          shipmentId: id,
          airWaybillNumber: number,
          origin: origin?.iata,
          destination: destination?.iata,
          pieces: a.pieces,
          weightKg: a.weightKg,
          flights: legs.map((f) => ({ ...f.schedule.key })),
          bookingStatus: 1, // BOOKING_STATUS_CONFIRMED
        });
      });
    } catch (err) {
      if (!(err instanceof ShipmentConflict)) throw err;
      if (key !== '') {
        const existing = await findShipment(this.o.db, { idempotencyKey: key });
        if (existing) return existing;
      }
      throw new AlreadyExistsError('air waybill', awbNumber);
    }
    this.o.onEventsWritten?.();
    const created = await findShipment(this.o.db, { id });
    if (!created) throw new NotFoundError('shipment', id);
    return created;
  }

  async getShipment(principal: Principal, by: { shipmentId?: string | undefined; awb?: string | undefined }): Promise<Shipment> {
    requireRole(principal, ...CARGO_BOOKERS);
    if (by.shipmentId) {
      if (!/^shp_[0-9A-HJKMNP-TV-Z]{26}$/.test(by.shipmentId)) throw new ValidationError({ field: 'shipment_id', description: 'must be shp_ + ULID', rule: 'INVALID_ID' });
      const s = await findShipment(this.o.db, { id: by.shipmentId });
      if (!s || !mayReadBooking(principal, s)) throw new NotFoundError('shipment', by.shipmentId);
      return s;
    }
    const s = await this.byAwb('air_waybill_number', by.awb ?? '');
    if (!mayReadBooking(principal, s)) throw new NotFoundError('shipment', by.awb ?? '');
    return s;
  }

  /** Public tracking: the caller knows the AWB number. */
  track(awb: string): Promise<Shipment> {
    return this.byAwb('air_waybill_number', awb);
  }

  private async byAwb(field: string, awb: string): Promise<Shipment> {
    const parsed = parseAwb(awb);
    if (parsed === 'FORMAT') throw new ValidationError({ field, description: 'must be a 3-digit prefix and 8-digit serial (NNN-NNNNNNNN)', rule: 'FORMAT' });
    if (parsed === 'CHECK_DIGIT') throw new ValidationError({ field, description: 'check digit must be the first seven serial digits mod 7', rule: 'CHECK_DIGIT' });
    const s = await findShipment(this.o.db, { awb: parsed.number });
    if (!s) throw new NotFoundError('air waybill', parsed.number);
    return s;
  }

  /**
   * An FSU status message. Idempotent by source_event_id; the shipment's status is the latest non-discrepancy event
   * by event time (late messages join the timeline without moving it back). DIS raises an exception event.
   */
  async recordTrackingEvent(principal: Principal, awb: string, input: TrackingEventInput | undefined): Promise<{ shipment: Shipment; applied: boolean }> {
    requireRole(principal, ...OPS_ROLES);
    const v = new Violations();
    const parsed = parseAwb(awb);
    if (parsed === 'FORMAT') v.add('air_waybill_number', 'must be a 3-digit prefix and 8-digit serial (NNN-NNNNNNNN)', 'FORMAT');
    if (parsed === 'CHECK_DIGIT') v.add('air_waybill_number', 'check digit must be the first seven serial digits mod 7', 'CHECK_DIGIT');
    if (input === undefined) v.add('event', 'is required', 'REQUIRED');
    const e = input ?? { statusCode: '', airport: '', flight: undefined, pieces: 0, weightKg: 0, eventTime: undefined, discrepancyCode: '', remarks: '', sourceEventId: '' };
    const code = v.text('event.status_code', e.statusCode, /^[A-Z]{3}$/, 'must be a Cargo-IMP status code', { upper: true });
    if (code !== '' && /^[A-Z]{3}$/.test(code) && !isCargoImpStatus(code)) v.add('event.status_code', `unknown Cargo-IMP status code; known: ${Object.keys(CARGO_IMP_STATUS).join(', ')}`, 'ENUM');
    const airport = validateAirport(v, this.o.airports, 'event.airport', e.airport);
    const flight = e.flight && e.flight.carrier !== '' ? validateFlightRef(v, 'event.flight', e.flight) : undefined;
    if (!Number.isInteger(e.pieces) || e.pieces < 0) v.add('event.pieces', 'must be zero or more', 'RANGE');
    v.positive('event.weight_kg', e.weightKg, { allowZero: true, max: MAX_WEIGHT_KG });
    if (e.eventTime === undefined) v.add('event.event_time', 'is required', 'REQUIRED');
    const disc = e.discrepancyCode.trim().toUpperCase();
    if (code === 'DIS' && disc === '') v.add('event.discrepancy_code', 'is required for DIS', 'REQUIRED');
    if (disc !== '' && !(disc in DISCREPANCY_CODES)) v.add('event.discrepancy_code', `unknown discrepancy code; known: ${Object.keys(DISCREPANCY_CODES).join(', ')}`, 'ENUM');
    const sourceEventId = v.text('event.source_event_id', e.sourceEventId, /^[\x21-\x7E]{1,128}$/, 'must be 1-128 printable ASCII characters');
    const remarks = v.maxLength('event.remarks', e.remarks, 500);
    v.throwIfAny();
    const number = typeof parsed === 'string' ? '' : parsed.number;
    const event: TrackingEvent = {
      sourceEventId,
      statusCode: code,
      airport: airport?.iata ?? '',
      flight,
      pieces: e.pieces,
      weightKg: e.weightKg,
      eventTime: e.eventTime ?? new Date(),
      discrepancyCode: disc,
      remarks,
    };
    const result = await this.o.db.transaction(async (tx) => {
      const before = await findShipment(tx, { awb: number }, { forUpdate: true });
      if (!before) throw new NotFoundError('air waybill', number);
      const fresh = await insertTrackingEvent(tx, before.id, event);
      if (!fresh) return { id: before.id, applied: false, events: 0 };
      let events = 0;
      const status = progressStatus([...before.events, event], before.statusCode);
      if (status !== before.statusCode) await updateShipmentStatus(tx, before.id, status);
      if (movesStatus(code)) {
        await emit(tx, 'csm.cargo.shipment.status_changed.v1', {
          shipmentId: before.id,
          airWaybillNumber: number,
          previousStatusCode: before.statusCode,
          statusCode: status,
          airport: event.airport,
          flight: event.flight ? { ...event.flight } : undefined,
          pieces: event.pieces,
          eventTime: event.eventTime,
        });
        events++;
      } else {
        await emit(tx, 'csm.cargo.shipment.exception_raised.v1', {
          shipmentId: before.id,
          airWaybillNumber: number,
          exceptionCode: disc,
          description: `${DISCREPANCY_CODES[disc] ?? 'discrepancy'}${remarks ? `: ${remarks}` : ''}`,
          airport: event.airport,
          flight: event.flight ? { ...event.flight } : undefined,
          pieces: event.pieces,
          eventTime: event.eventTime,
        });
        events++;
      }
      return { id: before.id, applied: true, events };
    });
    if (result.events > 0) this.o.onEventsWritten?.();
    const shipment = await findShipment(this.o.db, { id: result.id });
    if (!shipment) throw new NotFoundError('shipment', result.id);
    return { shipment, applied: result.applied };
  }

  /** Raises RCF_OVERDUE for shipments not received from their flight in time after arrival; returns how many. */
  async scanMissingRcf(now: Date = new Date()): Promise<number> {
    const due = await findRcfOverdue(this.o.db, now, this.o.rcfTimeoutMinutes, 200);
    let raised = 0;
    for (const d of due) {
      const done = await this.o.db.transaction(async (tx) => {
        if (!(await markRcfOverdueRaised(tx, d.id))) return false;
        const s = await findShipment(tx, { id: d.id });
        if (!s) return false;
        await emit(tx, 'csm.cargo.shipment.exception_raised.v1', {
          shipmentId: s.id,
          airWaybillNumber: s.awbNumber,
          exceptionCode: RCF_OVERDUE,
          description: `no RCF at ${s.destination} within ${this.o.rcfTimeoutMinutes} min of the flight's arrival at ${d.arrivedAt.toISOString()}`,
          airport: s.destination,
          flight: { ...d.flight },
          pieces: s.pieces,
          eventTime: now,
        });
        return true;
      });
      if (done) raised++;
    }
    if (raised > 0) this.o.onEventsWritten?.();
    return raised;
  }

  async listOutlets(location: string, page: PageInput | undefined): Promise<{ outlets: OutletRow[]; nextPageToken: string }> {
    const v = new Violations();
    const loc = v.text('location', location, /^([A-Z]{3}|0\d{2,3})$/, 'must be an IATA airport or city code, or a PRC area code', { upper: true, optional: true });
    const airports = loc === '' ? undefined : this.o.airports.resolve(loc).map((a) => a.iata);
    if (airports && airports.length === 0) v.add('location', `unknown location ${loc}`, 'UNKNOWN_LOCATION');
    const after = decodeCursor(page?.pageToken ?? '', 'page.page_token', (x): x is { id: string } => typeof (x as { id?: unknown }).id === 'string');
    v.throwIfAny();
    const limit = pageSize(page?.pageSize, 50, 200);
    const rows = await listOutlets(this.o.db, airports, after?.id ?? '', limit + 1);
    const outlets = rows.slice(0, limit);
    const last = outlets[outlets.length - 1];
    return { outlets, nextPageToken: rows.length > limit && last ? encodeCursor({ id: last.id }) : '' };
  }

  private async requireFlight(key: FlightKey): Promise<Flight> {
    const f = await findFlightByKey(this.o.db, key);
    if (!f) throw new FailedPreconditionError(`flight ${key.carrier}${key.number} on ${key.date} is not in the schedule`, { reason: 'FLIGHT_NOT_SCHEDULED' });
    return f;
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
