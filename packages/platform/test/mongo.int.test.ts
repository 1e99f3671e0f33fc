import { createServer } from 'node:net';
import { Schema } from 'mongoose';
import { connectMongo, isDuplicateKeyError, type MongoStore } from '../src/stores/mongo';
import { createTestMongoDb, testInfra, type TestMongoDb } from '../src/testing';

// Runs against whatever CSM_MONGO_URL points at: FerretDB v1 from scripts/infra in CI, or real MongoDB.

interface Passenger {
  email: string;
  name: string;
  tier: string;
  tags: string[];
  joinedAt: Date;
}

const passengerSchema = new Schema<Passenger>({
  email: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  tier: { type: String, required: true },
  tags: { type: [String], default: [] },
  joinedAt: { type: Date, required: true },
});

/** A TCP port nothing listens on: bind port 0, note it, release it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('connectMongo against the MongoDB-wire test server', () => {
  let db: TestMongoDb;
  let store: MongoStore;

  beforeEach(async () => {
    db = await createTestMongoDb('platform_mongo');
    store = await connectMongo({ url: db.url });
  });

  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('round-trips a document and enforces a unique index built by syncIndexes', async () => {
    const Passengers = store.connection.model<Passenger>('Passenger', passengerSchema);
    expect(store.dbName).toBe(db.dbName);
    const dropped = await store.syncIndexes();
    expect(dropped).toEqual({ Passenger: [] });

    const indexes = await Passengers.collection.indexes();
    const emailIndex = indexes.find((ix) => JSON.stringify(ix.key) === JSON.stringify({ email: 1 }));
    expect(emailIndex?.unique).toBe(true);

    const joinedAt = new Date('2026-03-01T10:15:00.000Z');
    const created = await Passengers.create({ email: 'ada@example.test', name: 'Ada', tier: 'gold', tags: ['wheelchair'], joinedAt });
    const loaded = await Passengers.findById(created._id).lean();
    expect(loaded).toMatchObject({ email: 'ada@example.test', name: 'Ada', tier: 'gold', tags: ['wheelchair'], joinedAt });

    const duplicate = Passengers.create({ email: 'ada@example.test', name: 'Ada again', tier: 'blue', joinedAt });
    await expect(duplicate).rejects.toMatchObject({ name: 'MongoServerError', code: 11000 });
    const err: unknown = await duplicate.catch((e: unknown) => e);
    expect(isDuplicateKeyError(err)).toBe(true);
    expect(await Passengers.countDocuments({ email: 'ada@example.test' })).toBe(1);

    // The first write still stands, unchanged.
    expect(await Passengers.findOne({ email: 'ada@example.test' }).lean()).toMatchObject({ name: 'Ada', tier: 'gold' });
  });

  it('answers ping while open, refuses it after close, and closes idempotently', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.connection.readyState).toBe(1);

    await store.close();
    expect(store.connection.readyState).toBe(0);
    await expect(store.ping()).rejects.toThrow(/not open/);
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('connectMongo failures', () => {
  it('rejects with one clear error, password redacted, when no server answers', async () => {
    const port = await freePort();
    const attempt = connectMongo({ url: `mongodb://app:s3cret@127.0.0.1:${port}/csm_profile`, serverSelectionTimeoutMS: 500 });
    await expect(attempt).rejects.toThrow(`MongoDB not reachable at mongodb://app:***@127.0.0.1:${port}/csm_profile`);
    const err: unknown = await attempt.catch((e: unknown) => e);
    expect(String(err)).not.toContain('s3cret');
  });

  it('refuses to fall back to a default database when none is named', async () => {
    await expect(connectMongo({ url: testInfra().mongoUrl })).rejects.toThrow(/database name missing/);
  });
});
