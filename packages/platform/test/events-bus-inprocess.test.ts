/**
 * The bus contract against the in-process adapter (embedded mode), on an in-memory PGlite database shared by every
 * bus instance the contract makes (closing one and making the next is a restart; crash-restarts of a real process
 * are in events-inprocess-crash.test.ts).
 */
import { createInProcessEventBus } from '../src/events';
import { createPgliteDb } from '../src/stores/pglite/pglite-db';
import type { SqlDb } from '../src/stores/sql';
import { runEventBusContract } from './fixtures/events/bus-contract';
import { testLogger } from './fixtures/events/test-logger';

// Booting the WASM PostgreSQL takes seconds on a busy machine: one instance serves the file.
jest.setTimeout(60_000);

let db: SqlDb;
beforeAll(async () => {
  db = await createPgliteDb();
});
afterAll(async () => {
  await db?.close();
});

runEventBusContract('in-process (PGlite)', async () => createInProcessEventBus({ db, idlePollMs: 200, logger: testLogger() }));
