/**
 * Embedded mode survives process crashes: what the in-process bus accepted is in the embedded database (PGlite on
 * disk), so after a SIGKILL nothing accepted is lost, and a message whose consumer died mid-handling is delivered
 * again and de-duplicated. Runs the producer and the consumer in child processes and kills them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countPendingOutbox, createInProcessEventBus } from '../src/events';
import { createPgliteDb } from '../src/stores/pglite/pglite-db';
import { waitFor } from './fixtures/events/bus-contract';
import { runFixture } from './fixtures/events/child-process';
import { effectHandler, type EffectCounters } from './fixtures/events/effects';
import { count } from './fixtures/events/sql';
import { testLogger } from './fixtures/events/test-logger';

jest.setTimeout(180_000);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'csm-events-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('delivers accepted events after a crash, and re-delivers (de-duplicated) what a killed consumer was handling', async () => {
  const env = { EVT_DATA_DIR: path.join(dir, 'db'), EVT_TOPIC: 'csm.cases.v1', EVT_GROUP: 'analytics.cases' };

  // 1. Produce: the relay hands three events to the bus, which marks them published; then the process dies.
  const producer = runFixture('embedded-child.ts', { ...env, EVT_MODE: 'produce' });
  await producer.waitForLine(/^ACCEPTED 3$/, 120_000);
  await producer.kill();

  // 2. Consume: the first effect commits, then the process dies before the group offset is committed.
  const consumer = runFixture('embedded-child.ts', { ...env, EVT_MODE: 'consume' });
  const [, crashedId] = await consumer.waitForLine(/^EFFECT_COMMITTED (\S+)$/, 120_000);
  await consumer.kill();

  // 3. Restart in this process: everything accepted is still there and each event takes effect once.
  const db = await createPgliteDb({ dataDir: env.EVT_DATA_DIR });
  try {
    expect(await countPendingOutbox(db)).toBe(0); // the relay will not publish them again…
    expect(await count(db, `SELECT count(*) AS n FROM effects`)).toBe(1);
    const bus = await createInProcessEventBus({ db, logger: testLogger() });
    const counters: EffectCounters = { applied: [], duplicates: [] };
    const handler = effectHandler(db, env.EVT_GROUP, counters);
    await bus.subscribe({ groupId: env.EVT_GROUP, topics: [env.EVT_TOPIC], handler });
    await waitFor(() => counters.applied.length + counters.duplicates.length >= 3, 30_000, 'three deliveries'); // …the bus delivers them
    await bus.close();

    expect(counters.duplicates).toEqual([crashedId]);
    expect(counters.applied).toHaveLength(2);
    const effects = await db.query<{ event_id: string }>(`SELECT event_id FROM effects ORDER BY id`);
    expect(new Set(effects.rows.map((r) => r.event_id)).size).toBe(3);
    expect(effects.rows).toHaveLength(3);
  } finally {
    await db.close();
  }
});
