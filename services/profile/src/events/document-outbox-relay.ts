import type { EventPublisher, EventsLogger, PublishRecord } from '@csm/platform/events';
import { topicForEventType } from '@csm/platform/events';
import type { ProfileStore } from '../store/profile-store';

/**
 * Relay of the outbox that lives INSIDE each passenger document (MongoDB/FerretDB have no multi-document
 * transactions, so a separate outbox collection could not be written atomically with the change).
 *
 * A cycle finds documents with `hasPending`, copies their audit records into the audit collection (idempotent by id),
 * publishes their events in document order, and only then clears `pending` with a compare-and-set on the version it
 * read. If the document changed in between, the clear does not match and the next cycle publishes again — with the
 * same event ids, which consumers de-duplicate. Delivery is therefore at-least-once, per-passenger order preserved.
 */
export interface DocumentOutboxRelay {
  start(): void;
  notify(): void;
  runOnce(): Promise<number>;
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export interface DocumentOutboxRelayOptions {
  store: ProfileStore;
  publisher: EventPublisher;
  logger: EventsLogger;
  batchSize?: number;
  pollIntervalMs?: number;
  maxErrorBackoffMs?: number;
}

export function createDocumentOutboxRelay(options: DocumentOutboxRelayOptions): DocumentOutboxRelay {
  const { store, publisher, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const maxBackoff = options.maxErrorBackoffMs ?? 10_000;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  async function cycle(): Promise<number> {
    const docs = await store.findPending(batchSize);
    if (docs.length === 0) return 0;
    await store.appendAudit(docs.flatMap((d) => d.pendingAudit));
    const records: PublishRecord[] = docs.flatMap((d) => d.pending.map((event) => ({ topic: topicForEventType(event.type), event })));
    if (records.length > 0) await publisher.publish(records);
    for (const d of docs) await store.clearPending(d._id, d.rev);
    return records.length + docs.reduce((n, d) => n + d.pendingAudit.length, 0) || docs.length;
  }

  const runOnce = () => serialized(cycle);

  async function drain(): Promise<number> {
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      const n = await runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  function schedule(ms: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  }

  async function tick(): Promise<void> {
    try {
      await drain();
      failures = 0;
      schedule(pollIntervalMs);
    } catch (err) {
      failures++;
      logger.error({ err: { name: (err as Error).name, message: (err as Error).message }, failures }, 'profile outbox relay cycle failed: will retry');
      schedule(Math.min(maxBackoff, pollIntervalMs * 2 ** Math.min(failures, 16)));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    notify() {
      if (running && failures === 0) schedule(0);
    },
    runOnce,
    drain,
    async stop() {
      if (!running) return;
      running = false;
      clearTimeout(timer);
      try {
        await serialized(async () => undefined);
        await drain();
      } catch (err) {
        logger.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'profile outbox relay could not drain on stop: events stay pending for the next start');
      }
    },
  };
}
