import { createLogger } from '@csm/platform/logging';
import { loadConfig } from '@csm/platform/config';
import { createTestDatabase, runSqlServiceLifecycle } from '@csm/platform/testing';
import { Client } from 'pg';
import { configSchema } from '../src/config';
import * as service from '../src/service';

describe(`${service.SERVICE_NAME} service (cluster: real PostgreSQL)`, () => {
  it('migrates its database, serves health, and drains on stop', async () => {
    const result = await runSqlServiceLifecycle(service, configSchema);
    expect(result.afterStart).toBe('SERVING');
    expect(result.afterStop).toBe('UNREACHABLE');
    expect(result.tables).toEqual(
      expect.arrayContaining(['outbox', 'processed_events', 'schema_migrations', 'members', 'accounts', 'ledger_transactions', 'postings', 'idempotency_keys', 'partners']),
    );
  });

  it('--migrate-only: applies the migrations and returns', async () => {
    const db = await createTestDatabase('loyalty_migrate');
    try {
      const config = loadConfig(configSchema, { CSM_MODE: 'cluster', CSM_PG_URL: db.url, CSM_KAFKA_BROKERS: '127.0.0.1:1' });
      await service.migrate({ config, logger: createLogger({ service: 'test', level: 'silent' }) });
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const res = await client.query<{ version: number }>(`SELECT version FROM schema_migrations WHERE service = 'loyalty' ORDER BY version`);
        expect(res.rows.map((r) => Number(r.version))).toEqual([1, 2, 3, 4, 5]);
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });
});
