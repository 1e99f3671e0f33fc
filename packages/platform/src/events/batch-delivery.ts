/**
 * How a batch of consecutive messages of one partition is delivered, shared by every bus adapter (like delivery.ts for
 * one message): parse the envelopes, hand the valid ones to the subscription's batch handler in ONE call (one
 * transaction for an idempotent batch handler), and when that fails fall back to delivering every message of the
 * batch one at a time through `deliver()` — with its bounded retries and DLQ — so a poison message is dead-lettered
 * alone and the rest still take effect. The adapter then dead-letters / commits according to the outcomes.
 */
import { deliver, type DeliveryInput, type DeliveryOutcome } from './delivery';
import { errorFields } from './logger';
import type { DeliveredEvent, EventBatchHandler, EventContext } from './ports';
import { runInConsumerBatchSpan } from './trace';
import { fromWireMessage, type WireMessage } from './wire';

/** Default most messages per batch handler call. */
export const DEFAULT_MAX_BATCH_SIZE = 500;

export interface BatchMessage {
  message: WireMessage;
  /** Offset within the partition, as a decimal string. */
  offset: string;
}

export interface BatchDeliveryInput extends Omit<DeliveryInput, 'message' | 'offset'> {
  /** Consecutive messages of `partition`, in offset order. */
  messages: readonly BatchMessage[];
  batchHandler: EventBatchHandler;
}

export interface BatchDeliveryResult {
  /**
   * The outcome of each message from the first one, in order: all of them, or fewer when the subscription stopped
   * part-way (those messages stay uncommitted and are delivered again). Never contains 'aborted'.
   */
  outcomes: Exclude<DeliveryOutcome, { kind: 'aborted' }>[];
}

/** The largest batch size that is valid for `maxBatchSize` (an integer ≥ 1; default 500). */
export function resolveMaxBatchSize(maxBatchSize: number | undefined): number {
  const n = maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError('maxBatchSize must be an integer ≥ 1');
  return n;
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function deliverBatch(input: BatchDeliveryInput): Promise<BatchDeliveryResult> {
  const { messages, topic, partition, groupId, logger, metrics } = input;
  if (input.signal.aborted || messages.length === 0) return { outcomes: [] };
  const parsed = messages.map(({ message }) => {
    try {
      return fromWireMessage(message);
    } catch {
      return undefined; // deliver() below reports it and dead-letters it
    }
  });
  const batch: DeliveredEvent[] = [];
  messages.forEach(({ message, offset }, i) => {
    const event = parsed[i];
    if (event === undefined) return;
    const ctx: EventContext = { topic, partition, offset, groupId, attempt: 1, key: message.key, headers: message.headers };
    batch.push({ event, ctx });
  });

  // A single valid message gains nothing from the batch path, and its failure would be delivered twice on attempt 1.
  if (batch.length > 1) {
    const started = Date.now();
    let ok = false;
    try {
      await runInConsumerBatchSpan(
        batch.map((d) => d.ctx.headers),
        `${topic} process`,
        {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': groupId,
          'messaging.batch.message_count': batch.length,
        },
        () => input.batchHandler(batch),
      );
      ok = true;
    } catch (err) {
      const first = batch[0]?.ctx.offset;
      const last = batch[batch.length - 1]?.ctx.offset;
      metrics?.onRetry?.({ topic, groupId, attempt: 1, error: err });
      logger.warn({ topic, partition, groupId, firstOffset: first, lastOffset: last, size: batch.length, ...errorFields(err) }, 'event batch handler failed: delivering its messages one at a time');
    }
    if (ok) {
      const durationMs = Date.now() - started;
      const outcomes: BatchDeliveryResult['outcomes'] = [];
      for (const [i, m] of messages.entries()) {
        const event = parsed[i];
        if (event !== undefined) {
          metrics?.onHandled?.({ topic, groupId, type: event.type, durationMs, attempts: 1 });
          outcomes.push({ kind: 'handled' });
          continue;
        }
        // Malformed envelope: deliver() logs it and returns its dead-letter outcome without calling the handler.
        const outcome = await deliver({ ...input, message: m.message, offset: m.offset });
        if (outcome.kind === 'aborted') break;
        outcomes.push(outcome);
      }
      return { outcomes };
    }
  }

  // One at a time, in order, with the per-message retry policy.
  const outcomes: BatchDeliveryResult['outcomes'] = [];
  for (const m of messages) {
    const outcome = await deliver({ ...input, message: m.message, offset: m.offset });
    if (outcome.kind === 'aborted') break;
    outcomes.push(outcome);
  }
  return { outcomes };
}
