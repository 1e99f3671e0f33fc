// The group commit of credits (app/credit-writer.ts) on real PostgreSQL: concurrent credits share one statement, and
// every guarantee of a credit written alone still holds — per-credit idempotency inside and across batches, isolated
// rejections and failures, balance == sum of postings, one outbox event per credit with its balance, nothing lost.
import { MemberStatus } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { createLogger } from '@csm/platform/logging';
import { ANONYMOUS, type Principal } from '@csm/platform/security';
import { createPgDb, migrate, type SqlDb } from '@csm/platform/stores';
import { createTestDatabase, type TestDatabase } from '@csm/platform/testing';
import { ulid } from 'ulid';
import { compensate } from '../src/app/accrual';
import { createCreditWriter, type CreditWriter, type CreditWriterOptions } from '../src/app/credit-writer';
import type { AppDeps } from '../src/app/deps';
import { enroll } from '../src/app/members';
import type { EntryRecord } from '../src/domain/records';
import { DEFAULT_RULES } from '../src/domain/rules';
import type { CreditStatement } from '../src/store/credit-statement';
import { migrations } from '../src/store/migrations';

jest.setTimeout(120_000);

let testDb: TestDatabase;
let db: SqlDb;
/** Every loyalty_credit() call the writers made, with its number of credits (the real database, counted on the way). */
const calls: number[] = [];
const counted = (inner: SqlDb): SqlDb => ({
  ...inner,
  dialect: inner.dialect,
  transaction: (fn) => inner.transaction(fn),
  close: () => inner.close(),
  query: (text, params) => {
    if (text.includes('loyalty_credit(')) calls.push((params?.[0] as unknown[]).length);
    return inner.query(text, params);
  },
});

const svc: Principal = { ...ANONYMOUS, subject: 'cases', roles: ['service'] };
const agent: Principal = { ...ANONYMOUS, subject: 'agent-1', roles: ['agent_l2'] };
const writers: CreditWriter[] = [];

function depsWith(options: Partial<CreditWriterOptions> = {}, onStatement?: (c: CreditStatement) => CreditStatement): AppDeps {
  const writer = createCreditWriter(counted(db), createLogger({ service: 'test', level: 'silent' }), { windowMs: 20, maxItems: 64, maxInFlight: 1, ...options });
  writers.push(writer);
  return {
    db,
    rules: DEFAULT_RULES,
    now: () => new Date(),
    distanceKm: () => Promise.resolve(1000),
    logger: createLogger({ service: 'test', level: 'silent' }),
    notifyOutbox: () => undefined,
    writeCredit: (c) => writer.write(onStatement ? onStatement(c) : c),
  };
}

async function newMember(deps: AppDeps): Promise<string> {
  return (await enroll(deps, agent, { passengerId: `pax_${ulid()}`, enrollmentChannel: 'test', referringPartnerCode: '', idempotencyKey: `enr-${ulid()}` })).id;
}

const grant = (deps: AppDeps, memberId: string, miles: number, key: string, reason = 'goodwill') =>
  compensate(deps, svc, { memberId, miles, caseId: 'case_1', reason, idempotencyKey: key }, 1_000_000);

async function ledgerOf(memberId: string) {
  const bal = await db.query<{ balance: string }>(`SELECT balance FROM accounts WHERE id = $1`, [`${memberId}:available`]);
  const sum = await db.query<{ s: string | null }>(`SELECT sum(amount) AS s FROM postings WHERE account_id = $1`, [`${memberId}:available`]);
  const tx = await db.query<{ id: string; balance_after: string }>(`SELECT id, balance_after FROM ledger_transactions WHERE member_id = $1 ORDER BY id`, [memberId]);
  const ev = await db.query<{ envelope: { data: { transactionId: string; balanceAfter: number } } }>(
    `SELECT envelope FROM outbox WHERE aggregate_id = $1 AND event_type = 'csm.loyalty.member.miles_accrued.v1'`,
    [memberId],
  );
  return {
    balance: Number(bal.rows[0]?.balance),
    postingsSum: Number(sum.rows[0]?.s ?? 0),
    entries: tx.rows.map((r) => ({ id: r.id, balanceAfter: Number(r.balance_after) })),
    events: ev.rows.map((r) => r.envelope.data),
  };
}

beforeAll(async () => {
  testDb = await createTestDatabase('loyalty_group_commit');
  db = createPgDb({ url: testDb.url, max: 12 });
  await migrate(db, { service: 'loyalty', migrations });
});

afterEach(async () => {
  await Promise.all(writers.splice(0).map((w) => w.close()));
  calls.length = 0;
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('group commit of credits (real PostgreSQL)', () => {
  it('writes concurrent credits in shared statements; each caller gets its own committed entry, balances and events agree', async () => {
    const deps = depsWith();
    const members = [await newMember(deps), await newMember(deps), await newMember(deps)];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => grant(deps, members[i % 3] as string, 100 + i, `gc-${ulid()}`)));
    // Fewer statements than credits: they really were grouped.
    expect(calls.length).toBeLessThan(30);
    expect(Math.max(...calls)).toBeGreaterThan(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(30);
    results.forEach((r, i) => expect(r.miles).toBe(100 + i));
    for (const m of members) {
      const l = await ledgerOf(m);
      const mine = results.filter((r) => r.memberId === m);
      const total = mine.reduce((s, r) => s + r.miles, 0);
      expect(l.balance).toBe(total);
      expect(l.postingsSum).toBe(total);
      // Balances after each credit are a running total of that member's credits, the last one the balance.
      let running = 0;
      for (const r of [...mine].sort((x, y) => x.balanceAfter - y.balanceAfter)) {
        running += r.miles;
        expect(r.balanceAfter).toBe(running);
      }
      // One event per credit, carrying that credit's balance.
      expect(l.events).toHaveLength(mine.length);
      const byTx = new Map(l.events.map((e) => [e.transactionId, e.balanceAfter]));
      for (const r of mine) expect(byTx.get(r.id)).toBe(r.balanceAfter);
    }
    // Acknowledged means committed: another connection sees every entry.
    const seen = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ledger_transactions WHERE id = ANY($1::text[])`, [results.map((r) => r.id)]);
    expect(Number(seen.rows[0]?.n)).toBe(30);
  });

  it('the same key twice in one batch credits once and both callers get the same entry', async () => {
    const deps = depsWith();
    const m = await newMember(deps);
    const key = `dup-${ulid()}`;
    const [a, b, other] = await Promise.all([grant(deps, m, 500, key), grant(deps, m, 500, key), grant(deps, m, 7, `other-${ulid()}`)]);
    expect(calls).toContain(3);
    expect(b).toEqual(a);
    expect(other.miles).toBe(7);
    const l = await ledgerOf(m);
    expect(l.balance).toBe(507);
    expect(l.postingsSum).toBe(507);
    expect(l.entries).toHaveLength(2);
    expect(l.events).toHaveLength(2);
  });

  it('a key reused in one batch for a different request: one credit, the other caller gets IDEMPOTENCY_KEY_REUSED', async () => {
    const deps = depsWith();
    const m = await newMember(deps);
    const key = `reuse-${ulid()}`;
    const out = await Promise.allSettled([grant(deps, m, 500, key), grant(deps, m, 900, key)]);
    const ok = out.filter((r): r is PromiseFulfilledResult<EntryRecord> => r.status === 'fulfilled');
    const failed = out.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect((failed[0]?.reason as { violations?: { rule?: string }[] }).violations?.[0]?.rule).toBe('IDEMPOTENCY_KEY_REUSED');
    const l = await ledgerOf(m);
    expect(l.balance).toBe(ok[0]?.value.miles);
    expect(l.entries).toHaveLength(1);
  });

  it('a key replayed in a later batch returns the original entry and credits nothing more', async () => {
    const deps = depsWith();
    const m = await newMember(deps);
    const key = `replay-${ulid()}`;
    const first = await grant(deps, m, 300, key);
    const again = await Promise.all([grant(deps, m, 300, key), grant(deps, m, 300, key), grant(deps, m, 1, `x-${ulid()}`)]);
    expect(again[0]).toEqual(first);
    expect(again[1]).toEqual(first);
    const l = await ledgerOf(m);
    expect(l.balance).toBe(301);
    expect(l.entries).toHaveLength(2);
  });

  it('a missing or closed member fails only its own credit; the rest of the batch is written', async () => {
    const deps = depsWith();
    const good = await newMember(deps);
    const closed = await newMember(deps);
    await db.query(`UPDATE members SET status = $2 WHERE id = $1`, [closed, MemberStatus.MEMBER_STATUS_CLOSED]);
    const [missingKey, closedKey] = [`b-${ulid()}`, `c-${ulid()}`];
    const out = await Promise.allSettled([
      grant(deps, good, 10, `a-${ulid()}`),
      grant(deps, 'mbr_00000000000000000000000000', 10, missingKey),
      grant(deps, closed, 10, closedKey),
      grant(deps, good, 20, `d-${ulid()}`),
    ]);
    expect(calls).toContain(4);
    expect(out.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((out[1] as PromiseRejectedResult).reason).toMatchObject({ grpcCode: 5 }); // NOT_FOUND
    expect((out[2] as PromiseRejectedResult).reason).toMatchObject({ reason: 'MEMBER_NOT_ACTIVE' });
    expect((await ledgerOf(good)).balance).toBe(30);
    const c = await ledgerOf(closed);
    expect(c.entries).toHaveLength(0);
    // A rejected credit leaves no idempotency record behind: the same key may be used once the member is active.
    const keys = await db.query(`SELECT 1 FROM idempotency_keys WHERE key = ANY($1::text[])`, [[missingKey, closedKey]]);
    expect(keys.rowCount).toBe(0);
  });

  it('when the batch statement fails, each credit is written alone: only the bad one fails, nothing is lost', async () => {
    // A NUL byte is refused by PostgreSQL text: the batch statement fails as a whole and the writer falls back.
    const deps = depsWith({}, (c) => (c.idempotency.key.startsWith('bad-') ? { ...c, description: 'bad\u0000reason' } : c));
    const m = await newMember(deps);
    const out = await Promise.allSettled([grant(deps, m, 1, `ok1-${ulid()}`), grant(deps, m, 2, `bad-${ulid()}`), grant(deps, m, 4, `ok2-${ulid()}`)]);
    expect(calls[0]).toBe(3);
    expect(calls.slice(1).sort()).toEqual([1, 1, 1]);
    expect(out.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const l = await ledgerOf(m);
    expect(l.balance).toBe(5);
    expect(l.postingsSum).toBe(5);
    expect(l.entries).toHaveLength(2);
    expect(l.events).toHaveLength(2);
  });

  it('two replicas crediting the same members at once: no deadlock, every credit once, balances equal postings', async () => {
    const a = depsWith({ windowMs: 2, maxInFlight: 2 });
    const b = depsWith({ windowMs: 2, maxInFlight: 2 });
    const members = await Promise.all(Array.from({ length: 4 }, () => newMember(a)));
    const keys = Array.from({ length: 120 }, (_, i) => `race-${i}-${ulid()}`);
    // Each key is sent to both replicas: one credit per key, whoever wins.
    const out = await Promise.all(keys.flatMap((k, i) => [grant(a, members[i % 4] as string, 10, k), grant(b, members[i % 4] as string, 10, k)]));
    for (let i = 0; i < keys.length; i++) expect(out[2 * i + 1]).toEqual(out[2 * i]);
    for (const m of members) {
      const l = await ledgerOf(m);
      expect(l.balance).toBe(l.postingsSum);
      expect(l.entries).toHaveLength(30);
      expect(l.balance).toBe(300);
      expect(l.events).toHaveLength(30);
    }
  });

  it('close() writes the credits still waiting for their window before it resolves', async () => {
    const deps = depsWith({ windowMs: 60_000, maxInFlight: 2 });
    const m = await newMember(deps);
    const first = grant(deps, m, 1, `w1-${ulid()}`); // written at once (the writer is idle)…
    await new Promise((r) => setImmediate(r));
    const queued = [grant(deps, m, 2, `w2-${ulid()}`), grant(deps, m, 4, `w3-${ulid()}`)]; // …these wait for company
    await Promise.all(writers.map((w) => w.close()));
    expect((await ledgerOf(m)).balance).toBe(7);
    await first;
    await expect(Promise.all(queued)).resolves.toHaveLength(2);
  });
});
