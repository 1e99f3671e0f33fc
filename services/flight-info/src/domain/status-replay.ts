import type { DelayReason, FlightStatus, LiveState, Schedule } from './flight';
import { INITIAL_LIVE } from './flight';
import { minutesBetween, type LocalTime } from './local-time';

/** One operational update (validated). Unset fields keep their current value. */
export interface StatusUpdate {
  readonly updateId: string;
  readonly observeTime: Date;
  readonly source: string;
  readonly status: FlightStatus | undefined;
  readonly estimatedDeparture: LocalTime | undefined;
  readonly actualDeparture: LocalTime | undefined;
  readonly estimatedArrival: LocalTime | undefined;
  readonly actualArrival: LocalTime | undefined;
  readonly departureTerminal: string | undefined;
  readonly departureGate: string | undefined;
  readonly arrivalTerminal: string | undefined;
  readonly arrivalGate: string | undefined;
  readonly baggageBelt: string | undefined;
  readonly aircraftType: string | undefined;
  readonly aircraftRegistration: string | undefined;
  readonly delayReasons: readonly DelayReason[] | undefined;
  readonly divertedTo: string | undefined;
  readonly cancelReason: string | undefined;
}

/** Source order: observe time, then update id (a total order, so every replica folds the same way). */
export function compareUpdates(a: StatusUpdate, b: StatusUpdate): number {
  const t = a.observeTime.getTime() - b.observeTime.getTime();
  if (t !== 0) return t;
  return a.updateId < b.updateId ? -1 : a.updateId > b.updateId ? 1 : 0;
}

export interface ReplayResult {
  readonly live: LiveState;
  /** Highest departure delay of any intermediate state. */
  readonly maxDelayMinutes: number;
  readonly lastObserveTime: Date | undefined;
}

/**
 * Folds every update of a flight, in source order, over its schedule. Each field is last-writer-wins by source
 * timestamp: an update that arrives late never overrides what a newer one said, and fields only it carries still
 * apply. The result depends only on the SET of updates, never on arrival order or duplicates — so shuffled or
 * redelivered feeds converge to one state.
 */
export function replayUpdates(schedule: Schedule, updates: readonly StatusUpdate[]): ReplayResult {
  const ordered = [...updates].sort(compareUpdates);
  let live: LiveState = INITIAL_LIVE;
  let maxDelay = 0;
  let last: Date | undefined;
  for (const u of ordered) {
    live = applyUpdate(schedule, live, u);
    maxDelay = Math.max(maxDelay, live.departureDelayMinutes);
    last = u.observeTime;
  }
  return { live, maxDelayMinutes: maxDelay, lastObserveTime: last };
}

function pick<T>(next: T | undefined, current: T): T {
  return next === undefined ? current : next;
}

export function applyUpdate(schedule: Schedule, live: LiveState, u: StatusUpdate): LiveState {
  const merged: LiveState = {
    status: pick(u.status, live.status),
    estimatedDeparture: pick(u.estimatedDeparture, live.estimatedDeparture),
    actualDeparture: pick(u.actualDeparture, live.actualDeparture),
    estimatedArrival: pick(u.estimatedArrival, live.estimatedArrival),
    actualArrival: pick(u.actualArrival, live.actualArrival),
    departureTerminal: pick(u.departureTerminal, live.departureTerminal),
    departureGate: pick(u.departureGate, live.departureGate),
    arrivalTerminal: pick(u.arrivalTerminal, live.arrivalTerminal),
    arrivalGate: pick(u.arrivalGate, live.arrivalGate),
    baggageBelt: pick(u.baggageBelt, live.baggageBelt),
    aircraftType: pick(u.aircraftType, live.aircraftType),
    aircraftRegistration: pick(u.aircraftRegistration, live.aircraftRegistration),
    delayReasons: u.delayReasons !== undefined && u.delayReasons.length > 0 ? u.delayReasons : live.delayReasons,
    divertedTo: u.divertedTo !== undefined && u.divertedTo !== '' ? u.divertedTo : live.divertedTo,
    cancelReason: u.cancelReason !== undefined && u.cancelReason !== '' ? u.cancelReason : live.cancelReason,
    departureDelayMinutes: 0,
    arrivalDelayMinutes: 0,
  };
  return { ...merged, ...delaysOf(schedule, merged) };
}

/**
 * Delay against schedule: actual time when known, else the estimate; without either, a departure delay reported
 * only through IATA delay codes counts their minutes. Early is 0, never negative.
 */
export function delaysOf(schedule: Schedule, live: LiveState): { departureDelayMinutes: number; arrivalDelayMinutes: number } {
  const dep = live.actualDeparture ?? live.estimatedDeparture;
  const arr = live.actualArrival ?? live.estimatedArrival;
  const reasonMinutes = live.delayReasons.reduce((sum, r) => sum + Math.max(0, r.minutes), 0);
  const departureDelayMinutes = dep ? Math.max(0, minutesBetween(schedule.scheduledDeparture.utc, dep.utc)) : reasonMinutes;
  const arrivalDelayMinutes = arr ? Math.max(0, minutesBetween(schedule.scheduledArrival.utc, arr.utc)) : 0;
  return { departureDelayMinutes, arrivalDelayMinutes };
}

/** Thresholds (ascending) reached by `maxDelay` and not announced yet: one FlightDelayed each. */
export function newlyCrossedThresholds(thresholds: readonly number[], maxDelay: number, notified: readonly number[]): number[] {
  return [...thresholds].sort((a, b) => a - b).filter((t) => maxDelay >= t && !notified.includes(t));
}
