import { createPgDb, migrate, openSqlDb, type Migration, type SqlDb } from '../src/stores';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { fresh, sleep, sqlDbContract } from './stores-contract';

// Real PostgreSQL (scripts/infra/up.sh or CSM_PG_URL): a throw-away database for this file.
let testDb: TestDatabase;
let db: SqlDb;
const extraPools: SqlDb[] = [];

function pool(options: Partial<Parameters<typeof createPgDb>[0]> = {}): SqlDb {
  const p = createPgDb({ url: testDb.url, max: 4, ...options });
  extraPools.push(p);
  return p;
}

beforeAll(async () => {
  testDb = await createTestDatabase('stores_pg');
  db = createPgDb({ url: testDb.url, max: 5, applicationName: 'csm-stores-test' });
});
afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.close()));
  await db?.close();
  await testDb?.drop();
});

describe('node-postgres SqlDb', () => {
  it('is the pg dialect', () => {
    expect(db.dialect).toBe('pg');
  });

  sqlDbContract(() => db);

  describe('pool behaviour', () => {
    it('runs transactions concurrently on separate connections', async () => {
      const seen = new Set<number>();
      await Promise.all(
        [0, 1, 2].map(() =>
          db.transaction(async (tx) => {
            seen.add((await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number);
            await sleep(50);
          }),
        ),
      );
      expect(seen.size).toBe(3);
    });

    it('sets application_name and statement_timeout on its connections', async () => {
      const named = await db.query<{ app: string }>("SELECT current_setting('application_name') AS app");
      expect(named.rows[0]?.app).toBe('csm-stores-test');
      const strict = pool({ statementTimeoutMs: 100 });
      await expect(strict.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    });

    it('releases a connection whose transaction broke, and keeps working', async () => {
      const warnings: string[] = [];
      const logger = { warn: (_o: object, msg?: string) => warnings.push(msg ?? ''), error: (_o: object, msg?: string) => warnings.push(msg ?? '') };
      const small = pool({ max: 1, logger });
      await expect(
        small.transaction(async (tx) => {
          const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
          await db.query('SELECT pg_terminate_backend($1)', [pid]);
          await tx.query('SELECT 1');
        }),
      ).rejects.toThrow();
      // The single slot was freed (the dead client destroyed, not returned): the pool answers again.
      await expect(small.query<{ ok: number }>('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
      expect(warnings).toContain('PostgreSQL connection failed during a transaction');
    });

    it('closes cleanly and refuses use afterwards', async () => {
      const p = createPgDb({ url: testDb.url, max: 2 });
      await p.query('SELECT 1');
      await Promise.all([p.close(), p.close()]);
      await expect(p.query('SELECT 1')).rejects.toThrow(/has been closed/);
      await expect(p.ping?.()).rejects.toThrow(/has been closed/);
    });

    it('openSqlDb fails start-up with one clear line and no password', async () => {
      const bad = new URL(testDb.url);
      bad.password = 'wrong-secret';
      await expect(openSqlDb({ url: bad.toString(), connectionTimeoutMs: 5_000 })).rejects.toThrow(/^cannot reach PostgreSQL at postgres:\/\/csm:\*\*\*@/);
      await expect(openSqlDb({ url: bad.toString() })).rejects.not.toThrow(/wrong-secret/);
      const ok = await openSqlDb({ url: testDb.url, max: 1 });
      extraPools.push(ok);
      expect(ok.dialect).toBe('pg');
    });
  });

  describe('concurrent replicas', () => {
    it('two (and three) concurrent migrate calls apply each migration exactly once', async () => {
      for (const replicas of [2, 3]) {
        const service = fresh('svc');
        const t = fresh('m');
        const migrations: Migration[] = [
          { version: 1, name: 'create', sql: `CREATE TABLE ${t} (v int NOT NULL); CREATE TABLE ${t}_runs (n int);` },
          // Not idempotent on purpose: running any of these twice would leave extra rows (or fail).
          { version: 2, name: 'seed', sql: `INSERT INTO ${t}_runs VALUES (2); SELECT pg_sleep(0.05); INSERT INTO ${t} VALUES (2);` },
          { version: 3, name: 'more', sql: `INSERT INTO ${t}_runs VALUES (3); ALTER TABLE ${t} ADD COLUMN w int;` },
        ];
        const pools = Array.from({ length: replicas }, () => pool({ max: 2 }));
        const results = await Promise.all(pools.map((p) => migrate(p, { service, migrations })));
        const applied = results.flatMap((r) => r.applied.map((a) => a.version)).sort();
        expect(applied).toEqual([1, 2, 3]);
        expect(results.every((r) => r.version === 3)).toBe(true);
        expect((await db.query(`SELECT n FROM ${t}_runs ORDER BY n`)).rows).toEqual([{ n: 2 }, { n: 3 }]);
        expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations WHERE service = $1', [service])).rows).toEqual([{ n: 3 }]);
      }
    });

    it('concurrent replicas of different services on a fresh database both succeed (table creation is locked)', async () => {
      const fresher = await createTestDatabase('stores_pg_fresh');
      const pools = [0, 1, 2].map(() => createPgDb({ url: fresher.url, max: 1 }));
      try {
        const results = await Promise.all(
          pools.map((p, i) => migrate(p, { service: `svc${i}`, migrations: [{ version: 1, name: 'noop', sql: 'SELECT 1' }] })),
        );
        expect(results.map((r) => r.applied.length)).toEqual([1, 1, 1]);
      } finally {
        await Promise.all(pools.map((p) => p.close()));
        await fresher.drop();
      }
    });
  });
});
