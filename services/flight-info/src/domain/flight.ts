import type { LocalTime } from './local-time';

/** Flight statuses (mirrors csm.flightinfo.v1.FlightStatus without the proto dependency). */
export const FLIGHT_STATUSES = ['SCHEDULED', 'DELAYED', 'BOARDING', 'DEPARTED', 'ARRIVED', 'CANCELLED', 'DIVERTED', 'RETURNED'] as const;
export type FlightStatus = (typeof FLIGHT_STATUSES)[number];

export const SERVICE_TYPES = ['PASSENGER', 'CARGO', 'COMBI'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface FlightKey {
  readonly carrier: string;
  readonly number: string;
  /** Local departure date at the origin, "YYYY-MM-DD". */
  readonly date: string;
}

export interface Designator {
  readonly carrier: string;
  readonly number: string;
}

export interface DelayReason {
  readonly code: string;
  readonly description: string;
  readonly minutes: number;
}

export interface Fare {
  readonly cabin: string;
  readonly bookingClass: string;
  readonly amountMinor: number;
  readonly currency: string;
}

/** The scheduled part of a dated flight (what UpsertSchedule / a schedule file sets). */
export interface Schedule {
  readonly key: FlightKey;
  readonly operating: Designator | undefined;
  readonly codeshares: readonly Designator[];
  readonly serviceType: ServiceType;
  readonly origin: string;
  readonly destination: string;
  readonly scheduledDeparture: LocalTime;
  readonly scheduledArrival: LocalTime;
  readonly aircraftType: string;
  readonly fares: readonly Fare[];
  readonly distanceKm: number;
}

/** The operational part, derived by replaying status updates over the schedule. */
export interface LiveState {
  readonly status: FlightStatus;
  readonly estimatedDeparture: LocalTime | undefined;
  readonly actualDeparture: LocalTime | undefined;
  readonly estimatedArrival: LocalTime | undefined;
  readonly actualArrival: LocalTime | undefined;
  readonly departureTerminal: string;
  readonly departureGate: string;
  readonly arrivalTerminal: string;
  readonly arrivalGate: string;
  readonly baggageBelt: string;
  readonly aircraftType: string | undefined;
  readonly aircraftRegistration: string;
  readonly delayReasons: readonly DelayReason[];
  readonly divertedTo: string;
  readonly cancelReason: string;
  readonly departureDelayMinutes: number;
  readonly arrivalDelayMinutes: number;
}

export interface Flight {
  readonly id: string;
  readonly schedule: Schedule;
  readonly live: LiveState;
  /** Highest departure delay any replayed state reached (drives threshold events). */
  readonly maxDelayMinutes: number;
  /** Delay thresholds already announced by a FlightDelayed event. */
  readonly notifiedThresholds: readonly number[];
  readonly cancelNotified: boolean;
  readonly divertNotified: boolean;
  readonly lastObserveTime: Date | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export const INITIAL_LIVE: LiveState = {
  status: 'SCHEDULED',
  estimatedDeparture: undefined,
  actualDeparture: undefined,
  estimatedArrival: undefined,
  actualArrival: undefined,
  departureTerminal: '',
  departureGate: '',
  arrivalTerminal: '',
  arrivalGate: '',
  baggageBelt: '',
  aircraftType: undefined,
  aircraftRegistration: '',
  delayReasons: [],
  divertedTo: '',
  cancelReason: '',
  departureDelayMinutes: 0,
  arrivalDelayMinutes: 0,
};
