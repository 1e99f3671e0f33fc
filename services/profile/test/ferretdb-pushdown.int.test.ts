import { connectMongo, type MongoStore } from '@csm/platform/stores/mongo';
import { createTestMongoDb, type TestMongoDb } from '@csm/platform/testing';
import { createMongoProfileStore } from '../src/store/mongo-profile-store';
import type { ProfileStore } from '../src/store/profile-store';
import { makeDoc, paxId } from './fixtures/docs';

// The harness's FerretDB tuning (docs/operations/real-infrastructure.md § FerretDB): with nested pushdown, custom
// plans and the GIN twins of the declared indexes, the lookup's reads are index scans in PostgreSQL, not table scans.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const twins = require('../../../scripts/infra/ferretdb-indexes.cjs') as {
  mirrorFerretdbIndexes(url: string, options: { schema: string }): Promise<{ created: number; existing: number }>;
  defaultUrl(): string;
};

let db: TestMongoDb;
let conn: MongoStore;
let store: ProfileStore;
let ferret = false;

beforeAll(async () => {
  db = await createTestMongoDb('profile_pushdown');
  conn = await connectMongo({ url: db.url });
  store = await createMongoProfileStore(conn);
  const info = await conn.connection.db!.admin().command({ buildInfo: 1 });
  ferret = info.ferretdbVersion !== undefined;
});

afterAll(async () => {
  await store.close();
  await db.drop();
});

async function plan(filter: Record<string, unknown>): Promise<string> {
  const res = await conn.connection.db!.command({ explain: { find: 'passengers', filter } });
  return JSON.stringify(res.queryPlanner);
}

it('serves lookups by blind index and by id from PostgreSQL indexes on FerretDB', async () => {
  if (!ferret) return; // real MongoDB: the declared indexes serve these natively
  const a = paxId();
  const phone = `i1:${a}`;
  await store.insert(makeDoc(a, { idx: { phone: [phone], email: [], doc: [], ffp: [], member: [] } }));
  // Enough rows that PostgreSQL's planner prefers an index over reading the table.
  const others = Array.from({ length: 3000 }, () => makeDoc(paxId()));
  await conn.connection.db!.collection('passengers').insertMany(others as never[]);

  const first = await twins.mirrorFerretdbIndexes(twins.defaultUrl(), { schema: conn.dbName });
  expect(first.created).toBeGreaterThan(0);
  expect(await twins.mirrorFerretdbIndexes(twins.defaultUrl(), { schema: conn.dbName })).toEqual({ created: 0, existing: first.created + first.existing });

  for (const filter of [{ 'idx.phone': phone }, { _id: a }]) {
    const p = await plan(filter);
    expect(p).toMatch(/Index Scan/);
    expect(p).not.toMatch(/Seq Scan/);
  }
  expect((await store.findDocsByIndex('phone', [phone], 10)).map((d) => d._id)).toEqual([a]);
});
