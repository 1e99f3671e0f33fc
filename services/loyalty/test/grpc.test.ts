// Embedded mode (PGlite + in-process bus) through the real gRPC server: accrual from the airport dataset, validation,
// authorization, idempotency, tier upgrade, statements, partner monthly cap.
import { loyalty } from '@csm/contracts';
import { createInProcessEventBus, type EventBus } from '@csm/platform/events';
import { createPgliteDb, type SqlDb } from '@csm/platform/stores';
import { ledgerInvariants, newPassengerId, startHarness, type Harness } from './support/harness';

jest.setTimeout(120_000);

let h: Harness;
let busDb: SqlDb;
let bus: EventBus;
let agent: string;
let ops: string;
const clock = { now: new Date('2026-06-15T10:00:00Z') };

beforeAll(async () => {
  busDb = await createPgliteDb();
  bus = await createInProcessEventBus({ db: busDb });
  h = await startHarness({ CSM_MODE: 'embedded' }, { bus, now: () => clock.now });
  agent = await h.token({ sub: 'agent-7', roles: ['agent_l2'] });
  ops = await h.token({ sub: 'flight-ops', roles: ['ops'] });
});

afterAll(async () => {
  await h?.stop();
  await bus?.close();
  await busDb?.close();
});

const segment = (ticket: string, over: Partial<loyalty.FlightSegment> = {}) =>
  loyalty.FlightSegment.fromPartial({
    flight: { carrier: 'CA', number: '1501', date: '2026-06-10' },
    origin: 'PEK',
    destination: 'SHA',
    cabin: loyalty.Cabin.CABIN_ECONOMY,
    bookingClass: 'Y',
    ticketNumber: ticket,
    couponNumber: 1,
    ...over,
  });

async function enroll(passengerId = newPassengerId()): Promise<loyalty.Member> {
  return (await h.call(agent, 'enroll', { passengerId, enrollmentChannel: 'app', referringPartnerCode: '', idempotencyKey: `e-${passengerId}` })).member as loyalty.Member;
}

describe('membership', () => {
  it('enrols with a Luhn-checked number; a retry returns the same member; a second enrolment is refused', async () => {
    const pax = newPassengerId();
    const req = { passengerId: pax, enrollmentChannel: 'app', referringPartnerCode: '', idempotencyKey: 'enrol-1' };
    const a = await h.call(agent, 'enroll', req);
    const b = await h.call(agent, 'enroll', req);
    expect(b.member).toEqual(a.member);
    expect(a.member?.memberNumber).toMatch(/^[1-9][0-9]{9}$/);
    await expect(h.call(agent, 'enroll', { ...req, idempotencyKey: 'enrol-2' })).rejects.toMatchObject({ grpcCode: 6 });
    await expect(h.call(agent, 'enroll', { ...req, enrollmentChannel: 'web' })).rejects.toMatchObject({ reason: 'VALIDATION_FAILED' });
    const byNumber = await h.call(agent, 'getMember', { memberNumber: a.member?.memberNumber, includeBalanceAndTier: false });
    expect(byNumber.member?.id).toBe(a.member?.id);
    expect(byNumber.balance).toBeUndefined();
    expect(byNumber.tierStatus).toBeUndefined();
  });

  it('GetMember with include_balance_and_tier answers what GetBalance and GetTierStatus answer, under the same permissions', async () => {
    const mine = await enroll();
    const other = await enroll();
    const svc = await h.token({ sub: 'cases', roles: ['service'] });
    await h.call(svc, 'compensate', { memberId: mine.id, miles: 1500, caseId: 'case_x', reason: 'delay', idempotencyKey: 'overview-1' });
    const all = await h.call(agent, 'getMember', { passengerId: mine.passengerId, includeBalanceAndTier: true });
    const balance = await h.call(agent, 'getBalance', { memberId: mine.id });
    const tier = await h.call(agent, 'getTierStatus', { memberId: mine.id });
    expect(all.member?.id).toBe(mine.id);
    expect(all.balance).toEqual({ ...balance.balance, asOfTime: all.balance?.asOfTime });
    expect(all.balance?.availableMiles).toBe(1500);
    expect(all.tierStatus).toEqual(tier.tierStatus);
    const me = await h.token({ sub: 'u1', roles: ['passenger'], profileId: mine.passengerId });
    expect((await h.call(me, 'getMember', { memberId: mine.id, includeBalanceAndTier: true })).balance?.availableMiles).toBe(1500);
    await expect(h.call(me, 'getMember', { memberId: other.id, includeBalanceAndTier: true })).rejects.toMatchObject({ grpcCode: 7 });
  });

  it('a passenger reads only their own membership', async () => {
    const mine = await enroll();
    const other = await enroll();
    const me = await h.token({ sub: 'u1', roles: ['passenger'], profileId: mine.passengerId });
    await expect(h.call(me, 'getBalance', { memberId: mine.id })).resolves.toBeDefined();
    await expect(h.call(me, 'getBalance', { memberId: other.id })).rejects.toMatchObject({ grpcCode: 7 });
    await expect(h.call('', 'getBalance', { memberId: mine.id })).rejects.toMatchObject({ grpcCode: 16 });
  });

  it('rejects bad input naming every field, writing nothing', async () => {
    const err = (await h.call(agent, 'enroll', { passengerId: 'bob', enrollmentChannel: 'x'.repeat(40), referringPartnerCode: 'lower', idempotencyKey: '' }).catch((e: unknown) => e)) as {
      violations: { field: string }[];
    };
    expect(err.violations.map((v) => v.field).sort()).toEqual(['enrollment_channel', 'idempotency_key', 'passenger_id', 'referring_partner_code']);
  });
});

describe('flight accrual', () => {
  it('credits great-circle distance from the airport dataset × earn chart, once per ticket coupon', async () => {
    const m = await enroll();
    const first = await h.call(ops, 'accrueFlight', { memberId: m.id, segment: segment('9991234567890'), idempotencyKey: '' });
    // PEK–SHA ≈ 1,080 km ≈ 670 statute miles, class Y = 100 %.
    expect(first.entry?.miles).toBeGreaterThan(640);
    expect(first.entry?.miles).toBeLessThan(700);
    expect(first.entry?.qualifyingMiles).toBe(first.entry?.miles);
    expect(first.entry?.qualifyingSegments).toBe(1);
    const again = await h.call(ops, 'accrueFlight', { memberId: m.id, segment: segment('9991234567890'), idempotencyKey: 'other-key' });
    expect(again.entry?.id).toBe(first.entry?.id);
    const bal = await h.call(agent, 'getBalance', { memberId: m.id });
    expect(bal.balance?.availableMiles).toBe(first.entry?.miles);
    expect(bal.balance?.expiring[0]?.expireDate).toBe('2029-06-10');
  });

  it('names every bad segment field and refuses unknown airports', async () => {
    const m = await enroll();
    const bad = (await h
      .call(ops, 'accrueFlight', { memberId: m.id, segment: segment('12', { origin: 'pek', cabin: 9 as loyalty.Cabin, bookingClass: 'YY', couponNumber: 7 }), idempotencyKey: '' })
      .catch((e: unknown) => e)) as { violations: { field: string }[] };
    expect(bad.violations.map((v) => v.field).sort()).toEqual(['segment.booking_class', 'segment.cabin', 'segment.coupon_number', 'segment.origin', 'segment.ticket_number']);
    await expect(h.call(ops, 'accrueFlight', { memberId: m.id, segment: segment('9991234567891', { origin: 'ZZZ' }), idempotencyKey: '' })).rejects.toMatchObject({
      violations: [expect.objectContaining({ rule: 'UNKNOWN_AIRPORT' })],
    });
  });

  it('upgrades the tier as soon as the member qualifies, keeping award and qualifying miles apart', async () => {
    const m = await enroll();
    // PEK–JFK in J: ~6,800 mi × 125 % ≈ 8,500 qualifying miles a segment; the third reaches Silver (25,000).
    let last: loyalty.LedgerEntry | undefined;
    for (let i = 0; i < 4; i++) {
      last = (await h.call(ops, 'accrueFlight', { memberId: m.id, segment: segment(`88800000000${10 + i}`, { destination: 'JFK', bookingClass: 'J', cabin: loyalty.Cabin.CABIN_BUSINESS }), idempotencyKey: '' })).entry;
    }
    const status = await h.call(agent, 'getTierStatus', { memberId: m.id });
    expect(status.tierStatus?.tier).toBe(loyalty.Tier.TIER_SILVER);
    expect(status.tierStatus?.validUntil).toBe('2027-06-15');
    expect(status.tierStatus?.benefits.map((b) => b.code)).toContain('PRIORITY_BOARDING');
    // The fourth segment earned the Silver bonus (25 %) on award miles; qualifying miles stay unbonused.
    expect(last?.miles).toBe(Math.floor((last?.qualifyingMiles ?? 0) * 1.25));
  });
});

describe('statements and adjustments', () => {
  it('opening + credits − debits = closing; a manual adjustment needs another approver', async () => {
    const m = await enroll();
    const svc = await h.token({ sub: 'cases', roles: ['service'] });
    await h.call(svc, 'compensate', { memberId: m.id, miles: 1000, caseId: 'case_1', reason: 'late', idempotencyKey: 'c1' });
    await expect(h.call(agent, 'manualAdjust', { memberId: m.id, miles: -300, reason: 'fix', approverId: 'agent-7', idempotencyKey: 'a1' })).rejects.toMatchObject({ grpcCode: 7 });
    await h.call(agent, 'manualAdjust', { memberId: m.id, miles: -300, reason: 'fix', approverId: 'sup-2', idempotencyKey: 'a1' });
    await expect(h.call(agent, 'manualAdjust', { memberId: m.id, miles: -5000, reason: 'fix', approverId: 'sup-2', idempotencyKey: 'a2' })).rejects.toMatchObject({ reason: 'INSUFFICIENT_MILES' });
    const s = await h.call(agent, 'getStatement', { memberId: m.id, period: { startDate: '2026-06-01', endDate: '2026-06-30' } });
    expect(s).toMatchObject({ openingBalance: 0, totalCredited: 1000, totalDebited: 300, closingBalance: 700 });
    expect(s.entries.map((e) => e.miles)).toEqual([1000, -300]);
    const later = await h.call(agent, 'getStatement', { memberId: m.id, period: { startDate: '2026-07-01', endDate: '2026-07-31' } });
    expect(later).toMatchObject({ openingBalance: 700, closingBalance: 700, entries: [] });
  });

  it('cancelling a confirmed redemption reverses it with compensating postings', async () => {
    const m = await enroll();
    const svc = await h.token({ sub: 'cases', roles: ['service'] });
    await h.call(svc, 'compensate', { memberId: m.id, miles: 10_000, caseId: 'case_2', reason: 'x', idempotencyKey: 'c2' });
    const q = await h.call(agent, 'quoteRedemption', { memberId: m.id, awardCode: 'BAG-1', quantity: 1 });
    const held = await h.call(agent, 'holdRedemption', { quoteId: q.quote?.id ?? '', idempotencyKey: 'h1' });
    const confirmed = await h.call(agent, 'confirmRedemption', { redemptionId: held.redemption?.id ?? '' });
    expect(confirmed.redemption?.status).toBe(loyalty.RedemptionStatus.REDEMPTION_STATUS_CONFIRMED);
    const cancelled = await h.call(agent, 'cancelRedemption', { redemptionId: held.redemption?.id ?? '', reason: 'flight cancelled' });
    expect(cancelled.redemption?.status).toBe(loyalty.RedemptionStatus.REDEMPTION_STATUS_CANCELLED);
    expect((await h.call(agent, 'getBalance', { memberId: m.id })).balance?.availableMiles).toBe(10_000);
    await expect(h.call(agent, 'confirmRedemption', { redemptionId: held.redemption?.id ?? '' })).rejects.toMatchObject({ reason: 'ILLEGAL_STATE_TRANSITION' });
    expect(await ledgerInvariants(h.deps)).toEqual({ mismatches: 0, negative: 0, total: 0, unbalanced: 0 });
  });
});

describe('partner limits', () => {
  it('rejects accruals beyond the monthly cap (recorded, idempotent) and above the per-accrual maximum', async () => {
    const admin = await h.token({ sub: 'admin', roles: ['admin'] });
    await h.callPartner(admin, 'registerPartner', {
      partner: loyalty.Partner.fromPartial({
        code: 'BANKCC',
        name: 'Co-brand card',
        category: loyalty.PartnerCategory.PARTNER_CATEGORY_CREDIT_CARD,
        earnRate: { miles: 1, perSpend: { amountMinor: 1000, currencyCode: 'CNY' } },
        pricePerMile: { amountMinor: 3, currencyCode: 'CNY' },
        maxMilesPerAccrual: 5000,
        monthlyMilesCap: 6000,
        scopes: ['accruals:write'],
      }),
    });
    const bank = await h.token({ sub: 'BANKCC', roles: ['partner'], partnerCode: 'BANKCC', scopes: ['accruals:write'] });
    const m = await enroll();
    const post = (id: string, miles: number) =>
      h.callPartner(bank, 'postAccrual', loyalty.PostAccrualRequest.fromPartial({ partnerCode: 'BANKCC', partnerTransactionId: id, memberNumber: m.memberNumber, activityDate: '2026-06-14', miles }));
    expect((await post('t1', 5000)).accrual?.status).toBe(loyalty.AccrualStatus.ACCRUAL_STATUS_POSTED);
    await expect(post('t2', 5001)).rejects.toMatchObject({ violations: [expect.objectContaining({ rule: 'ABOVE_MAX_PER_ACCRUAL' })] });
    const over = await post('t3', 2000);
    expect(over.accrual).toMatchObject({ status: loyalty.AccrualStatus.ACCRUAL_STATUS_REJECTED, rejectReason: 'MONTHLY_CAP_EXCEEDED' });
    expect((await post('t3', 2000)).replayed).toBe(true);
    expect((await post('t4', 1000)).accrual?.status).toBe(loyalty.AccrualStatus.ACCRUAL_STATUS_POSTED);
    expect((await h.call(agent, 'getBalance', { memberId: m.id })).balance?.availableMiles).toBe(6000);
    const badNumber = String((Number(m.memberNumber) + 1) % 1e10).padStart(10, '0');
    expect((await post('t5', 10)).accrual?.rejectReason).toBe('MONTHLY_CAP_EXCEEDED');
    await expect(
      h.callPartner(bank, 'postAccrual', loyalty.PostAccrualRequest.fromPartial({ partnerCode: 'BANKCC', partnerTransactionId: 't6', memberNumber: badNumber, activityDate: '2026-06-14', miles: 10 })),
    ).rejects.toMatchObject({ violations: [expect.objectContaining({ field: 'member_number', rule: 'CHECK_DIGIT' })] });
  });
});

describe('closure and reconciliation', () => {
  it('a closed member earns nothing; closing twice is a no-op', async () => {
    const m = await enroll();
    const sup = await h.token({ sub: 'sup-1', roles: ['supervisor'] });
    const closed = await h.call(sup, 'closeMember', { memberId: m.id, reason: 'requested by member' });
    expect(closed.member?.status).toBe(loyalty.MemberStatus.MEMBER_STATUS_CLOSED);
    expect((await h.call(sup, 'closeMember', { memberId: m.id, reason: 'again' })).member?.status).toBe(loyalty.MemberStatus.MEMBER_STATUS_CLOSED);
    const svc = await h.token({ sub: 'cases', roles: ['service'] });
    await expect(h.call(svc, 'compensate', { memberId: m.id, miles: 100, caseId: 'case_9', reason: 'x', idempotencyKey: 'closed-1' })).rejects.toMatchObject({ reason: 'MEMBER_NOT_ACTIVE' });
  });

  it('reconciles a partner file: matched, missing on either side, mismatched miles', async () => {
    const admin = await h.token({ sub: 'admin', roles: ['admin'] });
    await h.callPartner(admin, 'registerPartner', {
      partner: loyalty.Partner.fromPartial({
        code: 'CAR02',
        name: 'Car rental',
        category: loyalty.PartnerCategory.PARTNER_CATEGORY_CAR_RENTAL,
        earnRate: { miles: 2, perSpend: { amountMinor: 1000, currencyCode: 'CNY' } },
        pricePerMile: { amountMinor: 5, currencyCode: 'CNY' },
        scopes: ['accruals:write', 'reconciliation:read'],
      }),
    });
    const car = await h.token({ sub: 'CAR02', roles: ['partner'], partnerCode: 'CAR02', scopes: ['accruals:write', 'reconciliation:read'] });
    const m = await enroll();
    for (const [id, miles] of [['r1', 100], ['r2', 200], ['r3', 300]] as const) {
      await h.callPartner(car, 'postAccrual', loyalty.PostAccrualRequest.fromPartial({ partnerCode: 'CAR02', partnerTransactionId: id, memberNumber: m.memberNumber, activityDate: '2026-06-01', miles }));
    }
    const rep = await h.callPartner(car, 'reconcileAccruals', {
      partnerCode: 'CAR02',
      period: { startDate: '2026-06-01', endDate: '2026-06-30' },
      records: [
        { partnerTransactionId: 'r1', memberNumber: m.memberNumber, miles: 100, activityDate: '2026-06-01' },
        { partnerTransactionId: 'r2', memberNumber: m.memberNumber, miles: 250, activityDate: '2026-06-01' },
        { partnerTransactionId: 'r9', memberNumber: m.memberNumber, miles: 50, activityDate: '2026-06-02' },
      ],
    });
    expect(rep.report).toMatchObject({ matchedCount: 1, discrepancyCount: 3, programmeTotalMiles: 600, partnerTotalMiles: 400, billableTotal: { amountMinor: 3000, currencyCode: 'CNY' } });
    expect(Object.fromEntries((rep.report?.discrepancies ?? []).map((d) => [d.partnerTransactionId, d.outcome]))).toEqual({
      r2: loyalty.ReconciliationOutcome.RECONCILIATION_OUTCOME_MISMATCH,
      r3: loyalty.ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_AT_PARTNER,
      r9: loyalty.ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_HERE,
    });
    const other = await h.token({ sub: 'BANKCC', roles: ['partner'], partnerCode: 'BANKCC', scopes: ['reconciliation:read'] });
    await expect(h.callPartner(other, 'reconcileAccruals', { partnerCode: 'CAR02', period: { startDate: '2026-06-01', endDate: '2026-06-30' }, records: [] })).rejects.toMatchObject({ grpcCode: 7 });
  });
});
