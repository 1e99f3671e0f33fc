// Lookup latency through gRPC (LookupPassenger by phone and by FFP number) at growing numbers of stored passengers,
// with GetPassenger by id measured in the same run as the baseline (the cheapest read the service has).
//
//   node --require ./scripts/dev/ts-register.cjs bench/profile/lookup.ts                      # 10k, 100k (MongoDB wire)
//   BENCH_SIZES=10000,100000,1000000 node --require ./scripts/dev/ts-register.cjs bench/profile/lookup.ts
//   BENCH_STORE=embedded BENCH_SIZES=10000,100000 node --require ./scripts/dev/ts-register.cjs bench/profile/lookup.ts
//
// Mongo mode needs the MongoDB-wire server and Kafka (`npm run infra:up`). The data set is kept in the database
// `profile_bench` (or BENCH_DB; BENCH_KEEP=0 drops it at the end), so a later run with a larger size only loads the
// difference; a data set larger than the size asked for is refused (it would mislabel the numbers).
// Documents are generated the way the service writes them (sealed with a per-passenger data key, blind-indexed) and
// bulk-inserted; lookups go through the real gRPC server, token verification and masking included.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { profile } from '@csm/contracts';
import { loadConfig } from '@csm/platform/config';
import { callUnary, createGrpcClient } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import { createDevIssuer, KeyRing } from '@csm/platform/security';
import { connectMongo, DUPLICATE_KEY_CODE, withMongoDbName } from '@csm/platform/stores/mongo';
import { testInfra } from '@csm/platform/testing';
import { configSchema } from '../../services/profile/src/config';
import type { ProfileApp } from '../../services/profile/src/app/profile-app';
import type { PassengerDoc } from '../../services/profile/src/store/document';
import { indexesOf, sealProfile } from '../../services/profile/src/store/pii-codec';
import { nameKeys } from '../../services/profile/src/domain/names';
import * as service from '../../services/profile/src/service';

// The FerretDB tuning an operator applies (docs/operations/real-infrastructure.md § FerretDB): GIN twins of the
// declared indexes, so pushed-down lookups are index scans. A no-op on real MongoDB.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ferretIndexes = require('../../scripts/infra/ferretdb-indexes.cjs') as {
  mirrorFerretdbIndexes(url: string, options: { schema: string }): Promise<{ created: number; existing: number }>;
  defaultUrl(): string;
};

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const STORE = process.env.BENCH_STORE ?? 'mongo';
const BENCH_DB = process.env.BENCH_DB ?? 'profile_bench';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const BATCH = 1000;
// Fixed bench-only keys so a kept data set stays readable by the next run. Never use them anywhere else.
const ring = new KeyRing({ keys: `bench1:${Buffer.alloc(32, 7).toString('base64')}`, indexKeys: `benchi1:${Buffer.alloc(32, 9).toString('base64')}` });

const phoneOf = (i: number) => `+86139${String(i).padStart(8, '0')}`;
const ffpOf = (i: number) => `CA${String(i).padStart(9, '0')}`;
const idOf = (i: number) => `pax_01BENCH${String(i).padStart(19, '0')}`;

function makeDoc(i: number): { doc: PassengerDoc; wrapped: string } {
  const id = idOf(i);
  const data = profile.Passenger.fromPartial({
    name: { nativeSurname: '王', nativeGivenName: `测${i}`, latinSurname: `WANG${i % 997}`, latinGivenName: 'BENCH' },
    gender: 1,
    birthDate: '1980-01-01',
    nationality: 'CN',
    phones: [{ e164: phoneOf(i), kind: 1, primary: true }],
    emails: [{ address: `bench${i}@example.com`, primary: true }],
    ffpNumber: ffpOf(i),
    preferences: { seat: 1, mealCode: 'VGML' },
  });
  const { wrapped, key } = ring.createDataKey({ subject: id });
  const at = new Date().toISOString();
  const actor = { kind: 1, id: 'bench' };
  const doc: PassengerDoc = {
    _id: id,
    version: 1,
    rev: 1,
    state: 'ACTIVE',
    mergedIntoId: '',
    mergedIds: [],
    pii: sealProfile(key, id, data),
    idx: { ...indexesOf(ring, data), member: [] },
    names: nameKeys(data.name),
    classification: { type: 2, grade: 1, vipLevel: 0, source: 1, overrideReason: '', overriddenBy: null, overrideExpireTime: null, effectiveTime: at },
    stats: { tripsFlown: i % 30, lastFlightId: '', lastFlightDate: '', disruptionTimes: [], openCaseIds: [], lastCsat: null, lastNps: null, lifetimeValueMinor: 0, loyaltyTier: '', behaviour: {} },
    seen: [],
    pending: [],
    pendingAudit: [],
    hasPending: false,
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
  };
  key.destroy();
  return { doc, wrapped };
}

interface Loader {
  count(): Promise<number>;
  insert(docs: { doc: PassengerDoc; wrapped: string }[]): Promise<void>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(label: string, op: (i: number) => Promise<unknown>, size: number) {
  for (let k = 0; k < WARMUP; k++) await op(Math.floor(Math.random() * size));
  const lat: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const i = Math.floor(Math.random() * size);
    const t0 = performance.now();
    await op(i);
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  const r = { label, median: percentile(lat, 50), p99: percentile(lat, 99) };
  console.log(`  ${label.padEnd(22)} median ${r.median.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`);
  return r;
}

async function main() {
  const issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const env: Record<string, string> = {
    CSM_GRPC_PORT: '0',
    CSM_GRPC_HOST: '127.0.0.1',
    CSM_METRICS_PORT: '0',
    CSM_LOG_LEVEL: 'error',
    // Its own consumer group, starting at the end: the bench must not replay (or disturb) the shared topics.
    CSM_PROFILE_CONSUMER_GROUP: `profile_bench_${process.pid}`,
    CSM_PROFILE_CONSUMER_FROM_BEGINNING: 'false',
  };
  if (STORE === 'mongo') {
    Object.assign(env, { CSM_MODE: 'cluster', CSM_MONGO_URL: withMongoDbName(testInfra().mongoUrl, BENCH_DB), CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(',') });
  } else {
    Object.assign(env, { CSM_MODE: 'embedded', CSM_DATA_DIR: process.env.BENCH_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'profile-bench-')) });
  }
  const config = loadConfig(configSchema, env);
  let parts: { app: ProfileApp; raw: service.RawHandle } | undefined;
  const running = await service.start(
    { config, logger: createLogger({ service: 'profile-bench', level: 'error' }) },
    { verifyToken: (t) => verifier.verify(t), keyRing: ring, onStarted: (p) => (parts = p) },
  );
  if (!parts) throw new Error('service did not start');
  const raw = parts.raw;
  let loader: Loader;
  if (raw.kind === 'mongo') {
    const db = raw.mongo.connection.db;
    if (!db) throw new Error('no db');
    loader = {
      // Documents are loaded in id order, so the count is the first missing id: a binary search of indexed reads.
      // (FerretDB v1 counts, even estimated, by reading every document: minutes at 1M.)
      count: async () => {
        const has = async (i: number) => (await db.collection('passengers').findOne({ _id: idOf(i) as never }, { projection: { _id: 1 } })) !== null;
        let lo = 0;
        let hi = 1;
        while (await has(hi - 1)) hi *= 2;
        while (lo < hi) {
          const mid = Math.floor((lo + hi) / 2);
          if (await has(mid)) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      },
      insert: async (docs) => {
        // A batch cut short by an earlier run is completed: its duplicates are expected, nothing else is.
        const tolerate = (err: unknown) => {
          const errors = (err as { writeErrors?: { code?: number }[] }).writeErrors;
          if (!errors?.every((e) => e.code === DUPLICATE_KEY_CODE)) throw err;
        };
        await db.collection('data_keys').insertMany(docs.map((d) => ({ _id: d.doc._id, wrapped: d.wrapped })) as never[], { ordered: false }).catch(tolerate);
        await db.collection('passengers').insertMany(docs.map((d) => d.doc) as never[], { ordered: false }).catch(tolerate);
      },
    };
  } else {
    const db = raw.db;
    loader = {
      count: async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM passengers')).rows[0]?.n ?? 0),
      insert: async (docs) => {
        await db.transaction(async (tx) => {
          const j = JSON.stringify(docs.map((d) => d.doc));
          await tx.query(`INSERT INTO passengers (id, rev, has_pending, doc) SELECT d->>'_id', 1, false, d FROM jsonb_array_elements($1::jsonb) d`, [j]);
          await tx.query(
            `INSERT INTO passenger_index (kind, value, passenger_id)
             SELECT k.key, v.value, d->>'_id' FROM jsonb_array_elements($1::jsonb) d, jsonb_each(d->'idx') k, jsonb_array_elements_text(k.value) v`,
            [j],
          );
          await tx.query(`INSERT INTO passenger_names (name_key, passenger_id) SELECT n, d->>'_id' FROM jsonb_array_elements($1::jsonb) d, jsonb_array_elements_text(d->'names') n`, [j]);
          await tx.query(`INSERT INTO data_keys (passenger_id, wrapped) SELECT x->>'id', x->>'w' FROM jsonb_array_elements($1::jsonb) x`, [
            JSON.stringify(docs.map((d) => ({ id: d.doc._id, w: d.wrapped }))),
          ]);
        });
      },
    };
  }
  const client = createGrpcClient(profile.ProfileServiceClient, `127.0.0.1:${running.port}`, { deadlineMs: 30_000, retries: 0 });
  const masked = await issuer.issue({ sub: 'bench-agent', roles: ['agent_l1'], ttlSec: 7200 });
  const results: Record<number, Record<string, { median: number; p99: number }>> = {};
  try {
    for (const size of SIZES) {
      let have = await loader.count();
      if (have > size) throw new Error(`${BENCH_DB} already holds ${have} passengers, more than ${size}: use another BENCH_DB or drop it (BENCH_KEEP=0)`);
      const t0 = performance.now();
      while (have < size) {
        const n = Math.min(BATCH, size - have);
        await loader.insert(Array.from({ length: n }, (_, k) => makeDoc(have + k)));
        have += n;
        if (have % 50_000 === 0) console.log(`  loaded ${have} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
      console.log(`size ${size}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (raw.kind === 'mongo' && (await raw.mongo.connection.db!.admin().command({ buildInfo: 1 })).ferretdbVersion) {
        const twins = await ferretIndexes.mirrorFerretdbIndexes(ferretIndexes.defaultUrl(), { schema: BENCH_DB });
        console.log(`  FerretDB: ${twins.created} GIN index twins created, ${twins.existing} present`);
      }
      const get = (i: number) => callUnary(client, 'getPassenger', profile.GetPassengerRequest.fromPartial({ passengerId: idOf(i), purpose: 'bench' }), { authorization: masked });
      const byPhone = (i: number) => callUnary(client, 'lookupPassenger', profile.LookupPassengerRequest.fromPartial({ phone: phoneOf(i), purpose: 'bench' }), { authorization: masked });
      const byFfp = (i: number) => callUnary(client, 'lookupPassenger', profile.LookupPassengerRequest.fromPartial({ ffpNumber: ffpOf(i), purpose: 'bench' }), { authorization: masked });
      const check = (await byPhone(size - 1)) as profile.LookupPassengerResponse;
      if (check.passenger?.id !== idOf(size - 1)) throw new Error('lookup returned the wrong passenger');
      // In-service: the same use cases without the gRPC transport (the token is verified once, as the server would).
      const req = { principal: await verifier.verify(masked), requestId: 'bench' };
      const app = parts.app;
      // The floor under every read on this machine: one round trip to the document server that does nothing.
      const ping = raw.kind === 'mongo' ? () => raw.mongo.connection.db!.command({ ping: 1 }) : () => raw.db.query('SELECT 1');
      results[size] = {
        storeRoundTrip: await measure('store round trip (floor)', ping, size),
        baseline: await measure('get by id (baseline)', get, size),
        phone: await measure('lookup by phone', byPhone, size),
        ffp: await measure('lookup by FFP number', byFfp, size),
        inServiceBaseline: await measure('in-service get by id', (i) => app.get(req, idOf(i), 'bench'), size),
        inServicePhone: await measure('in-service by phone', (i) => app.lookup(req, { kind: 'phone', value: phoneOf(i) }, 'bench'), size),
        inServiceFfp: await measure('in-service by FFP', (i) => app.lookup(req, { kind: 'ffp', value: ffpOf(i) }, 'bench'), size),
      };
    }
  } finally {
    client.close();
    await running.stop();
    if (process.env.BENCH_KEEP === '0' && raw.kind === 'mongo') {
      const m = await connectMongo({ url: withMongoDbName(testInfra().mongoUrl, BENCH_DB) });
      await m.connection.dropDatabase();
      await m.close();
    }
  }
  console.log(JSON.stringify({ store: STORE, samples: SAMPLES, results }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
