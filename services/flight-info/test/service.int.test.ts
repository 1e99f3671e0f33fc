import { createTestDatabase, runServiceLifecycle } from '@csm/platform/testing';
import { Client } from 'pg';
import { configSchema } from '../src/config';
import * as service from '../src/service';

describe(`${service.SERVICE_NAME} service (cluster: real PostgreSQL)`, () => {
  it('migrates its database, serves health, and drains on stop', async () => {
    const db = await createTestDatabase(service.SERVICE_NAME.replace('-', '_'));
    try {
      const result = await runServiceLifecycle(service, configSchema, { CSM_MODE: 'cluster', CSM_PG_URL: db.url });
      expect(result.afterStart).toBe('SERVING');
      expect(result.afterStop).toBe('UNREACHABLE');
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      await client.end();
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['outbox', 'processed_events', 'schema_migrations']));
    } finally {
      await db.drop();
    }
  });
});
