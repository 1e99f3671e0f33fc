import type { FlightStatus, ServiceType } from '../domain/flight';

/** Plain request shapes the use cases accept (the gRPC layer maps protos onto them; enums already decoded). */
export interface FlightRefInput {
  readonly carrier: string;
  readonly number: string;
  readonly date: string;
}
export interface LocalDateTimeInput {
  readonly localDateTime: string;
  readonly timeZone: string;
}
export interface DesignatorInput {
  readonly carrier: string;
  readonly number: string;
}
export interface FareInput {
  readonly cabin: string;
  readonly bookingClass: string;
  readonly amount?: { readonly amountMinor: number; readonly currencyCode: string } | undefined;
}
export interface ScheduleInput {
  readonly flight?: FlightRefInput | undefined;
  readonly operating?: DesignatorInput | undefined;
  readonly codeshares: readonly DesignatorInput[];
  readonly serviceType?: ServiceType | 'INVALID' | undefined;
  readonly origin: string;
  readonly destination: string;
  readonly scheduledDeparture?: LocalDateTimeInput | undefined;
  readonly scheduledArrival?: LocalDateTimeInput | undefined;
  readonly aircraftType: string;
  readonly fares: readonly FareInput[];
}
export interface DelayReasonInput {
  readonly code: string;
  readonly description: string;
  readonly minutes: number;
}
export interface StatusUpdateInput {
  readonly flight?: FlightRefInput | undefined;
  readonly updateId: string;
  readonly observeTime?: Date | undefined;
  readonly source: string;
  readonly status?: FlightStatus | 'INVALID' | undefined;
  readonly estimatedDeparture?: LocalDateTimeInput | undefined;
  readonly actualDeparture?: LocalDateTimeInput | undefined;
  readonly estimatedArrival?: LocalDateTimeInput | undefined;
  readonly actualArrival?: LocalDateTimeInput | undefined;
  readonly departureTerminal?: string | undefined;
  readonly departureGate?: string | undefined;
  readonly arrivalTerminal?: string | undefined;
  readonly arrivalGate?: string | undefined;
  readonly baggageBelt?: string | undefined;
  readonly aircraftType?: string | undefined;
  readonly aircraftRegistration?: string | undefined;
  readonly delayReasons: readonly DelayReasonInput[];
  readonly divertedTo: string;
  readonly cancelReason: string;
}
export interface PageInput {
  readonly pageSize: number;
  readonly pageToken: string;
}
export interface BoardInput {
  readonly airport: string;
  readonly window?: { readonly startTime?: Date | undefined; readonly endTime?: Date | undefined } | undefined;
  readonly localStart: string;
  readonly localEnd: string;
  readonly carrier: string;
  readonly page?: PageInput | undefined;
}
export interface ManifestEntryInput {
  readonly passengerId: string;
  readonly bookingRef: string;
  readonly ticketNumber: string;
  readonly cabin: string;
  readonly bookingClass: string;
  readonly seat: string;
  readonly ssrCodes: readonly string[];
  readonly checkedBags: number;
  readonly checkedIn: boolean;
  readonly boarded: boolean;
  readonly ffpNumber: string;
}
