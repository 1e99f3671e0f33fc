// Through gRPC against real PostgreSQL and Kafka: concurrent redemptions, partner idempotency and isolation,
// idempotent compensation, and jobs run by several replicas at once.
import { loyalty } from '@csm/contracts';
import { countPendingOutbox } from '@csm/platform/events';
import { createTestDatabase, testInfra, type TestDatabase } from '@csm/platform/testing';
import { ledgerInvariants, newPassengerId, startHarness, type Harness } from './support/harness';

jest.setTimeout(180_000);

let db: TestDatabase;
let h: Harness;
let agent: string;
let admin: string;

const clusterEnv = () => ({ CSM_MODE: 'cluster', CSM_PG_URL: db.url, CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(',') });

beforeAll(async () => {
  db = await createTestDatabase('loyalty');
  h = await startHarness(clusterEnv());
  agent = await h.token({ sub: 'agent-7', roles: ['agent_l2'] });
  admin = await h.token({ sub: 'admin-1', roles: ['admin'] });
});

afterAll(async () => {
  await h?.stop();
  await db?.drop();
});

async function enrolled(): Promise<loyalty.Member> {
  const res = await h.call(agent, 'enroll', loyalty.EnrollRequest.fromPartial({ passengerId: newPassengerId(), enrollmentChannel: 'counter', idempotencyKey: `enr-${Math.random()}` }));
  return res.member as loyalty.Member;
}

async function grant(memberId: string, miles: number): Promise<void> {
  const svc = await h.token({ sub: 'cases', roles: ['service'] });
  await h.call(svc, 'compensate', loyalty.CompensateRequest.fromPartial({ memberId, miles, caseId: 'case_1', reason: 'seed', idempotencyKey: `seed-${memberId}-${miles}` }));
}

describe('redemptions racing on one balance (real PostgreSQL)', () => {
  it('50 concurrent holds against a balance covering 10: exactly 10 succeed and nothing is overdrawn', async () => {
    const m = await enrolled();
    const price = 3000; // LOUNGE-1
    await grant(m.id, price * 10 + 1500);
    const quotes = await Promise.all(
      Array.from({ length: 50 }, () => h.call(agent, 'quoteRedemption', { memberId: m.id, awardCode: 'LOUNGE-1', quantity: 1 })),
    );
    const results = await Promise.allSettled(quotes.map((q, i) => h.call(agent, 'holdRedemption', { quoteId: q.quote?.id ?? '', idempotencyKey: `race-${m.id}-${i}` })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(failed).toHaveLength(40);
    for (const f of failed) expect((f.reason as { reason?: string }).reason).toBe('INSUFFICIENT_MILES');
    const bal = await h.call(agent, 'getBalance', { memberId: m.id });
    expect(bal.balance?.availableMiles).toBe(1500);
    expect(bal.balance?.heldMiles).toBe(price * 10);
    // Confirm them all concurrently too: held miles are burnt exactly once each.
    await Promise.all(ok.map((r) => h.call(agent, 'confirmRedemption', { redemptionId: (r as PromiseFulfilledResult<loyalty.HoldRedemptionResponse>).value.redemption?.id ?? '' })));
    const after = await h.call(agent, 'getBalance', { memberId: m.id });
    expect(after.balance?.heldMiles).toBe(0);
    expect(after.balance?.availableMiles).toBe(1500);
    expect(await ledgerInvariants(h.deps)).toEqual({ mismatches: 0, negative: 0, total: 0, unbalanced: 0 });
  });
});

describe('partner API', () => {
  let partnerToken: string;
  beforeAll(async () => {
    for (const code of ['HTL01', 'CAR02']) {
      await h.callPartner(admin, 'registerPartner', {
        partner: loyalty.Partner.fromPartial({
          code,
          name: `Partner ${code}`,
          category: loyalty.PartnerCategory.PARTNER_CATEGORY_HOTEL,
          earnRate: { miles: 1, perSpend: { amountMinor: 500, currencyCode: 'CNY' } },
          pricePerMile: { amountMinor: 2, currencyCode: 'CNY' },
          maxMilesPerAccrual: 10_000,
          monthlyMilesCap: 1_000_000,
          scopes: ['accruals:write', 'accruals:read', 'reconciliation:read'],
        }),
      });
    }
    partnerToken = await h.token({ sub: 'HTL01', roles: ['partner'], partnerCode: 'HTL01', scopes: ['accruals:write', 'accruals:read', 'reconciliation:read'] });
  });

  it('the same accrual replayed 5 times (some concurrently) credits once', async () => {
    const m = await enrolled();
    const req = loyalty.PostAccrualRequest.fromPartial({ partnerCode: 'HTL01', partnerTransactionId: 'stay-0001', memberNumber: m.memberNumber, activityDate: '2026-11-01', spend: { amountMinor: 120_000, currencyCode: 'CNY' } });
    const first = await h.callPartner(partnerToken, 'postAccrual', req);
    const replays = [
      ...(await Promise.all([1, 2].map(() => h.callPartner(partnerToken, 'postAccrual', req)))),
      await h.callPartner(partnerToken, 'postAccrual', req),
      await h.callPartner(partnerToken, 'postAccrual', req),
    ];
    expect(first.replayed).toBe(false);
    expect(first.accrual?.status).toBe(loyalty.AccrualStatus.ACCRUAL_STATUS_POSTED);
    expect(first.accrual?.miles).toBe(240); // CNY 1200.00 at 1 mile per CNY 5.00
    for (const r of replays) {
      expect(r.replayed).toBe(true);
      expect(r.accrual).toEqual(first.accrual);
    }
    const bal = await h.call(agent, 'getBalance', { memberId: m.id });
    expect(bal.balance?.availableMiles).toBe(240);
    const stmt = await h.callPartner(partnerToken, 'getPartnerStatement', { partnerCode: 'HTL01', period: { startDate: '2026-11-01', endDate: '2026-11-30' } });
    expect(stmt.statement?.milesIssued).toBe(240);
    expect(stmt.statement?.amountOwed).toEqual({ amountMinor: 480, currencyCode: 'CNY' });
  });

  it("refuses a partner posting for another partner's code, and changes nothing", async () => {
    const m = await enrolled();
    await expect(
      h.callPartner(partnerToken, 'postAccrual', loyalty.PostAccrualRequest.fromPartial({ partnerCode: 'CAR02', partnerTransactionId: 'r-1', memberNumber: m.memberNumber, activityDate: '2026-11-01', miles: 500 })),
    ).rejects.toMatchObject({ grpcCode: 7 });
    const bal = await h.call(agent, 'getBalance', { memberId: m.id });
    expect(bal.balance?.availableMiles).toBe(0);
  });

  it('issues a hashed credential that authenticates, and rejects a wrong secret', async () => {
    const issued = await h.callPartner(admin, 'issuePartnerCredential', { partnerCode: 'HTL01' });
    expect(issued.clientSecret.length).toBeGreaterThan(30);
    const stored = await h.deps.db.query<{ secret_hash: string }>(`SELECT secret_hash FROM partners WHERE code = 'HTL01'`);
    expect(stored.rows[0]?.secret_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0]?.secret_hash).not.toContain(issued.clientSecret);
    const gateway = await h.token({ sub: 'gateway', roles: ['service'] });
    const ok = await h.callPartner(gateway, 'authenticatePartner', { partnerCode: 'HTL01', clientSecret: issued.clientSecret });
    expect(ok.scopes).toContain('accruals:write');
    await expect(h.callPartner(gateway, 'authenticatePartner', { partnerCode: 'HTL01', clientSecret: 'nope' })).rejects.toMatchObject({ grpcCode: 16 });
  });
});

describe('case compensation', () => {
  it('a retried Compensate with the same idempotency key returns the original entry and credits once', async () => {
    const m = await enrolled();
    const svc = await h.token({ sub: 'cases', roles: ['service'] });
    const req = { memberId: m.id, miles: 2000, caseId: 'case_01JABC', reason: 'delayed baggage', idempotencyKey: 'case_01JABC-comp-1' };
    const results = await Promise.all([1, 2, 3].map(() => h.call(svc, 'compensate', req)));
    const ids = new Set(results.map((r) => r.entry?.id));
    expect(ids.size).toBe(1);
    const bal = await h.call(agent, 'getBalance', { memberId: m.id });
    expect(bal.balance?.availableMiles).toBe(2000);
  });
});

describe('jobs with several replicas', () => {
  it('expiry and tier evaluation post each result once when three replicas run them together', async () => {
    const replicas = [h, await startHarness(clusterEnv(), { issuer: h.issuer }), await startHarness(clusterEnv(), { issuer: h.issuer })];
    try {
      const members = await Promise.all(Array.from({ length: 6 }, () => enrolled()));
      for (const m of members) await grant(m.id, 1000);
      // Activity "today"; run the jobs 37 months later from all replicas at once.
      const asOf = new Date(Date.now() + 37 * 31 * 24 * 3600_000).toISOString().slice(0, 10);
      const ops = await h.token({ sub: 'ops-1', roles: ['ops'] });
      const runs = await Promise.all(replicas.flatMap((r) => [r.call(ops, 'runExpiry', { asOfDate: asOf }), r.call(ops, 'runExpiry', { asOfDate: asOf })]));
      const expired = await h.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM ledger_transactions WHERE kind = $1 AND member_id = ANY($2)`, [
        loyalty.TransactionKind.TRANSACTION_KIND_EXPIRY,
        members.map((m) => m.id),
      ]);
      expect(Number(expired.rows[0]?.n)).toBe(6);
      expect(runs.reduce((s, r) => s + r.membersExpired, 0)).toBeGreaterThanOrEqual(6);
      for (const m of members) expect((await h.call(agent, 'getBalance', { memberId: m.id })).balance?.availableMiles).toBe(0);

      // Tier: a Gold member whose period ended without requalifying drops one level (soft landing), once.
      const gold = await enrolled();
      await h.deps.db.query(`UPDATE members SET tier = $2, tier_valid_until = '2026-01-31' WHERE id = $1`, [gold.id, loyalty.Tier.TIER_GOLD]);
      await Promise.all(replicas.map((r) => r.call(ops, 'runTierEvaluation', { asOfDate: '2026-02-01' })));
      const evals = await h.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM tier_evaluations WHERE member_id = $1`, [gold.id]);
      expect(Number(evals.rows[0]?.n)).toBe(1);
      const status = await h.call(agent, 'getTierStatus', { memberId: gold.id });
      expect(status.tierStatus?.tier).toBe(loyalty.Tier.TIER_SILVER);
      expect(status.tierStatus?.validUntil).toBe('2027-01-31');
      expect(await ledgerInvariants(h.deps)).toEqual({ mismatches: 0, negative: 0, total: 0, unbalanced: 0 });
    } finally {
      await Promise.all(replicas.slice(1).map((r) => r.stop()));
    }
  });

  it('publishes the outbox to Kafka (domain and partner topics)', async () => {
    await h.deps.db.query(`SELECT 1`);
    const deadline = Date.now() + 30_000;
    while ((await countPendingOutbox(h.deps.db)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await countPendingOutbox(h.deps.db)).toBe(0);
    const topics = await h.deps.db.query<{ topic: string }>(`SELECT DISTINCT topic FROM outbox ORDER BY 1`);
    expect(topics.rows.map((r) => r.topic)).toEqual(['csm.loyalty.partner.v1', 'csm.loyalty.v1']);
    // The partner feed never carries member ids or numbers.
    const feed = await h.deps.db.query<{ envelope: { data: Record<string, unknown> } }>(`SELECT envelope FROM outbox WHERE topic = 'csm.loyalty.partner.v1'`);
    for (const r of feed.rows) {
      expect(Object.keys(r.envelope.data)).not.toEqual(expect.arrayContaining(['memberId']));
      expect(JSON.stringify(r.envelope.data)).not.toMatch(/mbr_|memberNumber/);
    }
  });
});
