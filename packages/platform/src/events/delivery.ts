/**
 * How one message is delivered to a handler, shared by every bus adapter so they behave identically: parse the
 * envelope, run the handler inside the producer's trace, retry with back-off, and decide when the message is poison.
 * The adapter then commits the offset (handled / dead-lettered) or leaves it uncommitted (aborted by shutdown).
 */
import { EventEnvelopeError } from './envelope';
import { errorFields, type EventsLogger } from './logger';
import type { ConsumerMetrics } from './metrics';
import type { EventContext, EventHandler } from './ports';
import { backoffDelay, NonRetryableEventError, type RetryPolicy } from './retry';
import { dlqTopicFor } from './topics';
import { runInConsumerSpan } from './trace';
import { fromWireMessage, type WireMessage } from './wire';

/** Headers added to a dead-lettered message (its original headers, key and value are kept as they were). */
export const DLQ_HEADER = {
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  consumerGroup: 'dlq_consumer_group',
  attempts: 'dlq_attempts',
  reason: 'dlq_reason',
  errorType: 'dlq_error_type',
  errorMessage: 'dlq_error_message',
  failedAt: 'dlq_failed_at',
} as const;

export type DeadLetterReason = 'handler-failed' | 'non-retryable' | 'invalid-envelope';

export interface DeliveryInput {
  message: WireMessage;
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  handler: EventHandler;
  policy: RetryPolicy;
  /** Aborted when the subscription stops: a pending back-off is abandoned and the message stays uncommitted. */
  signal: AbortSignal;
  /** Called while backing off so a broker does not consider the member dead. */
  heartbeat?: () => Promise<void>;
  metrics?: ConsumerMetrics | undefined;
  logger: EventsLogger;
}

export type DeliveryOutcome =
  | { kind: 'handled' }
  /** Send the original message (key, value and headers untouched) to `topic` with `headers` added, then commit. */
  | { kind: 'dead-letter'; topic: string; headers: Record<string, string> }
  | { kind: 'aborted' };

const MAX_ERROR_MESSAGE = 1024;

export async function deliver(input: DeliveryInput): Promise<DeliveryOutcome> {
  const { message, topic, partition, offset, groupId, policy, logger, metrics } = input;
  const where = { topic, partition, offset, groupId };
  let event;
  try {
    event = fromWireMessage(message);
  } catch (err) {
    if (!(err instanceof EventEnvelopeError)) throw err;
    logger.error({ ...where, ...errorFields(err) }, 'malformed event: sent to the dead-letter topic');
    return deadLetter(input, 0, 'invalid-envelope', err);
  }
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    if (input.signal.aborted) return { kind: 'aborted' };
    const ctx: EventContext = { topic, partition, offset, groupId, attempt, key: message.key, headers: message.headers };
    try {
      await runInConsumerSpan(
        message.headers,
        `${topic} process`,
        {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': groupId,
          'messaging.message.id': event.id,
          'cloudevents.event_type': event.type,
        },
        () => input.handler(event, ctx),
      );
      metrics?.onHandled?.({ topic, groupId, type: event.type, durationMs: Date.now() - started, attempts: attempt });
      return { kind: 'handled' };
    } catch (err) {
      const fields = { ...where, eventId: event.id, type: event.type, attempt, ...errorFields(err) };
      if (err instanceof NonRetryableEventError) {
        logger.error(fields, 'event handler rejected the event as non-retryable: sent to the dead-letter topic');
        return deadLetter(input, attempt, 'non-retryable', err);
      }
      if (attempt >= policy.maxAttempts) {
        logger.error(fields, 'event handler failed on every attempt: sent to the dead-letter topic');
        return deadLetter(input, attempt, 'handler-failed', err);
      }
      metrics?.onRetry?.({ topic, groupId, attempt, error: err });
      logger.warn(fields, 'event handler failed: will retry');
      const completed = await backOff(backoffDelay(policy, attempt), input.signal, input.heartbeat);
      if (!completed) return { kind: 'aborted' };
    }
  }
}

function deadLetter(input: DeliveryInput, attempts: number, reason: DeadLetterReason, err: unknown): DeliveryOutcome {
  const e = err instanceof Error ? err : new Error(String(err));
  const headers: Record<string, string> = {
    [DLQ_HEADER.originalTopic]: input.topic,
    [DLQ_HEADER.originalPartition]: String(input.partition),
    [DLQ_HEADER.originalOffset]: input.offset,
    [DLQ_HEADER.consumerGroup]: input.groupId,
    [DLQ_HEADER.attempts]: String(attempts),
    [DLQ_HEADER.reason]: reason,
    [DLQ_HEADER.errorType]: e.name,
    [DLQ_HEADER.errorMessage]: e.message.slice(0, MAX_ERROR_MESSAGE),
    [DLQ_HEADER.failedAt]: new Date().toISOString(),
  };
  input.metrics?.onDeadLettered?.({ topic: input.topic, groupId: input.groupId, attempts, reason });
  return { kind: 'dead-letter', topic: dlqTopicFor(input.topic), headers };
}

/** Waits `ms`, heart-beating about once a second; false when aborted first. */
async function backOff(ms: number, signal: AbortSignal, heartbeat?: () => Promise<void>): Promise<boolean> {
  const until = Date.now() + ms;
  while (!signal.aborted) {
    const left = until - Date.now();
    if (left <= 0) return true;
    await abortableSleep(Math.min(left, 1000), signal);
    if (heartbeat && !signal.aborted) await heartbeat();
  }
  return false;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
