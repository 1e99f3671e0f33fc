import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgliteDb, type SqlDb } from '../src/stores';
import { fresh, sleep, sqlDbContract } from './stores-contract';

// Booting the WASM PostgreSQL takes a few seconds on a busy machine: one instance serves the whole file.
jest.setTimeout(60_000);

let db: SqlDb;
beforeAll(async () => {
  db = await createPgliteDb();
});
afterAll(async () => {
  await db?.close();
});

describe('PGlite SqlDb', () => {
  it('is the pglite dialect', () => {
    expect(db.dialect).toBe('pglite');
  });

  sqlDbContract(() => db);

  describe('single connection', () => {
    it('serializes concurrent transactions: the second waits for the first instead of interleaving', async () => {
      const t = fresh('t_serial');
      await db.query(`CREATE TABLE ${t} (seq serial PRIMARY KEY, who text)`);
      const log: string[] = [];
      const run = (who: string, pause: number) =>
        db.transaction(async (tx) => {
          log.push(`${who}:begin`);
          await tx.query(`INSERT INTO ${t} (who) VALUES ($1)`, [`${who}1`]);
          await sleep(pause);
          await tx.query(`INSERT INTO ${t} (who) VALUES ($1)`, [`${who}2`]);
          log.push(`${who}:end`);
        });
      await Promise.all([run('a', 40), run('b', 0), run('c', 5)]);
      expect(log).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
      expect((await db.query<{ who: string }>(`SELECT who FROM ${t} ORDER BY seq`)).rows.map((r) => r.who)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
    });

    it('makes a stand-alone query wait for the open transaction (it never sees uncommitted work)', async () => {
      const t = fresh('t_wait');
      await db.query(`CREATE TABLE ${t} (v int)`);
      let committed = false;
      const tx = db.transaction(async (q) => {
        await q.query(`INSERT INTO ${t} VALUES (1)`);
        await sleep(30);
        await q.query(`INSERT INTO ${t} VALUES (2)`);
        committed = true;
      });
      await sleep(5);
      const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
      expect(committed).toBe(true);
      expect(count.rows).toEqual([{ n: 2 }]);
      await tx;
    });

    it('a rolled-back transaction does not block the next one', async () => {
      await expect(db.transaction(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
      await expect(db.transaction(async (tx) => (await tx.query<{ one: number }>('SELECT 1 AS one')).rows)).resolves.toEqual([{ one: 1 }]);
    });
  });
});

describe('PGlite on disk', () => {
  it('persists across close/reopen, locks its directory, and refuses use after close', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'csm-pglite-'));
    const dataDir = path.join(parent, 'db');
    try {
      const first = await createPgliteDb({ dataDir });
      await expect(createPgliteDb({ dataDir })).rejects.toThrow(/already open in this process/);
      await first.query('CREATE TABLE kept (v text)');
      await first.query("INSERT INTO kept VALUES ('still here')");
      await first.close();
      await first.close(); // idempotent
      await expect(first.query('SELECT 1')).rejects.toThrow(/has been closed/);

      const second = await createPgliteDb({ dataDir });
      expect((await second.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
      await second.close();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
