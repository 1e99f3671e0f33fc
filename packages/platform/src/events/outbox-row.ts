/**
 * The outbox row of an event, for producers that append it from inside a larger SQL statement (e.g. a data-modifying
 * CTE that writes the state change and its event in ONE round trip) instead of calling `appendToOutbox(tx, …)`.
 * Same validation, topic rule and columns as `appendToOutbox`; the statement must run in the state change's transaction
 * (a single statement is its own transaction).
 */
import { validateEvent, type CloudEvent } from './envelope';
import type { AppendOptions } from './outbox';
import { assertTopicName, topicForEventType } from './topics';

/** Column list matching `outboxRow()`'s values, in order. */
export const OUTBOX_INSERT_COLUMNS = 'event_id, topic, aggregate_id, event_type, envelope';

/** `[event_id, topic, aggregate_id, event_type, envelope JSON text]` for `INSERT INTO outbox (OUTBOX_INSERT_COLUMNS)`. */
export function outboxRow(event: CloudEvent, options: AppendOptions = {}): [string, string, string, string, string] {
  const valid = validateEvent(event);
  const topic = options.topic ?? topicForEventType(valid.type);
  assertTopicName(topic);
  return [valid.id, topic, valid.subject, valid.type, JSON.stringify(valid)];
}
