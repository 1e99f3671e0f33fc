import { loyalty } from '@csm/contracts';
import { NotFoundError, PermissionDeniedError } from '@csm/platform/errors';
import { fakeBackend, fields, send, startGateway, type FakeBackend, type Gateway } from './support/routes-fake-backend';

// Loyalty routes against a canned LoyaltyService: mapping, validation, roles and the passenger's own-membership check.
const PAX = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const OTHER = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VC';
const MBR = 'mbr_01HZY3K6W0Q8X2N4M5P7R9T1VD';
const QUOTE = 'quo_01HZY3K6W0Q8X2N4M5P7R9T1VE';
const RDM = 'rdm_01HZY3K6W0Q8X2N4M5P7R9T1VF';
const CASE = 'case_01HZY3K6W0Q8X2N4M5P7R9T1VG';
const member = loyalty.Member.fromPartial({ id: MBR, memberNumber: '1234567897', passengerId: PAX, status: loyalty.MemberStatus.MEMBER_STATUS_ACTIVE, tier: loyalty.Tier.TIER_GOLD });
const entry = loyalty.LedgerEntry.fromPartial({ id: 'txn_1', memberId: MBR, kind: loyalty.TransactionKind.TRANSACTION_KIND_COMPENSATION, miles: 5000 });
const redemption = loyalty.Redemption.fromPartial({ id: RDM, memberId: MBR, status: loyalty.RedemptionStatus.REDEMPTION_STATUS_HELD });

let backend: FakeBackend;
let gw: Gateway;
let agent1: string;
let agent2: string;
let supervisor: string;
let self: string;
let partner: string;
let ops: string;

beforeAll(async () => {
  backend = await fakeBackend('loyalty', loyalty.LoyaltyServiceService, {
    enroll: () => ({ member }),
    getMember: (r: loyalty.GetMemberRequest) => {
      if (r.passengerId !== undefined && r.passengerId !== PAX) throw new NotFoundError('member', r.passengerId);
      return { member };
    },
    closeMember: () => ({ member: { ...member, status: loyalty.MemberStatus.MEMBER_STATUS_CLOSED } }),
    getBalance: () => loyalty.GetBalanceResponse.fromPartial({ balance: { memberId: MBR, availableMiles: 12000, heldMiles: 0, lifetimeMiles: 30000 } }),
    getStatement: () => ({ entries: [entry], openingBalance: 1000, closingBalance: 6000, totalCredited: 5000, totalDebited: 0, page: { nextPageToken: 'n2' } }),
    getTierStatus: () => loyalty.GetTierStatusResponse.fromPartial({ tierStatus: { memberId: MBR, tier: loyalty.Tier.TIER_GOLD, qualifyingMiles: 42000 } }),
    accrueFlight: () => ({ entry }),
    compensate: () => ({ entry }),
    manualAdjust: () => ({ entry }),
    quoteRedemption: () => loyalty.QuoteRedemptionResponse.fromPartial({ quote: { id: QUOTE, memberId: MBR, awardCode: 'UPG-J', quantity: 1, miles: 20000 } }),
    holdRedemption: () => ({ redemption }),
    confirmRedemption: () => ({ redemption: { ...redemption, status: loyalty.RedemptionStatus.REDEMPTION_STATUS_CONFIRMED } }),
    cancelRedemption: () => {
      throw new PermissionDeniedError('not your redemption');
    },
    listAwards: () => loyalty.ListAwardsResponse.fromPartial({ awards: [{ code: 'UPG-J', category: loyalty.AwardCategory.AWARD_CATEGORY_UPGRADE, milesPrice: 20000 }], page: { nextPageToken: '' } }),
    listTiers: () => loyalty.ListTiersResponse.fromPartial({ tiers: [{ tier: loyalty.Tier.TIER_STANDARD }] }),
    runExpiry: () => ({ membersExpired: 3, milesExpired: 9000 }),
    runTierEvaluation: () => ({ membersEvaluated: 10, downgraded: 1, renewed: 9 }),
  });
  gw = await startGateway({ loyalty: backend.address });
  agent1 = await gw.token(['agent_l1']);
  agent2 = await gw.token(['agent_l2']);
  supervisor = await gw.token(['supervisor']);
  self = await gw.token(['passenger'], { sub: PAX, profileId: PAX });
  partner = await gw.token(['partner'], { partnerCode: 'HOTEL1', sub: 'HOTEL1' });
  ops = await gw.token(['ops']);
});
afterAll(async () => {
  await gw.close();
  await backend.server.shutdown({ graceMs: 50 });
});
beforeEach(() => {
  backend.calls.length = 0;
});

const methods = () => backend.calls.map((c) => c.method);
const requestOf = <T>(method: string) => backend.calls.find((c) => c.method === method)?.request as T;

describe('membership', () => {
  it('a passenger reads their own membership; another passenger gets 403 without any backend call; 401 anonymous', async () => {
    const own = await send(gw, 'get', `/passengers/${PAX}/membership`, { token: self });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ member: loyalty.Member.toJSON(member) });
    expect(requestOf<loyalty.GetMemberRequest>('getMember').passengerId).toBe(PAX);
    expect(backend.calls[0]?.authorization).toBe(`Bearer ${self}`);
    backend.calls.length = 0;
    expect((await send(gw, 'get', `/passengers/${OTHER}/membership`, { token: self })).status).toBe(403);
    expect(backend.calls).toHaveLength(0);
    expect((await send(gw, 'get', `/passengers/${PAX}/membership`)).status).toBe(401);
    expect((await send(gw, 'get', `/passengers/${PAX}/membership`, { token: partner })).status).toBe(403);
  });

  it('the statement resolves the member by passenger, then maps the period and page; 404 when the passenger has no member', async () => {
    const res = await send(gw, 'get', `/passengers/${PAX}/membership/statement?from=2026-01-01&to=2026-03-31&pageSize=50&pageToken=abc`, { token: self });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ openingBalance: 1000, closingBalance: 6000, entries: [{ id: 'txn_1', kind: 'TRANSACTION_KIND_COMPENSATION', miles: 5000 }], page: { nextPageToken: 'n2' } });
    expect(methods()).toEqual(['getMember', 'getStatement']);
    expect(requestOf<loyalty.GetStatementRequest>('getStatement')).toMatchObject({ memberId: MBR, period: { startDate: '2026-01-01', endDate: '2026-03-31' }, page: { pageSize: 50, pageToken: 'abc' } });
    const bad = await send(gw, 'get', `/passengers/${PAX}/membership/statement?from=2026-13-01&pageSize=0&extra=1`, { token: self });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['query.from', 'query.pageSize', 'query.extra']));
    const agent = await send(gw, 'get', `/passengers/${OTHER}/membership/balance`, { token: agent1 });
    expect(agent.status).toBe(404);
  });

  it('balance and tier status for staff; staff lookup by member id or card number', async () => {
    expect((await send(gw, 'get', `/passengers/${PAX}/membership/balance`, { token: agent1 })).body).toMatchObject({ balance: { availableMiles: 12000 } });
    expect((await send(gw, 'get', `/passengers/${PAX}/membership/tier-status`, { token: ops })).body).toMatchObject({ tierStatus: { tier: 'TIER_GOLD' } });
    backend.calls.length = 0;
    expect((await send(gw, 'get', `/members/${MBR}`, { token: agent1 })).status).toBe(200);
    expect((await send(gw, 'get', '/members/1234567897', { token: agent1 })).status).toBe(200);
    expect(backend.calls.map((c) => c.request)).toEqual([expect.objectContaining({ memberId: MBR }), expect.objectContaining({ memberNumber: '1234567897' })]);
    const bad = await send(gw, 'get', '/members/12345', { token: agent1 });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toContain('path.member');
    expect((await send(gw, 'get', `/members/${MBR}`, { token: self })).status).toBe(403);
  });

  it('enrol requires the Idempotency-Key header and passes it on; a partner enrols as the referrer only', async () => {
    const missing = await send(gw, 'post', `/passengers/${PAX}/membership`, { token: self, body: {} });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['header.idempotency-key']);
    const ok = await send(gw, 'post', `/passengers/${PAX}/membership`, { token: self, body: { enrollmentChannel: 'app' }, headers: { 'idempotency-key': 'enrol-0001' } });
    expect(ok.status).toBe(201);
    expect(requestOf<loyalty.EnrollRequest>('enroll')).toMatchObject({ passengerId: PAX, enrollmentChannel: 'app', idempotencyKey: 'enrol-0001', referringPartnerCode: '' });
    backend.calls.length = 0;
    const byPartner = await send(gw, 'post', `/passengers/${OTHER}/membership`, { token: partner, body: {}, headers: { 'idempotency-key': 'enrol-0002' } });
    expect(byPartner.status).toBe(201);
    expect(requestOf<loyalty.EnrollRequest>('enroll').referringPartnerCode).toBe('HOTEL1');
    const forOther = await send(gw, 'post', `/passengers/${OTHER}/membership`, { token: partner, body: { referringPartnerCode: 'AIR2' }, headers: { 'idempotency-key': 'enrol-0003' } });
    expect(forOther.status).toBe(403);
    expect((await send(gw, 'post', `/passengers/${OTHER}/membership`, { token: self, body: {}, headers: { 'idempotency-key': 'enrol-0004' } })).status).toBe(403);
  });

  it('close: the passenger themself or level 2+, with a reason', async () => {
    expect((await send(gw, 'post', `/passengers/${PAX}/membership/close`, { token: agent1, body: { reason: 'asked' } })).status).toBe(403);
    const res = await send(gw, 'post', `/passengers/${PAX}/membership/close`, { token: self, body: { reason: 'no longer flying' } });
    expect(res.status).toBe(200);
    expect(requestOf<loyalty.CloseMemberRequest>('closeMember')).toEqual({ memberId: MBR, reason: 'no longer flying' });
    const bad = await send(gw, 'post', `/passengers/${PAX}/membership/close`, { token: agent2, body: { reason: '' } });
    expect(fields(bad)).toEqual(['body.reason']);
  });
});

describe('accrual, compensation and adjustment', () => {
  it('direct compensation: supervisors/admin only (agents go through the case), passenger id as the recipient, idempotency key required and passed on', async () => {
    const body = { miles: 5000, caseId: CASE, reason: 'delay of 4 hours' };
    for (const token of [agent1, agent2, self]) {
      expect((await send(gw, 'post', `/passengers/${PAX}/membership/compensations`, { token, body, headers: { 'idempotency-key': 'comp-00001' } })).status).toBe(403);
    }
    expect(backend.calls).toHaveLength(0);
    const res = await send(gw, 'post', `/passengers/${PAX}/membership/compensations`, { token: supervisor, body, headers: { 'idempotency-key': 'comp-00001' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ entry: loyalty.LedgerEntry.toJSON(entry) });
    expect(requestOf<loyalty.CompensateRequest>('compensate')).toEqual({ passengerId: PAX, memberId: undefined, miles: 5000, caseId: CASE, reason: 'delay of 4 hours', idempotencyKey: 'comp-00001' });
    expect(backend.calls[0]?.idempotencyKey).toBe('comp-00001');
    const bad = await send(gw, 'post', `/passengers/${PAX}/membership/compensations`, { token: supervisor, body: { miles: 0, caseId: 'x', reason: 'r', bonus: 1 } });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.miles', 'body.caseId', 'body.bonus']));
  });

  it('manual adjustment refuses zero miles; a signed debit reaches ManualAdjust with the approver', async () => {
    const zero = await send(gw, 'post', `/passengers/${PAX}/membership/adjustments`, { token: agent2, body: { miles: 0, reason: 'x', approverId: 'sup-1' }, headers: { 'idempotency-key': 'adj-000001' } });
    expect(fields(zero)).toEqual(['body.miles']);
    const res = await send(gw, 'post', `/passengers/${PAX}/membership/adjustments`, { token: agent2, body: { miles: -300, reason: 'duplicate credit', approverId: 'sup-1' }, headers: { 'idempotency-key': 'adj-000002' } });
    expect(res.status).toBe(201);
    expect(requestOf<loyalty.ManualAdjustRequest>('manualAdjust')).toEqual({ memberId: MBR, miles: -300, reason: 'duplicate credit', approverId: 'sup-1', idempotencyKey: 'adj-000002' });
  });

  it('flight accrual: ops may post it (cabin by enum name), a passenger may not', async () => {
    const body = { flight: { carrier: 'CA', number: '1234', date: '2026-11-01' }, origin: 'PEK', destination: 'SHA', cabin: 'CABIN_BUSINESS', bookingClass: 'J', ticketNumber: '9991234567890', couponNumber: 1 };
    expect((await send(gw, 'post', `/passengers/${PAX}/membership/flight-accruals`, { token: self, body })).status).toBe(403);
    const res = await send(gw, 'post', `/passengers/${PAX}/membership/flight-accruals`, { token: ops, body });
    expect(res.status).toBe(201);
    expect(requestOf<loyalty.AccrueFlightRequest>('accrueFlight')).toMatchObject({ memberId: MBR, idempotencyKey: '', segment: { cabin: loyalty.Cabin.CABIN_BUSINESS, ticketNumber: '9991234567890', distanceKm: 0 } });
    const bad = await send(gw, 'post', `/passengers/${PAX}/membership/flight-accruals`, { token: ops, body: { ...body, cabin: 'BUSINESS', couponNumber: 5 } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.cabin', 'body.couponNumber']));
  });
});

describe('redemption and catalogue', () => {
  it('a passenger quotes, holds (key required) and confirms their own redemption', async () => {
    const q = await send(gw, 'post', `/passengers/${PAX}/membership/redemption-quotes`, { token: self, body: { awardCode: 'UPG-J', quantity: 1 } });
    expect(q.status).toBe(201);
    expect(requestOf<loyalty.QuoteRedemptionRequest>('quoteRedemption')).toEqual({ memberId: MBR, awardCode: 'UPG-J', quantity: 1 });
    expect(fields(await send(gw, 'post', `/passengers/${PAX}/membership/redemptions`, { token: self, body: { quoteId: QUOTE } }))).toEqual(['header.idempotency-key']);
    const hold = await send(gw, 'post', `/passengers/${PAX}/membership/redemptions`, { token: self, body: { quoteId: QUOTE }, headers: { 'idempotency-key': 'hold-00001' } });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ redemption: { id: RDM, status: 'REDEMPTION_STATUS_HELD' } });
    expect(requestOf<loyalty.HoldRedemptionRequest>('holdRedemption')).toEqual({ quoteId: QUOTE, idempotencyKey: 'hold-00001' });
    const confirm = await send(gw, 'post', `/passengers/${PAX}/membership/redemptions/${RDM}/confirm`, { token: self });
    expect(confirm.body).toMatchObject({ redemption: { status: 'REDEMPTION_STATUS_CONFIRMED' } });
    expect((await send(gw, 'post', `/passengers/${OTHER}/membership/redemptions/${RDM}/confirm`, { token: self })).status).toBe(403);
  });

  it("the service's own denial (someone else's redemption) comes back as a 403 problem", async () => {
    const res = await send(gw, 'post', `/passengers/${PAX}/membership/redemptions/${RDM}/cancel`, { token: self, body: { reason: 'changed plans' } });
    expect(res.status).toBe(403);
    expect(res.contentType).toMatch(/problem\+json/);
  });

  it('awards: repeated categories by enum name; partners and passengers may browse; tiers', async () => {
    const res = await send(gw, 'get', `/awards?category=AWARD_CATEGORY_UPGRADE&category=AWARD_CATEGORY_LOUNGE&affordableForMemberId=${MBR}&pageSize=10`, { token: partner });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ awards: [{ code: 'UPG-J', category: 'AWARD_CATEGORY_UPGRADE', milesPrice: 20000 }] });
    expect(requestOf<loyalty.ListAwardsRequest>('listAwards')).toEqual({
      categories: [loyalty.AwardCategory.AWARD_CATEGORY_UPGRADE, loyalty.AwardCategory.AWARD_CATEGORY_LOUNGE],
      affordableForMemberId: MBR,
      page: { pageSize: 10, pageToken: '' },
    });
    expect(fields(await send(gw, 'get', '/awards?category=UPGRADE', { token: self }))).toEqual(['query.category']);
    expect((await send(gw, 'get', '/tiers', { token: self })).body).toEqual({ tiers: [expect.objectContaining({ tier: 'TIER_STANDARD' })] });
    expect((await send(gw, 'get', '/tiers')).status).toBe(401);
  });

  it('jobs: ops and admin only, as-of date validated', async () => {
    expect((await send(gw, 'post', '/loyalty/jobs/expiry', { token: agent2, body: {} })).status).toBe(403);
    const res = await send(gw, 'post', '/loyalty/jobs/expiry', { token: ops, body: { asOfDate: '2026-11-29' } });
    expect(res.body).toEqual({ membersExpired: 3, milesExpired: 9000 });
    expect(requestOf<loyalty.RunExpiryRequest>('runExpiry')).toEqual({ asOfDate: '2026-11-29' });
    expect((await send(gw, 'post', '/loyalty/jobs/tier-evaluation', { token: ops, body: {} })).body).toEqual({ membersEvaluated: 10, downgraded: 1, renewed: 9 });
    expect(fields(await send(gw, 'post', '/loyalty/jobs/tier-evaluation', { token: ops, body: { asOfDate: 'today' } }))).toEqual(['body.asOfDate']);
  });
});
