import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SqlDb } from '@csm/platform/stores';
import { startProfile } from './fixtures/harness';
import { runProfileScenarios } from './fixtures/scenarios';

jest.setTimeout(120_000); // PGlite boots in seconds; slower while other suites share the 2 cores

const PROFILE_TABLES = ['passengers', 'passenger_index', 'passenger_names', 'profile_audit', 'idempotency_keys', 'data_keys'];

runProfileScenarios('embedded store (PGlite/JSONB) + in-process bus', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-profile-'));
  const s = await startProfile({ CSM_MODE: 'embedded', CSM_DATA_DIR: dataDir });
  if (s.raw.kind !== 'embedded') throw new Error('expected the embedded store');
  const db: SqlDb = s.raw.db;
  return {
    client: s.client,
    issuer: s.issuer,
    app: s.app,
    store: s.store,
    bus: s.bus,
    drainRelay: () => s.relay.drain(),
    rawStore: async () => {
      const parts: string[] = [];
      for (const t of PROFILE_TABLES) parts.push(JSON.stringify((await db.query(`SELECT * FROM ${t}`)).rows));
      return parts.join('\n');
    },
    rawTopic: async () => JSON.stringify((await db.query(`SELECT msg_key, msg_value, headers FROM event_bus_log WHERE topic = 'csm.profile.v1'`)).rows),
    stop: async () => {
      s.client.close();
      await s.running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
