import { cases, flightinfo, loyalty, profile } from '@csm/contracts';
import { NotFoundError } from '@csm/platform/errors';
import { fakeBackend, send, startGateway, type FakeBackend, type Gateway } from './support/routes-fake-backend';

// Passenger 360: the sections are fetched in parallel under their own deadline; one backend slow or down degrades
// only its section, answered within about the deadline.
const PAX = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const PAX_OLD_LOYALTY = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VF';
const OTHER = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VC';
const MISSING = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VD';
const SLOW_PROFILE = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VE';
const DEADLINE_MS = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const passenger = profile.Passenger.fromPartial({ id: PAX, name: { latinSurname: 'WANG' }, dynamicData: { tripsFlown: 12, lastFlightId: 'CA1234/2026-11-20', lastFlightDate: '2026-11-20', recentDisruptions: 1 } });
const member = loyalty.Member.fromPartial({ id: 'mbr_1', memberNumber: 'CA100200300', passengerId: PAX, tier: loyalty.Tier.TIER_GOLD });

let profileSrv: FakeBackend;
let loyaltySrv: FakeBackend;
let casesSrv: FakeBackend;
let flightsSrv: FakeBackend;
let gw: Gateway;
let agent: string;
let casesDelayMs = 0;

beforeAll(async () => {
  profileSrv = await fakeBackend('profile', profile.ProfileServiceService, {
    getPassenger: async (r: profile.GetPassengerRequest) => {
      if (r.passengerId === MISSING) throw new NotFoundError('passenger', r.passengerId);
      if (r.passengerId === SLOW_PROFILE) await sleep(DEADLINE_MS * 3);
      return profile.GetPassengerResponse.fromPartial({ passenger: { ...passenger, id: r.passengerId } });
    },
  });
  loyaltySrv = await fakeBackend('loyalty', loyalty.LoyaltyServiceService, {
    getMember: (r: loyalty.GetMemberRequest) => {
      if (r.passengerId !== PAX && r.passengerId !== PAX_OLD_LOYALTY) throw new NotFoundError('member', r.passengerId ?? '');
      // PAX_OLD_LOYALTY: a loyalty service that predates include_balance_and_tier answers the member only.
      if (!r.includeBalanceAndTier || r.passengerId === PAX_OLD_LOYALTY) return loyalty.GetMemberResponse.fromPartial({ member });
      return loyalty.GetMemberResponse.fromPartial({
        member,
        balance: { memberId: 'mbr_1', availableMiles: 5000 },
        tierStatus: { memberId: 'mbr_1', tier: loyalty.Tier.TIER_GOLD, milesToNextTier: 20000 },
      });
    },
    getBalance: () => loyalty.GetBalanceResponse.fromPartial({ balance: { memberId: 'mbr_1', availableMiles: 5000 } }),
    getTierStatus: () => loyalty.GetTierStatusResponse.fromPartial({ tierStatus: { memberId: 'mbr_1', tier: loyalty.Tier.TIER_GOLD, milesToNextTier: 20000 } }),
  });
  casesSrv = await fakeBackend('cases', cases.CaseServiceService, {
    listCases: async () => {
      if (casesDelayMs > 0) await sleep(casesDelayMs);
      return cases.ListCasesResponse.fromPartial({ cases: [{ id: 'case_1', caseNumber: 'CS-2026-000001', state: cases.CaseState.CASE_STATE_INVESTIGATING, passengerId: PAX }] });
    },
  });
  flightsSrv = await fakeBackend('flight-info', flightinfo.FlightInfoServiceService, {
    getFlight: () => flightinfo.GetFlightResponse.fromPartial({ flight: { flight: { carrier: 'CA', number: '1234', date: '2026-11-20' }, origin: 'PEK', destination: 'SHA' } }),
  });
  gw = await startGateway({ profile: profileSrv.address, loyalty: loyaltySrv.address, cases: casesSrv.address, 'flight-info': flightsSrv.address }, { sectionDeadlineMs: DEADLINE_MS });
  agent = await gw.token(['agent_l1']);
});
afterAll(async () => {
  await gw.close();
  await Promise.all([profileSrv, loyaltySrv, casesSrv, flightsSrv].map((s) => s.server.shutdown({ graceMs: 50 })));
});
beforeEach(() => {
  casesDelayMs = 0;
  for (const s of [profileSrv, loyaltySrv, casesSrv, flightsSrv]) s.calls.length = 0;
});

describe('GET /passengers/{passengerId}/360', () => {
  it('assembles profile, loyalty summary, open cases and recent flights', async () => {
    const res = await send(gw, 'get', `/passengers/${PAX}/360`, { token: agent });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      passenger: profile.Passenger.toJSON(passenger),
      loyalty: {
        status: 'ok',
        data: {
          member: loyalty.Member.toJSON(member),
          balance: { memberId: 'mbr_1', availableMiles: 5000 },
          tierStatus: { memberId: 'mbr_1', tier: 'TIER_GOLD', milesToNextTier: 20000 },
        },
      },
      openCases: { status: 'ok', data: { cases: [{ id: 'case_1', caseNumber: 'CS-2026-000001', state: 'CASE_STATE_INVESTIGATING', passengerId: PAX }], nextPageToken: '' } },
      recentFlights: { status: 'ok', data: { tripsFlown: 12, recentDisruptions: 1, lastFlight: expect.objectContaining({ flight: { carrier: 'CA', number: '1234', date: '2026-11-20' }, origin: 'PEK' }) } },
    });
    // Open cases = the passenger's cases in every state but CLOSED and ARCHIVED; loyalty keyed by passenger id.
    const list = casesSrv.calls[0]?.request as cases.ListCasesRequest;
    expect(list.passengerId).toBe(PAX);
    expect(list.states).not.toContain(cases.CaseState.CASE_STATE_CLOSED);
    expect(list.states).not.toContain(cases.CaseState.CASE_STATE_ARCHIVED);
    expect(list.states).toContain(cases.CaseState.CASE_STATE_NEW);
    // Member, balance and tier in one loyalty call.
    expect(loyaltySrv.calls.map((c) => c.method)).toEqual(['getMember']);
    expect(loyaltySrv.calls[0]?.request).toEqual({ passengerId: PAX, includeBalanceAndTier: true });
    expect(flightsSrv.calls[0]?.request).toEqual({ flight: { carrier: 'CA', number: '1234', date: '2026-11-20' } });
    // Every backend call carries the caller's token.
    for (const s of [profileSrv, loyaltySrv, casesSrv, flightsSrv]) expect(s.calls[0]?.authorization).toBe(`Bearer ${agent}`);
  });

  it('with a loyalty service that answers the member only, asks for balance and tier separately', async () => {
    const res = await send(gw, 'get', `/passengers/${PAX_OLD_LOYALTY}/360`, { token: agent });
    expect(res.status).toBe(200);
    expect(res.body.loyalty).toEqual({
      status: 'ok',
      data: {
        member: loyalty.Member.toJSON(member),
        balance: { memberId: 'mbr_1', availableMiles: 5000 },
        tierStatus: { memberId: 'mbr_1', tier: 'TIER_GOLD', milesToNextTier: 20000 },
      },
    });
    expect(loyaltySrv.calls.map((c) => c.method).sort()).toEqual(['getBalance', 'getMember', 'getTierStatus']);
    expect(loyaltySrv.calls.filter((c) => c.method !== 'getMember').map((c) => c.request)).toEqual([{ memberId: 'mbr_1' }, { memberId: 'mbr_1' }]);
  });

  it('a slow backend (cases sleeps past the deadline) degrades only its section, within about the deadline', async () => {
    casesDelayMs = DEADLINE_MS * 4;
    const t0 = Date.now();
    const res = await send(gw, 'get', `/passengers/${PAX}/360`, { token: agent });
    const took = Date.now() - t0;
    expect(res.status).toBe(200);
    expect(res.body['openCases']).toEqual({ status: 'unavailable', reason: 'deadline exceeded' });
    expect(res.body['loyalty']).toMatchObject({ status: 'ok' });
    expect(res.body['recentFlights']).toMatchObject({ status: 'ok' });
    expect(res.body['passenger']).toMatchObject({ id: PAX });
    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(took).toBeLessThan(DEADLINE_MS + 600);
  });

  it('a stopped backend (flight-info server shut down) degrades only its section', async () => {
    const down = await fakeBackend('flight-info', flightinfo.FlightInfoServiceService, {});
    await down.server.shutdown({ graceMs: 10 });
    const gw2 = await startGateway({ profile: profileSrv.address, loyalty: loyaltySrv.address, cases: casesSrv.address, 'flight-info': down.address }, { sectionDeadlineMs: DEADLINE_MS });
    try {
      const t0 = Date.now();
      const res = await send(gw2, 'get', `/passengers/${PAX}/360`, { token: await gw2.token(['supervisor']) });
      expect(Date.now() - t0).toBeLessThan(DEADLINE_MS + 600);
      expect(res.status).toBe(200);
      expect(res.body['recentFlights']).toMatchObject({ status: 'unavailable' });
      expect(res.body['openCases']).toMatchObject({ status: 'ok' });
      expect(res.body['loyalty']).toMatchObject({ status: 'ok' });
    } finally {
      await gw2.close();
    }
  });

  it('a last flight older than the schedule (flight-info: NOT_FOUND) is shown by its reference, not as unavailable', async () => {
    const old = await fakeBackend('flight-info', flightinfo.FlightInfoServiceService, {
      getFlight: () => {
        throw new NotFoundError('flight', 'CA1234/2026-11-20');
      },
    });
    const gw2 = await startGateway({ profile: profileSrv.address, loyalty: loyaltySrv.address, cases: casesSrv.address, 'flight-info': old.address }, { sectionDeadlineMs: DEADLINE_MS });
    try {
      const res = await send(gw2, 'get', `/passengers/${PAX}/360`, { token: await gw2.token(['supervisor']) });
      expect(res.status).toBe(200);
      expect(res.body['recentFlights']).toMatchObject({ status: 'ok', data: { lastFlight: { flight: { carrier: 'CA', number: '1234', date: '2026-11-20' } } } });
    } finally {
      await gw2.close();
      await old.server.shutdown({ graceMs: 10 });
    }
  });

  it('a passenger who is not a member gets loyalty "none", not an error', async () => {
    const res = await send(gw, 'get', `/passengers/${OTHER}/360`, { token: agent });
    expect(res.status).toBe(200);
    expect(res.body['loyalty']).toEqual({ status: 'none', reason: 'not a loyalty member' });
  });

  it('unknown passenger → 404; profile slower than the deadline → 503', async () => {
    expect((await send(gw, 'get', `/passengers/${MISSING}/360`, { token: agent })).status).toBe(404);
    const t0 = Date.now();
    const slow = await send(gw, 'get', `/passengers/${SLOW_PROFILE}/360`, { token: agent });
    expect(slow.status).toBe(503);
    expect(slow.contentType).toMatch(/problem\+json/);
    expect(Date.now() - t0).toBeLessThan(DEADLINE_MS + 600);
  });

  it('staff and the passenger themself; 403 for other passengers and roles the profile service refuses; 401 anonymous; 400 bad id', async () => {
    const self = await gw.token(['passenger'], { sub: PAX, profileId: PAX });
    expect((await send(gw, 'get', `/passengers/${PAX}/360`, { token: self })).status).toBe(200);
    expect((await send(gw, 'get', `/passengers/${OTHER}/360`, { token: self })).status).toBe(403);
    for (const role of ['analyst', 'ops', 'partner'] as const) expect((await send(gw, 'get', `/passengers/${PAX}/360`, { token: await gw.token([role], { partnerCode: 'ZZ' }) })).status).toBe(403);
    expect((await send(gw, 'get', `/passengers/${PAX}/360`)).status).toBe(401);
    const bad = await send(gw, 'get', '/passengers/nope/360', { token: agent });
    expect(bad.status).toBe(400);
    expect((bad.body['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['path.passengerId']);
  });
});
