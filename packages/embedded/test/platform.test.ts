import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cases, flightinfo, loyalty, profile } from '@csm/contracts';
import { callUnary, createGrpcClient } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import { seedDemoData, startEmbeddedPlatform, type EmbeddedPlatform } from '../src';
import type { DemoManifest } from '../src/demo/manifest';

// One platform at a time (PGlite boots take seconds): seeded start → restart on the same dir → reset.
jest.setTimeout(120_000);

const logger = createLogger({ service: 'embedded-test', level: 'silent' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-embedded-'));
let platform: EmbeddedPlatform | undefined;

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function clientsOf(p: EmbeddedPlatform) {
  const a = p.grpcAddresses;
  return {
    profile: createGrpcClient(profile.ProfileServiceClient, a.profile),
    loyalty: createGrpcClient(loyalty.LoyaltyServiceClient, a.loyalty),
    partners: createGrpcClient(loyalty.PartnerServiceClient, a.loyalty),
    flights: createGrpcClient(flightinfo.FlightInfoServiceClient, a['flight-info']),
    cases: createGrpcClient(cases.CaseServiceClient, a.cases),
  };
}
type Clients = ReturnType<typeof clientsOf>;
const closeAll = (c: Clients) => Object.values(c).forEach((x) => x.close());

async function departures(c: Clients, token: string, airport: string, demo: DemoManifest): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = '';
  const window = { startTime: new Date(`${demo.flights.firstDate}T00:00:00Z`), endTime: new Date(Date.parse(`${demo.flights.lastDate}T00:00:00Z`) + 2 * 86_400_000) };
  do {
    const res = await callUnary(c.flights, 'listDepartures', flightinfo.ListDeparturesRequest.fromPartial({ airport, window: { startTime: new Date(window.startTime.getTime() - 86_400_000), endTime: window.endTime }, page: { pageSize: 100, pageToken } }), { authorization: token });
    ids.push(...res.flights.map((f) => f.id));
    pageToken = res.page?.nextPageToken ?? '';
  } while (pageToken !== '');
  return ids;
}

async function seededCases(c: Clients, token: string): Promise<cases.Case[]> {
  const out: cases.Case[] = [];
  let pageToken = '';
  do {
    const res = await callUnary(c.cases, 'listCases', cases.ListCasesRequest.fromPartial({ page: { pageSize: 100, pageToken } }), { authorization: token });
    out.push(...res.cases);
    pageToken = res.page?.nextPageToken ?? '';
  } while (pageToken !== '');
  return out;
}

const claims = (jwt: string | undefined) => JSON.parse(Buffer.from((jwt ?? '..').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

let first: { demo: DemoManifest; adminToken: string; departuresPek: number; caseIds: string[]; passengers: number };

test('a seeded start loads the demo data set through the services, readable back over gRPC', async () => {
  platform = await startEmbeddedPlatform({ dataDir, ports: 'ephemeral', logger });
  expect(platform.seededNow).toBe(true);
  const demo = platform.demo as DemoManifest;
  expect(demo).toBeDefined();
  expect(platform.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const c = clientsOf(platform);
  const admin = await platform.issuer.issue({ sub: 'test-admin', roles: ['admin'], scopes: ['pii:read'] });
  try {
    // Flights: a week for both hubs, as many departures at each hub as the manifest says.
    expect(demo.flights.count).toBeGreaterThanOrEqual(140);
    for (const hub of demo.hubs) {
      const ids = await departures(c, admin, hub, demo);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(demo.flights.departuresByHub[hub]);
    }
    const cancelled = demo.flights.cancelled[0] ?? '';
    const [, num, date] = /^CA(\d+)\/(.+)$/.exec(cancelled) ?? [];
    const flight = await callUnary(c.flights, 'getFlight', { flight: { carrier: 'CA', number: num ?? '', date: date ?? '' } }, { authorization: admin });
    expect(flight.flight?.status).toBe(flightinfo.FlightStatus.FLIGHT_STATUS_CANCELLED);
    expect(demo.flights.delayed.length).toBeGreaterThanOrEqual(3);

    // Passengers: every seeded profile exists.
    expect(demo.passengers.length).toBeGreaterThanOrEqual(8);
    for (const p of demo.passengers) {
      const res = await callUnary(c.profile, 'getPassenger', { passengerId: p.id, purpose: 'test' }, { authorization: admin });
      expect(res.passenger?.id).toBe(p.id);
    }

    // Loyalty: a member per tier, the tier computed by the service from the seeded activity.
    const tiers = new Set<string>();
    for (const m of demo.members) {
      const member = await callUnary(c.loyalty, 'getMember', { memberId: m.memberId, includeBalanceAndTier: false }, { authorization: admin });
      const status = await callUnary(c.loyalty, 'getTierStatus', { memberId: m.memberId }, { authorization: admin });
      expect(loyalty.tierToJSON(member.member?.tier ?? 0)).toBe(m.tier);
      expect(loyalty.tierToJSON(status.tierStatus?.tier ?? 0)).toBe(m.tier);
      tiers.add(m.tier);
    }
    expect([...tiers].sort()).toEqual(['TIER_GOLD', 'TIER_PLATINUM', 'TIER_SILVER', 'TIER_STANDARD']);

    // Partners: DEMO with a credential, plus alliance partners.
    const demoPartner = await callUnary(c.partners, 'getPartner', { partnerCode: 'DEMO' }, { authorization: admin });
    expect(demoPartner.partner?.hasCredential).toBe(true);
    expect(demo.partners.map((p) => p.code)).toEqual(expect.arrayContaining(['DEMO']));
    expect(demo.partners.length).toBeGreaterThanOrEqual(2);
    const secretsFile = path.join(dataDir, 'demo-partner-credentials.json');
    expect(statSync(secretsFile).mode & 0o077).toBe(0);

    // Knowledge: found in Chinese and in English.
    for (const [query, language] of [['延误', 'zh-CN'], ['baggage', 'en']] as const) {
      const res = await callUnary(c.cases, 'searchKnowledge', cases.SearchKnowledgeRequest.fromPartial({ query, language }), { authorization: admin });
      const seededIds = new Set(demo.knowledgeArticles.filter((a) => a.language === language).map((a) => a.id));
      expect(res.hits.some((h) => seededIds.has(h.article?.id ?? ''))).toBe(true);
    }

    // Cases: open and closed, a compensated complaint, surveys.
    const all = await seededCases(c, admin);
    const byId = new Map(all.map((k) => [k.id, k]));
    for (const k of demo.cases) expect(byId.get(k.id)?.caseNumber).toBe(k.caseNumber);
    const states = demo.cases.map((k) => byId.get(k.id)?.state);
    expect(states).toContain(cases.CaseState.CASE_STATE_CLOSED);
    expect(states.some((s) => s !== cases.CaseState.CASE_STATE_CLOSED)).toBe(true);
    const compensated = demo.cases.filter((k) => k.compensated).map((k) => byId.get(k.id));
    expect(compensated).toHaveLength(1);
    expect(compensated[0]?.compensations[0]?.status).toBe(cases.CompensationStatus.COMPENSATION_STATUS_GRANTED);
    expect(demo.cases.filter((k) => byId.get(k.id)?.survey !== undefined).length).toBeGreaterThanOrEqual(2);

    // Demo tokens: the passenger is a real seeded profile, the partner the real partner code.
    expect(claims(platform.tokens.passenger).profile_id).toBe(demo.demoPassengerId);
    expect(demo.passengers.map((p) => p.id)).toContain(demo.demoPassengerId);
    expect(claims(platform.tokens.partner).partner_code).toBe('DEMO');
    const own = await callUnary(c.loyalty, 'getMember', { passengerId: demo.demoPassengerId, includeBalanceAndTier: false }, { authorization: platform.tokens.passenger ?? '' });
    expect(own.member?.passengerId).toBe(demo.demoPassengerId);

    // Embedded cases has a PII key ring (dev keys in the data dir): intake without a profile keeps its contact sealed.
    const agent = await platform.issuer.issue({ sub: 'agent.test', roles: ['agent_l1'] });
    const anon = await callUnary(c.cases, 'openCase', cases.OpenCaseRequest.fromPartial({ channel: cases.Channel.CHANNEL_PHONE, kind: cases.CaseKind.CASE_KIND_INQUIRY, subject: 'Lost property', description: 'Left a jacket on board', language: 'en', contact: { name: 'A. Caller', phone: '+8613800138001', email: '' }, idempotencyKey: 'test-anon-1' }), { authorization: agent });
    const read = await callUnary(c.cases, 'getCase', { caseId: anon.case?.id ?? '' }, { authorization: agent });
    expect(read.case?.contact?.name).toBe('A. Caller');

    first = { demo, adminToken: admin, departuresPek: (await departures(c, admin, 'PEK', demo)).length, caseIds: demo.cases.map((k) => k.id), passengers: demo.passengers.length };
  } finally {
    closeAll(c);
  }
  await platform.stop();
  platform = undefined;
});

test('a restart on the same data dir keeps the data, does not reseed, old tokens stay valid, and a retried seed duplicates nothing', async () => {
  platform = await startEmbeddedPlatform({ dataDir, ports: 'ephemeral', logger });
  expect(platform.seededNow).toBe(false);
  expect(platform.demo).toEqual(first.demo);
  const c = clientsOf(platform);
  try {
    // A token minted before the restart is still accepted (the issuer key is kept in the data dir).
    const demo = first.demo;
    expect((await departures(c, first.adminToken, 'PEK', demo)).length).toBe(first.departuresPek);
    const all = await seededCases(c, first.adminToken);
    const caseIds = all.map((k) => k.id);
    for (const id of first.caseIds) expect(caseIds.filter((x) => x === id)).toHaveLength(1);
    const names = await callUnary(c.profile, 'searchPassengersByName', { namePrefix: 'WANG', page: { pageSize: 50, pageToken: '' } }, { authorization: first.adminToken });
    expect(names.passengers.filter((p) => p.name?.latinGivenName === 'XIAOMING')).toHaveLength(1);
    const member = await callUnary(c.loyalty, 'getMember', { memberId: demo.members[0]?.memberId ?? '', includeBalanceAndTier: false }, { authorization: platform.tokens.admin ?? '' });
    expect(loyalty.tierToJSON(member.member?.tier ?? 0)).toBe(demo.members[0]?.tier);

    // A seed interrupted after its last call but before the marker is simply run again: every step converges on
    // the same records (idempotency keys, natural keys, look-ups) instead of duplicating them.
    const again = await seedDemoData({ dataDir, issuer: platform.issuer, addresses: platform.grpcAddresses, logger, now: new Date(demo.seedClock) });
    const ids = (m: DemoManifest) => ({
      passengers: m.passengers.map((p) => p.id),
      members: m.members.map((x) => [x.memberId, x.tier]),
      cases: m.cases.map((k) => [k.id, k.state, k.compensated, k.surveyed]),
      articles: m.knowledgeArticles.map((a) => a.id),
      partners: m.partners.map((p) => p.code),
      flights: m.flights,
    });
    expect(ids(again)).toEqual(ids(demo));
    expect((await departures(c, first.adminToken, 'PEK', demo)).length).toBe(first.departuresPek);
    const casesAfter = await seededCases(c, first.adminToken);
    expect(casesAfter.length).toBe(all.length);
    const compensated = casesAfter.find((k) => k.id === demo.cases.find((x) => x.compensated)?.id);
    expect(compensated?.compensations).toHaveLength(1);
  } finally {
    closeAll(c);
  }
  await platform.stop();
  platform = undefined;
});

test('reset starts empty, and without the demo data no passenger or partner token is issued', async () => {
  platform = await startEmbeddedPlatform({ dataDir, ports: 'ephemeral', logger, reset: true, seed: false });
  expect(platform.demo).toBeUndefined();
  expect(platform.seededNow).toBe(false);
  expect(platform.tokens.passenger).toBeUndefined();
  expect(platform.tokens.partner).toBeUndefined();
  expect(platform.tokens.admin).toBeDefined();
  const c = clientsOf(platform);
  try {
    expect(await departures(c, platform.tokens.admin ?? '', 'PEK', first.demo)).toHaveLength(0);
    expect(await seededCases(c, platform.tokens.admin ?? '')).toHaveLength(0);
  } finally {
    closeAll(c);
  }
});
