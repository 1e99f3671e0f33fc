/**
 * Transactional outbox → relay → Kafka → idempotent consumer, on real PostgreSQL and real Kafka, with real process
 * crashes: relays and consumers run in child processes that are SIGKILLed at the worst moments.
 */
import { Kafka, logLevel } from 'kafkajs';
import {
  appendToOutbox,
  countPendingOutbox,
  createEvent,
  createKafkaEventBus,
  createOutboxRelay,
  type CloudEvent,
  type EventBus,
} from '../src/events';
import { createPgDb } from '../src/stores/pg/pg-db';
import type { SqlDb } from '../src/stores/sql';
import { testInfra } from '../src/testing/infra';
import { deleteTestTopics } from '../src/testing/kafka';
import { uniqueName } from '../src/testing/unique-name';
import { waitFor } from './fixtures/events/bus-contract';
import { runFixture } from './fixtures/events/child-process';
import { effectHandler, type EffectCounters } from './fixtures/events/effects';
import { count, openPgTestDb, type PgTestDb } from './fixtures/events/sql';
import { testLogger } from './fixtures/events/test-logger';

const { kafkaBrokers } = testInfra();
const admin = new Kafka({ clientId: 'events-outbox-test', brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
const topics: string[] = [];
let pg: PgTestDb;
let db: SqlDb;
let bus: EventBus;

/** Messages ever written to the topic (sum of the partitions' high watermarks). */
async function messagesOn(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

async function newTopic(label: string, partitions = 2): Promise<string> {
  const topic = uniqueName(`evt_${label}`).replace(/_/g, '.');
  await bus.ensureTopics([topic], { partitions });
  topics.push(topic, `${topic}.dlq`);
  return topic;
}

function caseOpened(caseId: string): CloudEvent {
  return createEvent({
    source: '/csm/cases',
    type: 'csm.cases.case.opened.v1',
    subject: caseId,
    data: { caseId, channel: 'CHANNEL_EMAIL', category: 'BAGGAGE_DELAYED' },
  });
}

/** A use case: the state change and its event in ONE transaction. */
async function openCase(caseId: string, topic: string, opts: { failAfterAppend?: boolean } = {}): Promise<CloudEvent> {
  const event = caseOpened(caseId);
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO cases (id, status) VALUES ($1, 'OPEN')`, [caseId]);
    await appendToOutbox(tx, event, { topic });
    if (opts.failAfterAppend) throw new Error('validation failed after the append');
  });
  return event;
}

beforeAll(async () => {
  pg = await openPgTestDb('evt_outbox');
  db = pg.db;
  await admin.connect();
  bus = createKafkaEventBus({
    brokers: kafkaBrokers,
    clientId: 'events-outbox-test',
    logger: testLogger(),
    consumer: { sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
  });
});

afterAll(async () => {
  await bus?.close();
  await pg?.close();
  await deleteTestTopics(kafkaBrokers, topics).catch(() => undefined);
  await admin.disconnect();
});

describe('transactional outbox on PostgreSQL + Kafka', () => {
  it('applies each event exactly once although the relay dies after publishing and the consumer dies before committing', async () => {
    const topic = await newTopic('exactly_once');
    const events = [await openCase('case_eo_1', topic), await openCase('case_eo_2', topic), await openCase('case_eo_3', topic)];
    expect(await countPendingOutbox(db)).toBe(3);

    // 1. A relay process publishes the batch and is SIGKILLed before it can mark the rows published.
    const relayChild = runFixture('relay-child.ts', { EVT_DB_URL: pg.database.url, CSM_KAFKA_BROKERS: kafkaBrokers.join(','), EVT_FAULT: 'after-publish' });
    const published = await relayChild.waitForLine(/^PUBLISHED (\S+)$/);
    await relayChild.kill();
    expect((await relayChild.exited).signal).toBe('SIGKILL');
    expect(published[1]?.split(',').sort()).toEqual(events.map((e) => e.id).sort());
    expect(await messagesOn(topic)).toBe(3); // on the topic…
    expect(await countPendingOutbox(db)).toBe(3); // …but still unpublished in the outbox

    // 2. The next relay publishes the same events again (same ids), then marks them.
    const relay = createOutboxRelay({ db, publisher: bus, retention: false, logger: testLogger() });
    expect(await relay.drain()).toBe(3);
    expect(await countPendingOutbox(db)).toBe(0);
    expect(await messagesOn(topic)).toBe(6); // at-least-once: every event twice

    // 3. A consumer process applies the first event, then is SIGKILLed before its offset commit.
    const groupId = uniqueName('cases_projection');
    const consumerChild = runFixture('consumer-child.ts', {
      EVT_DB_URL: pg.database.url,
      CSM_KAFKA_BROKERS: kafkaBrokers.join(','),
      EVT_TOPIC: topic,
      EVT_GROUP: groupId,
      EVT_FAULT: 'crash-before-commit',
    });
    const [, crashedId] = await consumerChild.waitForLine(/^EFFECT_COMMITTED (\S+) (\d+) (\d+)$/);
    await consumerChild.kill();
    expect(await count(db, `SELECT count(*) AS n FROM effects WHERE consumer = $1`, [groupId])).toBe(1);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0]?.partitions.every((p) => p.offset === '-1')).toBe(true); // nothing committed

    // 4. A new member of the group re-reads all six messages; the processed_events records make repeats no-ops.
    const counters: EffectCounters = { applied: [], duplicates: [] };
    const deliveries: string[] = [];
    const handler = effectHandler(db, groupId, counters);
    const sub = await bus.subscribe({
      groupId,
      topics: [topic],
      handler: async (event, ctx) => {
        await handler(event, ctx);
        deliveries.push(event.id);
      },
    });
    await waitFor(() => deliveries.length >= 6, 60_000, 'six deliveries');
    await sub.stop();

    expect(deliveries).toContain(crashedId); // the crashed consumer's message came back…
    expect(counters.duplicates).toContain(crashedId); // …and was skipped
    expect(counters.applied).toHaveLength(2);
    expect(counters.duplicates).toHaveLength(4);
    const effects = await db.query<{ event_id: string; n: string }>(
      `SELECT event_id, count(*) AS n FROM effects WHERE consumer = $1 GROUP BY event_id ORDER BY event_id`,
      [groupId],
    );
    expect(effects.rows).toEqual(events.map((e) => ({ event_id: e.id, n: '1' })).sort((a, b) => a.event_id.localeCompare(b.event_id)));
    expect(await count(db, `SELECT count(*) AS n FROM processed_events WHERE consumer = $1`, [groupId])).toBe(3);
    expect(await count(db, `SELECT count(*) AS n FROM cases WHERE id LIKE 'case_eo_%'`)).toBe(3);
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const topic = await newTopic('rollback');
    await expect(openCase('case_rb_1', topic, { failAfterAppend: true })).rejects.toThrow('validation failed after the append');

    expect(await count(db, `SELECT count(*) AS n FROM cases WHERE id = 'case_rb_1'`)).toBe(0);
    expect(await count(db, `SELECT count(*) AS n FROM outbox WHERE aggregate_id = 'case_rb_1'`)).toBe(0);
    const relay = createOutboxRelay({ db, publisher: bus, retention: false, logger: testLogger() });
    expect(await relay.drain()).toBe(0);
    expect(await messagesOn(topic)).toBe(0);
  });

  it('keeps per-aggregate order with several relay replicas publishing concurrently', async () => {
    const topic = await newTopic('replicas', 3);
    const aggregates = Array.from({ length: 8 }, (_, i) => `case_rep_${i}`);
    const perAggregate = 20;
    const written: CloudEvent[] = [];
    for (let seq = 0; seq < perAggregate; seq++) {
      await db.transaction(async (tx) => {
        for (const a of aggregates) {
          const e = createEvent({ source: '/csm/cases', type: 'csm.cases.case.updated.v1', subject: a, data: { seq } });
          await appendToOutbox(tx, e, { topic });
          written.push(e);
        }
      });
    }

    // Three replicas, each with its own pool, small batches and a random pause between publish and mark.
    const published = new Map<number, number>();
    const replicas = [0, 1, 2].map((i) => {
      const replicaDb = createPgDb({ url: pg.database.url, max: 2 }); // as a separate process would have
      const relay = createOutboxRelay({
        db: replicaDb,
        publisher: bus,
        batchSize: 7,
        retention: false,
        logger: testLogger(),
        metrics: { onPublished: ({ count: n }) => published.set(i, (published.get(i) ?? 0) + n) },
        afterPublish: () => new Promise((r) => setTimeout(r, Math.random() * 30)),
      });
      return { replicaDb, relay };
    });
    await Promise.all(replicas.map(async ({ relay }) => {
      // Keep cycling until the outbox is empty for everyone (a replica may see 0 while others hold rows).
      while ((await countPendingOutbox(db)) > 0) {
        if ((await relay.runOnce()) === 0) await new Promise((r) => setTimeout(r, 5));
      }
    }));
    await Promise.all(replicas.map(({ replicaDb }) => replicaDb.close()));
    expect([...published.values()].reduce((a, b) => a + b, 0)).toBe(written.length);
    expect([...published.values()].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);

    const seen: CloudEvent[] = [];
    const sub = await bus.subscribe({ groupId: uniqueName('replicas_reader'), topics: [topic], handler: async (e) => void seen.push(e) });
    await waitFor(() => seen.length >= written.length, 60_000, 'all replicated events');
    await sub.stop();
    expect(new Set(seen.map((e) => e.id)).size).toBe(written.length); // nothing twice (no crash here)
    for (const a of aggregates) {
      expect(seen.filter((e) => e.subject === a).map((e) => e.data.seq)).toEqual([...Array(perAggregate).keys()]);
    }
  });
});
