import { eventCodec, TOPICS, type DeepPartial, type EventCodec, type EventPayload, type EventType } from '@csm/contracts';
import { appendToOutbox, createEvent, sourceForDomain, type EventData } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import type { Flight, FlightStatus } from '../domain/flight';
import { snapshotOf, statusToProto } from '../grpc/mapping';

const FLIGHT_SOURCE = sourceForDomain('flight');
const CARGO_SOURCE = sourceForDomain('cargo');

/** Appends one registry-declared event (proto3 JSON payload) to the outbox inside `tx`. */
export async function emit<K extends EventType>(tx: SqlTx, type: K, payload: DeepPartial<EventPayload<K>>): Promise<void> {
  const spec = eventCodec(type) as unknown as EventCodec<unknown>;
  const full = spec.codec.fromPartial(payload as DeepPartial<unknown>);
  const subject = spec.aggregateId(full);
  if (subject === '') throw new Error(`event ${type} has no aggregate id`);
  await appendToOutbox(
    tx,
    createEvent({
      source: spec.topic === TOPICS.cargo ? CARGO_SOURCE : FLIGHT_SOURCE,
      type: spec.type,
      subject,
      data: spec.toJSON(full) as EventData,
      dataschema: `urn:proto:${spec.protoMessage}`,
    }),
  );
}

export interface FlightChange {
  readonly before: Flight;
  readonly after: Flight;
  /** Thresholds crossed for the first time by this change. */
  readonly crossedThresholds: readonly number[];
}

/**
 * The events one applied status update produces: status changed (when the status moved), one delayed per newly
 * crossed threshold, cancelled / diverted once per flight.
 */
export async function emitFlightChange(tx: SqlTx, c: FlightChange): Promise<number> {
  let count = 0;
  const snapshot = snapshotOf(c.after);
  const prev: FlightStatus = c.before.live.status;
  const now: FlightStatus = c.after.live.status;
  const l = c.after.live;
  if (prev !== now || l.departureGate !== c.before.live.departureGate || l.arrivalGate !== c.before.live.arrivalGate) {
    await emit(tx, 'csm.flight.flight.status_changed.v1', {
      flight: snapshot,
      previousStatus: statusToProto(prev),
      departureGate: l.departureGate,
      arrivalGate: l.arrivalGate,
    });
    count++;
  }
  for (const threshold of c.crossedThresholds) {
    await emit(tx, 'csm.flight.flight.delayed.v1', {
      flight: snapshot,
      delayMinutes: Math.max(l.departureDelayMinutes, c.after.maxDelayMinutes),
      previousDelayMinutes: c.before.live.departureDelayMinutes,
      reasons: l.delayReasons.map((r) => ({ code: r.code, description: r.description, minutes: r.minutes })),
      thresholdMinutes: threshold,
    });
    count++;
  }
  if (c.after.cancelNotified && !c.before.cancelNotified) {
    await emit(tx, 'csm.flight.flight.cancelled.v1', { flight: snapshot, reason: l.cancelReason, cancelTime: c.after.lastObserveTime });
    count++;
  }
  if (c.after.divertNotified && !c.before.divertNotified) {
    await emit(tx, 'csm.flight.flight.diverted.v1', { flight: snapshot, divertedTo: l.divertedTo });
    count++;
  }
  return count;
}
