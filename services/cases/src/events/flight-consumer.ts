import { TOPICS } from '@csm/contracts';
import { createIdempotentHandler, isEventProcessed, type EventBus, type EventHandler, type Subscription } from '@csm/platform/events';
import type { Logger } from '@csm/platform/logging';
import type { SqlDb } from '@csm/platform/stores';
import type { ManifestPort } from '../app/ports';
import { disruptionFrom, type ProactiveCare } from '../app/proactive-care';

/** Default consumer group (also the de-duplication name in processed_events). */
export const FLIGHT_CONSUMER = 'cases.flight-disruptions';

/**
 * Proactive care from `csm.flight.v1`: delays and cancellations open (or update) a case per affected passenger.
 * The passengers come from flight-info's manifest over gRPC (ListManifest) — flight-info publishes no manifest events
 * to build a local projection from. The manifest is read BEFORE the de-duplicating transaction (no network call while
 * a transaction is open); the event id is recorded in the same transaction as the cases it opens.
 */
export function flightDisruptionHandler(o: { db: SqlDb; care: ProactiveCare; manifest: ManifestPort; minDelayMinutes: number; group?: string; logger?: Logger; onCommitted?: () => void }): EventHandler {
  const group = o.group ?? FLIGHT_CONSUMER;
  return async (event, ctx) => {
    const d = disruptionFrom(event.type, event.data, o.minDelayMinutes);
    if (!d) return;
    if (await isEventProcessed(o.db, group, event.id)) return;
    const passengers = await o.manifest.passengers(d.flight);
    await o.care.prepare();
    let result = { opened: 0, updated: 0 };
    await createIdempotentHandler(o.db, group, async (_e, tx) => {
      result = await o.care.apply(tx, d, passengers);
    })(event, ctx);
    o.logger?.info({ eventId: event.id, flightId: d.flightId, passengers: passengers.length, ...result }, 'proactive care applied');
    o.onCommitted?.();
  };
}

export function subscribeFlightEvents(bus: EventBus, handler: EventHandler, group = FLIGHT_CONSUMER): Promise<Subscription> {
  return bus.subscribe({ groupId: group, topics: [TOPICS.flight], handler });
}
