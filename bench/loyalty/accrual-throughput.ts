// Accrual postings per second on real PostgreSQL, with idempotency keys and the transactional outbox, as a ratio to a
// bare single-row INSERT measured in the same run against the same server with the same concurrency.
//
//   node --require ./scripts/dev/ts-register.cjs bench/loyalty/accrual-throughput.ts
//   BENCH_CREDIT_BATCH_WINDOW_MS=0 node ...   (group commit off: every accrual its own statement and commit)
//   BENCH_OPS=4000 BENCH_CONCURRENCY=16 BENCH_ROUNDS=5 BENCH_MEMBERS=500 BENCH_HISTORY=100000 node --require ./scripts/dev/ts-register.cjs bench/loyalty/accrual-throughput.ts
//
// Needs PostgreSQL (CSM_PG_URL, default: the local harness, `npm run infra:up`). Creates and drops a throw-away database.
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { createLogger } from '@csm/platform/logging';
import { ANONYMOUS, type Principal } from '@csm/platform/security';
import { createPgDb, migrate, type SqlDb } from '@csm/platform/stores';
import { createTestDatabase } from '@csm/platform/testing';
import { compensate } from '../../services/loyalty/src/app/accrual';
import { createCreditWriter } from '../../services/loyalty/src/app/credit-writer';
import type { AppDeps } from '../../services/loyalty/src/app/deps';
import { enroll } from '../../services/loyalty/src/app/members';
import { DEFAULT_RULES } from '../../services/loyalty/src/domain/rules';
import { migrations } from '../../services/loyalty/src/store/migrations';

const OPS = Number(process.env.BENCH_OPS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
/** Accruals already in the ledger before measuring (and as many rows in the bare table): a live ledger has history. */
const HISTORY = Number(process.env.BENCH_HISTORY ?? 20000);
/** `on` (durable: what a ledger runs with in production) or `off` (the local test harness's server default). */
const SYNC_COMMIT = process.env.BENCH_SYNCHRONOUS_COMMIT ?? 'on';
/** The service's group commit of credits (CSM_LOYALTY_CREDIT_BATCH_*; defaults as in services/loyalty/src/config.ts):
 *  the accrual path under test is the production one, writer included. */
const BATCH = {
  windowMs: Number(process.env.BENCH_CREDIT_BATCH_WINDOW_MS ?? 2),
  maxItems: Number(process.env.BENCH_CREDIT_BATCH_MAX ?? 64),
  maxInFlight: Number(process.env.BENCH_CREDIT_BATCH_IN_FLIGHT ?? 2),
};

interface RoundResult {
  readonly perSec: number;
  readonly latenciesMs: number[];
  /** This process's CPU time per operation (client-side cost: JS, serialization, driver). */
  readonly clientCpuMs: number;
}

async function runRound(op: (i: number) => Promise<void>): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < OPS; i = next++) {
        const t0 = performance.now();
        await op(i);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { perSec: OPS / ((performance.now() - started) / 1000), latenciesMs, clientCpuMs: (cpu.user + cpu.system) / 1000 / OPS };
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function main(): Promise<void> {
  const testDb = await createTestDatabase('bench_loyalty');
  {
    // Same durability for baseline and accrual: set on the throw-away database, so every pooled session gets it.
    const admin = createPgDb({ url: testDb.url, max: 1 });
    await admin.query(`ALTER DATABASE "${testDb.name}" SET synchronous_commit = ${SYNC_COMMIT === 'off' ? 'off' : 'on'}`);
    await admin.close();
  }
  const db = createPgDb({ url: testDb.url, max: CONCURRENCY + 2 });
  try {
    await migrate(db, { service: 'loyalty', migrations });
    await db.query(`CREATE TABLE bench_bare (id text PRIMARY KEY, member_id text NOT NULL, miles bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const logger = createLogger({ service: 'bench', level: 'silent' });
    // Counts the credit statements and their sizes on the way to the database (how the group commit grouped).
    const written = { statements: 0, credits: 0, ms: 0 };
    const counted: SqlDb = {
      ...db,
      query: async (text, params) => {
        const t0 = performance.now();
        const res = await db.query(text, params);
        written.statements += 1;
        written.credits += (params?.[0] as unknown[]).length;
        written.ms += performance.now() - t0;
        return res;
      },
    };
    const credits = createCreditWriter(counted, logger, BATCH);
    const deps: AppDeps = {
      db,
      rules: DEFAULT_RULES,
      now: () => new Date(),
      distanceKm: () => Promise.resolve(1000),
      logger,
      notifyOutbox: () => undefined,
      writeCredit: (c) => credits.write(c),
    };
    const agent: Principal = { ...ANONYMOUS, subject: 'bench-agent', roles: ['agent_l2'] };
    const svc: Principal = { ...ANONYMOUS, subject: 'cases', roles: ['service'] };
    const members: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      members.push((await enroll(deps, agent, { passengerId: `pax_${ulid()}`, enrollmentChannel: 'bench', referringPartnerCode: '', idempotencyKey: `bench-enrol-${i}` })).id);
    }
    const memberOf = (i: number) => members[i % members.length] as string;
    // History, then statistics as autovacuum keeps them on a live database: plans cached while the tables were empty
    // (e.g. a nested loop over a seq scan of members) would be measured instead of the credit path.
    const historyWriter = createCreditWriter(db, logger, { windowMs: 5, maxItems: 500, maxInFlight: 1 });
    const historyDeps: AppDeps = { ...deps, writeCredit: (c) => historyWriter.write(c) };
    for (let start = 0; start < HISTORY; start += 500) {
      const n = Math.min(500, HISTORY - start);
      await Promise.all(Array.from({ length: n }, (_, k) =>
        compensate(historyDeps, svc, { memberId: memberOf(start + k), miles: 100, caseId: `hist_${start + k}`, reason: 'history', idempotencyKey: `hist-${start + k}` }, 1_000_000)));
    }
    await historyWriter.close();
    await db.query(`INSERT INTO bench_bare (id, member_id, miles) SELECT 'h' || g, $1, 100 FROM generate_series(1, $2::int) g`, [memberOf(0), HISTORY]);
    await db.query('ANALYZE');

    const bare = (round: number) => (i: number) =>
      db.query(`INSERT INTO bench_bare (id, member_id, miles) VALUES ($1, $2, $3)`, [`b${round}-${i}`, memberOf(i), 100]).then(() => undefined);
    const accrual = (round: number) => (i: number) =>
      compensate(deps, svc, { memberId: memberOf(i), miles: 100, caseId: `case_${round}_${i}`, reason: 'bench', idempotencyKey: `bench-${round}-${i}` }, 1_000_000).then(() => undefined);

    // Warm-up (connections, plans, caches), then alternate so drift on the shared machine hits both equally.
    await runRound(bare(-1));
    await runRound(accrual(-1));
    const baseline: RoundResult[] = [];
    const measured: RoundResult[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      baseline.push(await runRound(bare(r)));
      measured.push(await runRound(accrual(r)));
    }
    await credits.close();
    // Correctness check after the run: every accrual balanced and the cached balances equal the postings.
    const check = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM accounts a LEFT JOIN (SELECT account_id, sum(amount) s FROM postings GROUP BY account_id) p ON p.account_id = a.id
        WHERE a.member_id IS NOT NULL AND a.balance <> coalesce(p.s, 0)`,
    );
    const summary = (rs: RoundResult[]) => ({
      medianPerSec: Math.round(median(rs.map((r) => r.perSec))),
      p50Ms: Number(median(rs.flatMap((r) => r.latenciesMs)).toFixed(2)),
      p99Ms: Number(quantile(rs.flatMap((r) => r.latenciesMs), 0.99).toFixed(2)),
      clientCpuMsPerOp: Number(median(rs.map((r) => r.clientCpuMs)).toFixed(3)),
    });
    const b = summary(baseline);
    const a = summary(measured);
    const ratio = a.medianPerSec / b.medianPerSec;
    const result = {
      date: new Date().toISOString(),
      sizes: { opsPerRound: OPS, rounds: ROUNDS, concurrency: CONCURRENCY, members: MEMBERS, history: HISTORY },
      synchronousCommit: SYNC_COMMIT === 'off' ? 'off' : 'on',
      creditBatch: {
        ...BATCH,
        statements: written.statements,
        avgCreditsPerStatement: Number((written.credits / written.statements).toFixed(2)),
        avgStatementMs: Number((written.ms / written.statements).toFixed(2)),
      },
      bareInsert: b,
      accrualWithIdempotency: a,
      // Each accrual is one ledger transaction with two postings (source debited, member credited).
      postingsPerSec: a.medianPerSec * 2,
      ratio: Number(ratio.toFixed(3)),
      postingsRatio: Number((2 * ratio).toFixed(3)),
      target: '>= 0.5',
      targetMetPerAccrual: ratio >= 0.5,
      targetMetPerPosting: 2 * ratio >= 0.5,
      balanceMismatches: Number(check.rows[0]?.n ?? 0),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.close();
    await testDb.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
