import type { FlightKey } from './flight';

export const BOOKING_STATUSES = ['CONFIRMED', 'WAITLISTED', 'CANCELLED', 'REFUSED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Shipper / consignee by reference: the cargo account plus where it is; no names or phone numbers are kept. */
export interface PartyRef {
  readonly accountNumber: string;
  readonly city: string;
  readonly countryCode: string;
}

export interface CargoBooking {
  readonly flight: FlightKey;
  readonly origin: string;
  readonly destination: string;
  readonly pieces: number;
  readonly weightKg: number;
  readonly volumeM3: number;
  readonly status: BookingStatus;
}

export interface TrackingEvent {
  readonly sourceEventId: string;
  readonly statusCode: string;
  readonly airport: string;
  readonly flight: FlightKey | undefined;
  readonly pieces: number;
  readonly weightKg: number;
  readonly eventTime: Date;
  readonly discrepancyCode: string;
  readonly remarks: string;
}

export interface Shipment {
  readonly id: string;
  readonly awbNumber: string;
  readonly origin: string;
  readonly destination: string;
  readonly shipper: PartyRef;
  readonly consignee: PartyRef;
  readonly pieces: number;
  readonly weightKg: number;
  readonly volumeM3: number;
  readonly commodity: string;
  readonly specialHandlingCodes: readonly string[];
  readonly statusCode: string;
  readonly charge: { amountMinor: number; currency: string } | undefined;
  readonly bookings: readonly CargoBooking[];
  readonly events: readonly TrackingEvent[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface Capacity {
  readonly flight: FlightKey;
  readonly totalWeightKg: number;
  readonly totalVolumeM3: number;
  readonly bookedWeightKg: number;
  readonly bookedVolumeM3: number;
}

/** Whether `need` still fits in what is left (quantities in grams / cm³ to avoid float drift at the boundary). */
export function fits(c: Capacity, weightKg: number, volumeM3: number): boolean {
  const g = (kg: number) => Math.round(kg * 1000);
  return g(c.bookedWeightKg) + g(weightKg) <= g(c.totalWeightKg) && g(c.bookedVolumeM3) + g(volumeM3) <= g(c.totalVolumeM3);
}

/**
 * The shipment's progress status after its events: the latest (by event time) that is not a discrepancy. BKD is
 * the baseline a booking starts from, so handling messages dated before the booking was keyed in still count.
 */
export function progressStatus(events: readonly TrackingEvent[], fallback: string): string {
  let latest: TrackingEvent | undefined;
  for (const e of events) {
    if (e.statusCode === 'DIS' || (e.statusCode === 'BKD' && events.some((o) => o.statusCode !== 'BKD' && o.statusCode !== 'DIS'))) continue;
    if (!latest || e.eventTime.getTime() >= latest.eventTime.getTime()) latest = e;
  }
  return latest?.statusCode ?? fallback;
}
