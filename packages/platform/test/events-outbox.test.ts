/**
 * Outbox, relay and idempotent consumer on the embedded stack (PGlite + in-process bus): the same code paths the
 * cluster uses, minus the broker. Kafka/PostgreSQL crash tests are in events-outbox.int.test.ts.
 */
import { Registry } from 'prom-client';
import {
  appendToOutbox,
  cleanupOutbox,
  cleanupProcessedEvents,
  countPendingOutbox,
  createEvent,
  createIdempotentHandler,
  createInProcessEventBus,
  createOutboxRelay,
  EventEnvelopeError,
  isEventProcessed,
  prometheusEventMetrics,
  type CloudEvent,
  type EventBus,
  type EventPublisher,
} from '../src/events';
import type { SqlDb } from '../src/stores/sql';
import { waitFor } from './fixtures/events/bus-contract';
import { effectHandler, type EffectCounters } from './fixtures/events/effects';
import { count, openPgliteTestDb } from './fixtures/events/sql';
import { testLogger } from './fixtures/events/test-logger';

jest.setTimeout(60_000);

let db: SqlDb;
let bus: EventBus;
let topicSeq = 0;

beforeAll(async () => {
  db = await openPgliteTestDb();
  bus = await createInProcessEventBus({ db, logger: testLogger(), idlePollMs: 100 });
});
afterAll(async () => {
  await bus?.close();
  await db?.close();
});
beforeEach(async () => {
  await db.query(`DELETE FROM outbox`);
});

async function newTopic(): Promise<string> {
  const topic = `csm.outbox-test-${++topicSeq}.v1`;
  await bus.ensureTopics([topic], { partitions: 2 });
  return topic;
}

const ev = (subject: string, data: Record<string, unknown> = {}) =>
  createEvent({ source: '/csm/cases', type: 'csm.cases.case.updated.v1', subject, data });

async function append(topic: string, events: CloudEvent[]) {
  await db.transaction(async (tx) => {
    for (const e of events) await appendToOutbox(tx, e, { topic });
  });
}

/** Subscribes a recorder to `topic` under a fresh group. */
async function consume(topic: string) {
  const seen: CloudEvent[] = [];
  const sub = await bus.subscribe({ groupId: `reader-${topic}-${Date.now()}`, topics: [topic], handler: async (e) => void seen.push(e) });
  return { seen, sub };
}

describe('appendToOutbox', () => {
  it('writes in the caller transaction: committed with it, gone with a rollback', async () => {
    const kept = ev('case_a1');
    await db.transaction((tx) => appendToOutbox(tx, kept));
    const rolledBack = ev('case_a2');
    await expect(
      db.transaction(async (tx) => {
        await appendToOutbox(tx, rolledBack);
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');

    const rows = await db.query<{ event_id: string; topic: string; aggregate_id: string; event_type: string; envelope: CloudEvent }>(
      `SELECT event_id, topic, aggregate_id, event_type, envelope FROM outbox`,
    );
    expect(rows.rows).toEqual([
      { event_id: kept.id, topic: 'csm.cases.v1', aggregate_id: 'case_a1', event_type: 'csm.cases.case.updated.v1', envelope: kept },
    ]);
  });

  it('refuses an invalid envelope or topic', async () => {
    await expect(db.transaction((tx) => appendToOutbox(tx, { ...ev('x'), subject: '' }))).rejects.toBeInstanceOf(EventEnvelopeError);
    await expect(db.transaction((tx) => appendToOutbox(tx, ev('x'), { topic: 'bad topic' }))).rejects.toThrow('topic');
    expect(await countPendingOutbox(db)).toBe(0);
  });
});

describe('outbox relay', () => {
  it('publishes in commit order across batches and marks the rows', async () => {
    const topic = await newTopic();
    const events = Array.from({ length: 23 }, (_, i) => ev(`case_o${i % 3}`, { seq: i }));
    for (let i = 0; i < events.length; i += 5) await append(topic, events.slice(i, i + 5));
    const publishedBatches: number[] = [];
    const relay = createOutboxRelay({ db, publisher: bus, batchSize: 4, retention: false, metrics: { onPublished: ({ count: n }) => publishedBatches.push(n) } });

    expect(await relay.drain()).toBe(23);
    expect(publishedBatches).toEqual([4, 4, 4, 4, 4, 3]);
    expect(await countPendingOutbox(db)).toBe(0);
    const { seen, sub } = await consume(topic);
    await waitFor(() => seen.length >= 23, 10_000, '23 events');
    await sub.stop();
    for (const s of ['case_o0', 'case_o1', 'case_o2']) {
      const seqs = seen.filter((e) => e.subject === s).map((e) => e.data.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('keeps rows when publishing fails and publishes them once the bus is back', async () => {
    const topic = await newTopic();
    await append(topic, [ev('case_f1'), ev('case_f2')]);
    let down = 2;
    const flaky: EventPublisher = {
      publish: async (records) => {
        if (down-- > 0) throw new Error('bus unavailable');
        await bus.publish(records);
      },
    };
    const errors: unknown[] = [];
    const logger = testLogger();
    const relay = createOutboxRelay({ db, publisher: flaky, pollIntervalMs: 10, maxErrorBackoffMs: 40, retention: false, logger, metrics: { onError: ({ error }) => errors.push(error) } });

    await expect(relay.runOnce()).rejects.toThrow('bus unavailable');
    expect(await countPendingOutbox(db)).toBe(2);
    relay.start();
    await waitFor(() => errors.length >= 1, 5_000, 'a failed cycle');
    await waitFor(() => down < 0, 5_000, 'a successful cycle');
    await relay.stop();
    expect(await countPendingOutbox(db)).toBe(0);
    expect(logger.entries.some((e) => e.level === 'error' && e.msg?.includes('relay cycle failed'))).toBe(true);
  });

  it('republishes (same ids) a batch whose marking never happened, and the idempotent consumer applies it once', async () => {
    const topic = await newTopic();
    const events = [ev('case_r1'), ev('case_r2')];
    await append(topic, events);
    let crash = true;
    const relay = createOutboxRelay({
      db,
      publisher: bus,
      retention: false,
      afterPublish: () => {
        if (crash) {
          crash = false;
          throw new Error('relay died before marking');
        }
      },
    });
    await expect(relay.runOnce()).rejects.toThrow('relay died before marking');
    expect(await countPendingOutbox(db)).toBe(2);
    expect(await relay.drain()).toBe(2);

    const counters: EffectCounters = { applied: [], duplicates: [] };
    const groupId = `effects-${topic}`;
    const sub = await bus.subscribe({ groupId, topics: [topic], handler: effectHandler(db, groupId, counters) });
    await waitFor(() => counters.applied.length + counters.duplicates.length >= 4, 10_000, 'four deliveries');
    await sub.stop();
    expect(counters.applied.sort()).toEqual(events.map((e) => e.id).sort());
    expect(counters.duplicates.sort()).toEqual(events.map((e) => e.id).sort());
    expect(await count(db, `SELECT count(*) AS n FROM effects WHERE consumer = $1`, [groupId])).toBe(2);
  });

  it('publishes promptly on notify() and drains on stop()', async () => {
    const topic = await newTopic();
    const relay = createOutboxRelay({ db, publisher: bus, pollIntervalMs: 60_000, retention: false });
    relay.start();
    await new Promise((r) => setTimeout(r, 200)); // the first cycle found nothing; the next poll is a minute away
    await append(topic, [ev('case_n1')]);
    const nudged = Date.now();
    relay.notify();
    while ((await countPendingOutbox(db)) > 0 && Date.now() - nudged < 5_000) await new Promise((r) => setTimeout(r, 10));
    expect(await countPendingOutbox(db)).toBe(0);
    expect(Date.now() - nudged).toBeLessThan(5_000);

    // notify() from inside the producing transaction: the cycle waits for the commit instead of tripping over it.
    const logger = testLogger();
    const relay2 = createOutboxRelay({ db, publisher: bus, pollIntervalMs: 60_000, retention: false, logger });
    relay2.start();
    await new Promise((r) => setTimeout(r, 200));
    await db.transaction(async (tx) => {
      await appendToOutbox(tx, ev('case_n4'), { topic });
      relay2.notify();
      await new Promise((r) => setTimeout(r, 50)); // the nudged cycle starts while this transaction is open
    });
    const nudged2 = Date.now();
    while ((await countPendingOutbox(db)) > 0 && Date.now() - nudged2 < 5_000) await new Promise((r) => setTimeout(r, 10));
    await relay2.stop();
    expect(await countPendingOutbox(db)).toBe(0);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);

    await append(topic, [ev('case_n2'), ev('case_n3')]); // no notify: only stop()'s drain can publish these now
    await relay.stop();
    expect(relay.running).toBe(false);
    expect(await countPendingOutbox(db)).toBe(0);
  });

  it('deletes published rows past retention, never pending ones', async () => {
    const topic = await newTopic();
    await append(topic, [ev('case_c1'), ev('case_c2'), ev('case_c3')]);
    await db.query(`UPDATE outbox SET published_at = now() - interval '2 days' WHERE aggregate_id IN ('case_c1', 'case_c2')`);
    await db.query(`UPDATE outbox SET published_at = now() WHERE aggregate_id = 'case_c3'`);
    await append(topic, [ev('case_c4')]);
    expect(await cleanupOutbox(db, { retentionMs: 24 * 3600_000, batchSize: 1 })).toBe(2);
    const left = await db.query<{ aggregate_id: string }>(`SELECT aggregate_id FROM outbox ORDER BY seq`);
    expect(left.rows.map((r) => r.aggregate_id)).toEqual(['case_c3', 'case_c4']);
  });

  it('reports to Prometheus through the metrics hooks', async () => {
    const topic = await newTopic();
    await append(topic, [ev('case_m1'), ev('case_m2')]);
    const registry = new Registry();
    const metrics = prometheusEventMetrics(registry);
    const relay = createOutboxRelay({ db, publisher: bus, retention: false, metrics: metrics.relay });
    await relay.drain();
    const text = await registry.metrics();
    expect(text).toMatch(/csm_events_outbox_published_total 2/);
    expect(text).toMatch(/csm_events_outbox_backlog 0/);
  });
});

describe('idempotent handler', () => {
  const ctx = { topic: 't', partition: 0, offset: '0', groupId: 'g', attempt: 1, key: null, headers: {} };

  it('applies an event once per consumer, and not at all when the effect fails', async () => {
    const e = ev('case_i1');
    const counters: EffectCounters = { applied: [], duplicates: [] };
    const billing = effectHandler(db, 'billing', counters);
    await billing(e, ctx);
    await billing(e, { ...ctx, attempt: 2 });
    expect(counters).toEqual({ applied: [e.id], duplicates: [e.id] });
    await effectHandler(db, 'analytics')(e, ctx); // another consumer has its own record
    expect(await count(db, `SELECT count(*) AS n FROM effects WHERE event_id = $1`, [e.id])).toBe(2);

    const failing = ev('case_i2');
    let fail = true;
    const handler = createIdempotentHandler(db, 'flaky', async (event, tx) => {
      await tx.query(`INSERT INTO effects (consumer, event_id, subject) VALUES ('flaky', $1, $2)`, [event.id, event.subject]);
      if (fail) throw new Error('effect failed');
    });
    await expect(handler(failing, ctx)).rejects.toThrow('effect failed');
    expect(await isEventProcessed(db, 'flaky', failing.id)).toBe(false); // rolled back with the effect
    fail = false;
    await handler(failing, ctx);
    expect(await isEventProcessed(db, 'flaky', failing.id)).toBe(true);
    expect(await count(db, `SELECT count(*) AS n FROM effects WHERE consumer = 'flaky'`)).toBe(1);
  });

  it('forgets records past their retention', async () => {
    const e = ev('case_i3');
    await effectHandler(db, 'retention')(e, ctx);
    await db.query(`UPDATE processed_events SET processed_at = now() - interval '30 days' WHERE consumer = 'retention'`);
    expect(await cleanupProcessedEvents(db, { retentionMs: 7 * 24 * 3600_000 })).toBe(1);
    expect(await isEventProcessed(db, 'retention', e.id)).toBe(false);
  });
});
