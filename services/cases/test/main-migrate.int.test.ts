import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, testInfra } from '@csm/platform/testing';
import { Client } from 'pg';

const repo = path.resolve(__dirname, '../../..');

describe('cases main.ts --migrate-only (the Helm pre-install/pre-upgrade Job)', () => {
  it('applies the migrations to real PostgreSQL and exits 0 without serving', async () => {
    const db = await createTestDatabase('cases_migrate');
    try {
      const r = spawnSync(
        process.execPath,
        ['--require', path.join(repo, 'scripts/dev/ts-register.cjs'), path.join(__dirname, '../src/main.ts'), '--migrate-only'],
        {
          env: { PATH: process.env.PATH ?? '', CSM_MODE: 'cluster', CSM_PG_URL: db.url, CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','), CSM_TELEMETRY_ENABLED: 'false' },
          encoding: 'utf8',
          timeout: 90_000,
        },
      );
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
      expect(lines.map((l) => l.msg)).toContain('cases migrations applied');
      expect(lines.map((l) => l.msg)).not.toContain('grpc server listening');
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const applied = await client.query<{ n: string }>("SELECT count(*) AS n FROM schema_migrations WHERE service = 'cases'");
      await client.end();
      expect(Number(applied.rows[0]?.n)).toBeGreaterThanOrEqual(3);
    } finally {
      await db.drop();
    }
  });
});
