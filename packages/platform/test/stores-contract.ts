/**
 * The behaviour every SqlDb adapter must show, run by stores-pglite.test.ts (embedded) and stores-pg.int.test.ts
 * (real PostgreSQL). Each test uses its own tables/service names, so one database serves the whole suite.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, MigrationError, runOutsideTransaction, TransactionMisuseError, type Migration, type SqlDb } from '../src/stores';

let counter = 0;
/** A fresh identifier for tables/services so tests sharing a database never collide. */
export function fresh(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sqlDbContract(getDb: () => SqlDb): void {
  describe('queries', () => {
    it('returns rows and rowCount, with the same JS types on every adapter', async () => {
      const db = getDb();
      const r = await db.query<Record<string, unknown>>(
        `SELECT 9007199254740993::int8 AS big, 12.50::numeric AS money, '2026-03-01'::date AS day,
                '2026-03-01T10:00:00Z'::timestamptz AS at, '{"a":[1,2]}'::jsonb AS doc, '\\x0102ff'::bytea AS raw,
                42::int4 AS n, true AS flag, NULL::text AS nothing, $1::text AS param`,
        ['p'],
      );
      expect(r.rowCount).toBe(1);
      expect(r.rows[0]).toEqual({
        big: '9007199254740993',
        money: '12.50',
        day: '2026-03-01',
        at: new Date('2026-03-01T10:00:00Z'),
        doc: { a: [1, 2] },
        raw: Buffer.from([1, 2, 255]),
        n: 42,
        flag: true,
        nothing: null,
        param: 'p',
      });
    });

    it('takes Date, Buffer, object (jsonb), array (text[]) and null parameters', async () => {
      const db = getDb();
      const t = fresh('t_params');
      await db.query(`CREATE TABLE ${t} (at timestamptz, day date, raw bytea, doc jsonb, tags text[], note text)`);
      const at = new Date('2026-05-04T03:02:01.123Z');
      await db.query(`INSERT INTO ${t} VALUES ($1, $2, $3, $4, $5, $6)`, [at, '2026-05-04', Buffer.from('héllo'), { k: ['v', 1] }, ['a', 'b'], null]);
      const r = await db.query(`SELECT * FROM ${t}`);
      expect(r.rows).toEqual([{ at, day: '2026-05-04', raw: Buffer.from('héllo'), doc: { k: ['v', 1] }, tags: ['a', 'b'], note: null }]);
      expect((await db.query(`SELECT count(*)::int AS n FROM ${t} WHERE at = $1`, [at])).rows).toEqual([{ n: 1 }]);
    });

    it('counts affected rows and runs multi-statement scripts with exec', async () => {
      const db = getDb();
      const t = fresh('t_exec');
      await db.exec?.(`CREATE TABLE ${t} (id int PRIMARY KEY, v text); INSERT INTO ${t} VALUES (1,'a'),(2,'b'),(3,'c');`);
      expect((await db.query(`UPDATE ${t} SET v = 'z' WHERE id >= $1`, [2])).rowCount).toBe(2);
      expect((await db.query(`SELECT * FROM ${t}`)).rowCount).toBe(3);
      expect((await db.query(`DELETE FROM ${t} WHERE id = 99`)).rowCount).toBe(0);
      await expect(db.query(`SELECT * FROM ${t}_missing`)).rejects.toThrow(/does not exist/);
    });

    it('answers ping', async () => {
      await expect(getDb().ping?.()).resolves.toBeUndefined();
    });
  });

  describe('transactions', () => {
    let t: string;
    beforeAll(async () => {
      t = fresh('t_tx');
      await getDb().query(`CREATE TABLE ${t} (id serial PRIMARY KEY, v text NOT NULL)`);
    });
    const values = async () => (await getDb().query<{ v: string }>(`SELECT v FROM ${t} ORDER BY id`)).rows.map((r) => r.v);

    it('commits when the callback resolves and returns its value', async () => {
      const out = await getDb().transaction(async (tx) => {
        await tx.query(`INSERT INTO ${t} (v) VALUES ($1)`, ['committed']);
        return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]?.n;
      });
      expect(out).toBe(1);
      expect(await values()).toEqual(['committed']);
    });

    it('rolls back everything when the callback throws, and rethrows', async () => {
      const boom = new Error('boom');
      await expect(
        getDb().transaction(async (tx) => {
          await tx.query(`INSERT INTO ${t} (v) VALUES ($1)`, ['rolled-back-1']);
          await tx.exec?.(`INSERT INTO ${t} (v) VALUES ('rolled-back-2')`);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await values()).toEqual(['committed']);
    });

    it('rolls back when a statement fails, and the db stays usable', async () => {
      await expect(
        getDb().transaction(async (tx) => {
          await tx.query(`INSERT INTO ${t} (v) VALUES ($1)`, ['x']);
          await tx.query(`INSERT INTO ${t} (v) VALUES (NULL)`);
        }),
      ).rejects.toThrow(/null value/);
      expect(await values()).toEqual(['committed']);
      await getDb().transaction(async (tx) => tx.query(`INSERT INTO ${t} (v) VALUES ('after')`));
      expect(await values()).toEqual(['committed', 'after']);
    });

    it('refuses db.query / db.transaction from inside a transaction (would deadlock on PGlite) and rolls back', async () => {
      const db = getDb();
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${t} (v) VALUES ('misuse')`);
          await db.query('SELECT 1');
        }),
      ).rejects.toBeInstanceOf(TransactionMisuseError);
      await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toBeInstanceOf(TransactionMisuseError);
      expect(await values()).not.toContain('misuse');
    });

    it('lets deliberately detached background work use the db once the transaction is over', async () => {
      const db = getDb();
      let background: Promise<unknown> | undefined;
      let inherited: Promise<unknown> | undefined;
      await db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        // A timer started inside the callback: run later, not awaited by the transaction.
        background = new Promise((resolve, reject) => runOutsideTransaction(() => setTimeout(() => db.query('SELECT 2 AS n').then(resolve, reject), 0)));
        inherited = new Promise((resolve, reject) => setTimeout(() => db.query('SELECT 3 AS n').then(resolve, reject), 200));
        await sleep(20);
      });
      await expect(background).resolves.toMatchObject({ rows: [{ n: 2 }] });
      // Without runOutsideTransaction it still works once the transaction has ended.
      await expect(inherited).resolves.toMatchObject({ rows: [{ n: 3 }] });
    });

    it('makes a leaked tx handle unusable after the transaction', async () => {
      let leaked: { query: (s: string) => Promise<unknown> } | undefined;
      await getDb().transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked?.query('SELECT 1')).rejects.toThrow(/already committed or rolled back/);
    });

    it('keeps concurrent transactions isolated: one rolling back does not affect the other', async () => {
      const db = getDb();
      const u = fresh('t_iso');
      await db.query(`CREATE TABLE ${u} (v text)`);
      const results = await Promise.allSettled([
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${u} VALUES ('keep')`);
          await sleep(30);
        }),
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${u} VALUES ('drop')`);
          await sleep(10);
          throw new Error('abort');
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
      expect((await db.query<{ v: string }>(`SELECT v FROM ${u}`)).rows).toEqual([{ v: 'keep' }]);
    });
  });

  describe('migrations', () => {
    const m = (version: number, name: string, sql: string): Migration => ({ version, name, sql });

    it('applies pending migrations in order, exactly once; a re-run is a no-op', async () => {
      const db = getDb();
      const service = fresh('svc');
      const t = fresh('m');
      const migrations = [
        m(2, 'add_counter', `INSERT INTO ${t} (note) VALUES ('two');`),
        m(1, 'create_table', `CREATE TABLE ${t} (id serial PRIMARY KEY, note text);\nINSERT INTO ${t} (note) VALUES ('one');`),
      ];
      const first = await migrate(db, { service, migrations });
      expect(first).toEqual({ applied: [{ version: 1, name: 'create_table' }, { version: 2, name: 'add_counter' }], version: 2 });

      const again = await migrate(db, { service, migrations });
      expect(again).toEqual({ applied: [], version: 2 });
      expect((await db.query(`SELECT note FROM ${t} ORDER BY id`)).rows).toEqual([{ note: 'one' }, { note: 'two' }]);

      const recorded = await db.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
        'SELECT version, name, checksum, applied_at FROM schema_migrations WHERE service = $1 ORDER BY version',
        [service],
      );
      expect(recorded.rows.map((r) => [r.version, r.name])).toEqual([[1, 'create_table'], [2, 'add_counter']]);
      expect(recorded.rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(recorded.rows[0]?.applied_at).toBeInstanceOf(Date);

      // A later build adds migration 3: only it runs.
      const later = await migrate(db, { service, migrations: [...migrations, m(3, 'three', `INSERT INTO ${t} (note) VALUES ('three')`)] });
      expect(later.applied).toEqual([{ version: 3, name: 'three' }]);
    });

    it('refuses to start when an applied migration was edited (line endings alone are not an edit)', async () => {
      const db = getDb();
      const service = fresh('svc');
      const t = fresh('m');
      await migrate(db, { service, migrations: [m(1, 'create', `CREATE TABLE ${t} (id int);\nSELECT 1;\n`)] });
      await expect(migrate(db, { service, migrations: [m(1, 'create', `CREATE TABLE ${t} (id int);\r\nSELECT 1;`)] })).resolves.toEqual({
        applied: [],
        version: 1,
      });
      const edited = migrate(db, { service, migrations: [m(1, 'create', `CREATE TABLE ${t} (id bigint);`)] });
      await expect(edited).rejects.toBeInstanceOf(MigrationError);
      await expect(migrate(db, { service, migrations: [m(1, 'create', `CREATE TABLE ${t} (id bigint);`)] })).rejects.toThrow(
        /migration 001_create was changed after it was applied/,
      );
    });

    it('rolls back a failing migration completely, records nothing, and names it', async () => {
      const db = getDb();
      const service = fresh('svc');
      const t = fresh('m');
      const good = m(1, 'good', `CREATE TABLE ${t} (id int)`);
      const bad = m(2, 'bad', `INSERT INTO ${t} VALUES (1); CREATE TABLE ${t}_side (x int); SELECT * FROM no_such_table;`);
      await expect(migrate(db, { service, migrations: [good, bad] })).rejects.toThrow(/migration 002_bad failed: .*no_such_table/);
      expect((await db.query(`SELECT count(*)::int AS n FROM ${t}`)).rows).toEqual([{ n: 0 }]);
      expect((await db.query(`SELECT to_regclass($1) AS r`, [`${t}_side`])).rows).toEqual([{ r: null }]);
      expect((await db.query('SELECT version FROM schema_migrations WHERE service = $1', [service])).rows).toEqual([{ version: 1 }]);
    });

    it('refuses out-of-order and missing migrations, tolerates newer ones (rolling deploy)', async () => {
      const db = getDb();
      const service = fresh('svc');
      await migrate(db, { service, migrations: [m(1, 'a', 'SELECT 1'), m(3, 'c', 'SELECT 3')] });
      await expect(migrate(db, { service, migrations: [m(1, 'a', 'SELECT 1'), m(2, 'b', 'SELECT 2'), m(3, 'c', 'SELECT 3')] })).rejects.toThrow(
        /002_b is pending but version 3 is already applied/,
      );
      await expect(migrate(db, { service, migrations: [m(3, 'c', 'SELECT 3'), m(4, 'd', 'SELECT 4')] })).rejects.toThrow(
        /001_a is recorded in schema_migrations but missing from this build/,
      );
      // An older replica that only knows version 1 starts after version 3 was applied: fine.
      await expect(migrate(db, { service, migrations: [m(1, 'a', 'SELECT 1')] })).resolves.toEqual({ applied: [], version: 3 });
    });

    it('keeps services apart in one schema_migrations table', async () => {
      const db = getDb();
      const [a, b] = [fresh('svc'), fresh('svc')];
      await migrate(db, { service: a, migrations: [m(1, 'x', 'SELECT 1')] });
      expect((await migrate(db, { service: b, migrations: [m(1, 'y', 'SELECT 2')] })).applied).toEqual([{ version: 1, name: 'y' }]);
    });

    it('loads NNN_name.sql files from a directory and validates input', async () => {
      const db = getDb();
      const dir = await mkdtemp(path.join(tmpdir(), 'csm-migrations-'));
      try {
        const t = fresh('m');
        await writeFile(path.join(dir, '001_create.sql'), `CREATE TABLE ${t} (id int);`);
        await writeFile(path.join(dir, '010_seed.sql'), `INSERT INTO ${t} VALUES (10);`);
        await writeFile(path.join(dir, '002_more.sql'), `INSERT INTO ${t} VALUES (2);`);
        await writeFile(path.join(dir, 'README.md'), 'ignored');
        const service = fresh('svc');
        const r = await migrate(db, { service, dir });
        expect(r.applied.map((x) => x.version)).toEqual([1, 2, 10]);
        expect((await db.query(`SELECT id FROM ${t} ORDER BY id`)).rows).toEqual([{ id: 2 }, { id: 10 }]);

        await writeFile(path.join(dir, 'oops.sql'), 'SELECT 1');
        await expect(migrate(db, { service, dir })).rejects.toThrow(/oops\.sql must be named NNN_name\.sql/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await expect(migrate(db, { service: 's', migrations: [m(1, 'a', 'SELECT 1'), m(1, 'b', 'SELECT 1')] })).rejects.toThrow(/share version 1/);
      await expect(migrate(db, { service: 's', migrations: [m(0, 'a', 'SELECT 1')] })).rejects.toThrow(/positive integer/);
      await expect(migrate(db, { service: 's' })).rejects.toThrow(/exactly one of migrations or dir/);
      await expect(migrate(db, { service: 's', dir: path.join(dir, 'gone') })).rejects.toThrow(/cannot read migrations directory/);
    });
  });
}
