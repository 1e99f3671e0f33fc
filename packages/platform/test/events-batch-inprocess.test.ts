/**
 * Batch consumption on the in-process bus (embedded mode): the batch contract on one in-memory PGlite database that
 * holds both the bus log and the consumer's effects (closing a bus and making the next is a restart).
 */
import { createEvent, createIdempotentBatchHandler, createInProcessEventBus, type CloudEvent } from '../src/events';
import type { SqlDb } from '../src/stores/sql';
import { runBatchConsumptionContract } from './fixtures/events/batch-contract';
import { openPgliteTestDb } from './fixtures/events/sql';
import { testLogger } from './fixtures/events/test-logger';

// Booting the WASM PostgreSQL takes seconds on a busy machine: one instance serves the file.
jest.setTimeout(60_000);

let db: SqlDb;
beforeAll(async () => {
  db = await openPgliteTestDb();
});
afterAll(async () => {
  await db?.close();
});

runBatchConsumptionContract(
  'in-process (PGlite)',
  async () => createInProcessEventBus({ db, idlePollMs: 200, logger: testLogger() }),
  () => db,
);

describe('createIdempotentBatchHandler (PGlite)', () => {
  const ctx = (offset: number) => ({ topic: 't', partition: 0, offset: String(offset), groupId: 'g', attempt: 1, key: 'k', headers: {} });
  const ev = (n: number) => createEvent({ source: '/csm/test', type: 'csm.test.thing.happened.v1', subject: 'k', data: { n } });

  it('applies only ids not seen before (first of repeats within a batch), and a failed batch leaves no claim behind', async () => {
    const consumer = `unit_${Date.now().toString(36)}`;
    const seen: string[][] = [];
    const dups: string[] = [];
    let fail = false;
    const { handler, batchHandler } = createIdempotentBatchHandler(
      db,
      consumer,
      async (batch, tx) => {
        seen.push(batch.map((d) => d.ctx.offset));
        await tx.query(`INSERT INTO effects (consumer, event_id, subject) SELECT $1, unnest($2::text[]), 'k'`, [consumer, batch.map((d) => d.event.id)]);
        if (fail) throw new Error('effect failed');
      },
      { onDuplicate: (e) => dups.push(e.id) },
    );
    const [a, b, c, d] = [ev(1), ev(2), ev(3), ev(4)] as [CloudEvent, CloudEvent, CloudEvent, CloudEvent];
    await handler(a, ctx(0));
    await batchHandler([
      { event: a, ctx: ctx(1) },
      { event: b, ctx: ctx(2) },
      { event: b, ctx: ctx(3) },
      { event: c, ctx: ctx(4) },
    ]);
    expect(seen).toEqual([['0'], ['2', '4']]);
    expect(dups).toEqual([a.id, b.id]);
    fail = true;
    await expect(batchHandler([{ event: d, ctx: ctx(5) }])).rejects.toThrow('effect failed');
    fail = false;
    await batchHandler([{ event: d, ctx: ctx(6) }, { event: c, ctx: ctx(7) }]);
    expect(seen.at(-1)).toEqual(['6']);
    const rows = await db.query<{ event_id: string }>(`SELECT event_id FROM effects WHERE consumer = $1 ORDER BY id`, [consumer]);
    expect(rows.rows.map((r) => r.event_id)).toEqual([a.id, b.id, c.id, d.id]);
    await batchHandler([]);
    expect(seen).toHaveLength(4);
  });
});
