import { cases, eventCodec, flightinfo, loyalty, TOPICS } from '@csm/contracts';
import { createEvent, createKafkaEventBus, sourceForDomain, type EventData } from '@csm/platform/events';
import { UnavailableError } from '@csm/platform/errors';
import { unary, type GrpcServer } from '@csm/platform/grpc';
import { createPgDb, type SqlDb } from '@csm/platform/stores';
import { createTestDatabase, testInfra, type TestDatabase } from '@csm/platform/testing';
import { ManualClock, HOUR, MINUTE } from '../src/domain/clock';
import { boot, call, fakeServer, silent, Tokens, uid, type Booted } from './support';

const C = cases;
jest.setTimeout(120_000);

const PAX = ['pax_01JD0000000000000000000001', 'pax_01JD0000000000000000000002', 'pax_01JD0000000000000000000003'];
const flight = { carrier: 'CA', number: String(1000 + Math.floor(Math.random() * 8999)), date: '2026-11-29' };

let db: TestDatabase;
let sql: SqlDb;
let svc: Booted;
let tokens: Tokens;
let agent: string;
let agent2: string;
let supervisor: string;
let loyaltySrv: GrpcServer;
let flightSrv: GrpcServer;
const clock = new ManualClock(Date.UTC(2026, 10, 29, 1, 0));
/** Credits the fake loyalty service applied, by its idempotency key. */
const credits = new Map<string, loyalty.LedgerEntry>();
let loseFirstResponse = true;
let manifestCalls = 0;

beforeAll(async () => {
  tokens = await Tokens.create();
  [agent, agent2, supervisor] = await Promise.all([tokens.as('agent-zh', ['agent_l1']), tokens.as('agent-2', ['agent_l1']), tokens.as('sup-1', ['supervisor'])]);
  db = await createTestDatabase('cases_grpc');
  // Loyalty's gRPC contract (the real service is built in parallel): idempotent by key, like the contract says.
  loyaltySrv = await fakeServer(loyalty.LoyaltyServiceService, {
    compensate: unary(async (req: loyalty.CompensateRequest) => {
      let entry = credits.get(req.idempotencyKey);
      if (!entry) {
        entry = loyalty.LedgerEntry.fromPartial({ id: `txn_${uid()}`, miles: req.miles, caseId: req.caseId, kind: loyalty.TransactionKind.TRANSACTION_KIND_COMPENSATION });
        credits.set(req.idempotencyKey, entry);
      }
      if (loseFirstResponse) {
        // The credit is booked but the answer is lost on the way back: the caller must retry without paying twice.
        loseFirstResponse = false;
        throw new UnavailableError('connection reset');
      }
      return { entry };
    }),
  });
  // Flight-info's manifest RPC: 3 profiled passengers and one the operations system could not match.
  flightSrv = await fakeServer(flightinfo.FlightInfoServiceService, {
    listManifest: unary(async (req: flightinfo.ListManifestRequest) => {
      manifestCalls += 1;
      if (req.flight?.number !== flight.number) return { entries: [], page: { nextPageToken: '' } };
      const entries = [...PAX.map((p, i) => ({ passengerId: p, bookingRef: `ABC12${i}`, ticketNumber: `999123456789${i}` })), { passengerId: '', bookingRef: 'ZZZ999' }];
      // Two pages, to exercise the client's pagination.
      const page = req.page?.pageToken === 'p2' ? entries.slice(2) : entries.slice(0, 2);
      return flightinfo.ListManifestResponse.fromPartial({ entries: page, page: { nextPageToken: req.page?.pageToken === 'p2' ? '' : 'p2' } });
    }),
  });
  svc = await boot(
    {
      CSM_MODE: 'cluster',
      CSM_PG_URL: db.url,
      CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      CSM_LOYALTY_ADDR: `127.0.0.1:${loyaltySrv.port}`,
      CSM_FLIGHT_INFO_ADDR: `127.0.0.1:${flightSrv.port}`,
      CSM_CASES_FLIGHT_CONSUMER_GROUP: `cases.flight-disruptions.test-${uid()}`,
    },
    { verifyToken: tokens.verifyToken(), clock, slaScheduler: false },
  );
  sql = createPgDb({ url: db.url });
});

afterAll(async () => {
  await svc?.stop();
  await sql?.close();
  await loyaltySrv?.shutdown({ graceMs: 100 });
  await flightSrv?.shutdown({ graceMs: 100 });
  await db?.drop();
});

const open = (over: Partial<cases.OpenCaseRequest> = {}, token = agent) =>
  call(svc.client, 'openCase', token, {
    channel: C.Channel.CHANNEL_PHONE,
    kind: C.CaseKind.CASE_KIND_COMPLAINT,
    subject: '行李丢失 lost baggage',
    description: '我的行李在北京没有到达,箱子是红色的',
    language: 'zh-CN',
    passengerId: PAX[0],
    idempotencyKey: `k-${uid()}`,
    ...over,
  });

describe('intake through gRPC', () => {
  it('opens a case with a human number, all its SLA deadlines, and returns the same case for a retried key', async () => {
    const key = `intake-${uid()}`;
    const first = await open({ idempotencyKey: key, links: { flight, bookingRef: 'ABC123', airWaybill: '', baggageRef: 'PEKCA12345', ticketNumber: '' } });
    const c = first.case!;
    expect(c.caseNumber).toMatch(/^CS-2026-\d{6}$/);
    expect(c.state).toBe(C.CaseState.CASE_STATE_NEW);
    expect(c.classification?.categoryCode).toBe('baggage.lost');
    expect(c.classification?.derivedSeverity).toBe(C.Severity.SEVERITY_SERIOUS);
    expect(c.slaDeadlines.map((d) => [d.kind, d.remainingSeconds])).toEqual([
      [C.SlaKind.SLA_KIND_CLASSIFICATION, 15 * 60],
      [C.SlaKind.SLA_KIND_FIRST_RESPONSE, 24 * 3600],
      [C.SlaKind.SLA_KIND_HANDLING_START, 24 * 3600],
      [C.SlaKind.SLA_KIND_RESOLUTION, 48 * 3600],
    ]);
    const again = await open({ idempotencyKey: key, subject: 'different' });
    expect(again.replayed).toBe(true);
    expect(again.case?.id).toBe(c.id);
    const byNumber = await call(svc.client, 'getCase', agent, { caseNumber: c.caseNumber });
    expect(byNumber.case?.id).toBe(c.id);
  });

  it('rejects bad input naming every bad field, and writes nothing', async () => {
    const before = await sql.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    await expect(
      call(svc.client, 'openCase', agent, { channel: 99 as cases.Channel, kind: 0, subject: '', language: 'zh_CN!', passengerId: 'bob', links: { airWaybill: '999-12345676' } }),
    ).rejects.toMatchObject({
      violations: expect.arrayContaining([
        expect.objectContaining({ field: 'channel' }),
        expect.objectContaining({ field: 'kind' }),
        expect.objectContaining({ field: 'subject' }),
        expect.objectContaining({ field: 'language' }),
        expect.objectContaining({ field: 'passenger_id' }),
        expect.objectContaining({ field: 'links.air_waybill', description: 'has a wrong check digit (serial mod 7)' }),
        expect.objectContaining({ field: 'idempotency_key' }),
      ]),
    });
    const after = await sql.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('refuses anonymous callers and lets a passenger see only their own cases', async () => {
    const own = await tokens.as('p0', ['passenger'], PAX[0]);
    const other = await tokens.as('p1', ['passenger'], PAX[1]);
    const mine = await open({ passengerId: '', channel: C.Channel.CHANNEL_APP }, own);
    expect(mine.case?.passengerId).toBe(PAX[0]);
    await expect(call(svc.client, 'getCase', other, { caseId: mine.case!.id })).rejects.toMatchObject({ name: 'PermissionDeniedError' });
    await expect(call(svc.client, 'getCase', '', { caseId: mine.case!.id })).rejects.toMatchObject({ name: 'UnauthenticatedError' });
    const list = await call(svc.client, 'listCases', other, {});
    expect(list.cases.every((c) => c.passengerId === PAX[1])).toBe(true);
  });
});

describe('workflow, routing and timeline through gRPC', () => {
  it('classifies, routes by skills and load, pauses SLAs while waiting on the customer, resolves, follows up and closes', async () => {
    await call(svc.client, 'upsertAgent', supervisor, { agent: { agentId: 'agent-en', teamId: 'baggage', tier: C.SupportTier.SUPPORT_TIER_L1, languages: ['en'], categories: [], maxOpenCases: 10, active: true } });
    await call(svc.client, 'upsertAgent', supervisor, { agent: { agentId: 'agent-zh', teamId: 'baggage', tier: C.SupportTier.SUPPORT_TIER_L1, languages: ['zh', 'en'], categories: ['baggage'], maxOpenCases: 10, active: true } });
    await call(svc.client, 'upsertAgent', supervisor, { agent: { agentId: 'agent-zh2', teamId: 'baggage', tier: C.SupportTier.SUPPORT_TIER_L1, languages: ['zh'], categories: [], maxOpenCases: 10, active: true } });
    // agent-zh2 already carries a case: routing prefers the less loaded agent-zh.
    const busy = (await open({ subject: 'Seat broken' })).case!;
    await call(svc.client, 'assignCase', supervisor, { caseId: busy.id, agentId: 'agent-zh2', teamId: 'baggage' });

    let c = (await open()).case!;
    c = (await call(svc.client, 'classifyCase', agent, { caseId: c.id, categoryCode: 'baggage.lost', impact: C.Impact.IMPACT_MODERATE, expectedVersion: c.audit!.version })).case!;
    expect(c.classification?.severity).toBe(C.Severity.SEVERITY_SERIOUS);
    expect(c.slaDeadlines.find((d) => d.kind === C.SlaKind.SLA_KIND_CLASSIFICATION)?.state).toBe(C.SlaState.SLA_STATE_MET);
    await expect(call(svc.client, 'classifyCase', agent, { caseId: c.id, categoryCode: 'baggage.lost', impact: 2, expectedVersion: 1 })).rejects.toMatchObject({ name: 'VersionConflictError' });
    await expect(call(svc.client, 'classifyCase', agent, { caseId: c.id, categoryCode: 'baggage.lost', impact: 2, severityOverride: C.Severity.SEVERITY_SEVERE })).rejects.toMatchObject({ violations: [expect.objectContaining({ field: 'override_reason' })] });
    c = (await call(svc.client, 'transferCase', agent, { caseId: c.id, toTeamId: 'baggage', reason: 'baggage desk' })).case!;
    c = (await call(svc.client, 'routeCase', agent, { caseId: c.id })).case!;
    expect(c.assignment?.ownerAgentId).toBe('agent-zh');
    expect(c.requiredSkills).toEqual(['language:zh', 'category:baggage']);
    // First-contact ownership: another agent cannot take it without a hand-over.
    await expect(call(svc.client, 'assignCase', agent2, { caseId: c.id })).rejects.toMatchObject({ name: 'FailedPreconditionError' });

    const step = async (target: cases.CaseState, extra: Partial<cases.TransitionCaseRequest> = {}) => {
      clock.advance(10 * MINUTE);
      c = (await call(svc.client, 'transitionCase', agent, { caseId: c.id, targetState: target, ...extra })).case!;
      return c;
    };
    await step(C.CaseState.CASE_STATE_ACKNOWLEDGED);
    await step(C.CaseState.CASE_STATE_INVESTIGATING);
    await step(C.CaseState.CASE_STATE_PENDING_CUSTOMER, { comment: 'asked for the bag tag' });
    const paused = c.slaDeadlines.find((d) => d.kind === C.SlaKind.SLA_KIND_RESOLUTION)!;
    expect(paused.paused).toBe(true);
    clock.advance(5 * HOUR);
    const during = (await call(svc.client, 'listSlaDeadlines', agent, { caseId: c.id })).deadlines;
    expect(during).toHaveLength(5 - 1); // classification, first response, handling start, resolution (follow-up not yet)
    expect(during.find((d) => d.deadline?.kind === C.SlaKind.SLA_KIND_RESOLUTION)?.deadline?.remainingSeconds).toBe(paused.remainingSeconds);
    await step(C.CaseState.CASE_STATE_INVESTIGATING);
    const resumed = c.slaDeadlines.find((d) => d.kind === C.SlaKind.SLA_KIND_RESOLUTION)!;
    expect(resumed.pausedSeconds).toBe(5 * 3600 + 10 * 60);
    expect(resumed.dueTime!.getTime() - resumed.startTime!.getTime()).toBe((48 * 3600 + resumed.pausedSeconds) * 1000);

    await expect(step(C.CaseState.CASE_STATE_CLOSED)).rejects.toThrow('case cannot move from INVESTIGATING to CLOSED; allowed from INVESTIGATING: PENDING_CUSTOMER, RESOLVED');
    await expect(step(C.CaseState.CASE_STATE_RESOLVED)).rejects.toMatchObject({ violations: [expect.objectContaining({ field: 'resolution.code' }), expect.objectContaining({ field: 'resolution.summary' })] });
    await step(C.CaseState.CASE_STATE_RESOLVED, { resolution: { code: 'delivered', summary: 'Your bag was delivered to your hotel.', rootCause: 'mishandled_transfer' } });
    expect(c.slaDeadlines.find((d) => d.kind === C.SlaKind.SLA_KIND_FOLLOW_UP)?.state).toBe(C.SlaState.SLA_STATE_RUNNING);
    await step(C.CaseState.CASE_STATE_FOLLOW_UP);
    await expect(step(C.CaseState.CASE_STATE_CLOSED)).rejects.toMatchObject({ violations: [expect.objectContaining({ field: 'satisfaction_outcome' })] });
    await call(svc.client, 'recordSurvey', agent, { caseId: c.id, csat: 5, nps: 9, comment: '谢谢', channel: C.Channel.CHANNEL_PHONE });
    await step(C.CaseState.CASE_STATE_CLOSED);
    expect(c.satisfactionOutcome).toBe(C.SatisfactionOutcome.SATISFACTION_OUTCOME_SATISFIED);
    expect(c.closeTime).toBeDefined();
    await step(C.CaseState.CASE_STATE_REOPENED);
    expect(c.reopenCount).toBe(1);

    const timeline = (await call(svc.client, 'listCaseActivities', agent, { caseId: c.id, page: { pageSize: 5 } }));
    let all = timeline.activities;
    let token = timeline.page?.nextPageToken ?? '';
    while (token !== '') {
      const next = await call(svc.client, 'listCaseActivities', agent, { caseId: c.id, page: { pageSize: 5, pageToken: token } });
      all = [...all, ...next.activities];
      token = next.page?.nextPageToken ?? '';
    }
    expect(all.map((a) => a.type)).toEqual(expect.arrayContaining(['opened', 'classified', 'transferred', 'assigned', 'sla_paused', 'sla_resumed', 'resolved', 'survey', 'state_changed']));
    const times = all.map((a) => a.time!.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Events went through the outbox; the relay published them to Kafka.
    await waitFor(async () => {
      const res = await sql.query<{ event_type: string; published: boolean }>(`SELECT event_type, published_at IS NOT NULL AS published FROM outbox WHERE aggregate_id = $1 ORDER BY seq`, [c.id]);
      expect(res.rows.every((r) => r.published)).toBe(true);
      expect(res.rows.map((r) => r.event_type)).toEqual(
        expect.arrayContaining(['csm.cases.case.opened.v1', 'csm.cases.case.classified.v1', 'csm.cases.case.assigned.v1', 'csm.cases.case.state_changed.v1', 'csm.cases.case.resolved.v1', 'csm.cases.case.survey_recorded.v1', 'csm.cases.case.closed.v1', 'csm.cases.case.reopened.v1']),
      );
    });
  });

  it('serves my queue and the team queue by SLA urgency with cursor pagination, and text search in zh and en', async () => {
    const team = `t-${uid()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(MINUTE);
      const c = (await open({ subject: i === 2 ? 'Rude staff at the gate 值机柜台态度差' : `Seat issue ${i}`, description: '' })).case!;
      await call(svc.client, 'transferCase', agent, { caseId: c.id, toTeamId: team, reason: 'queue test' });
      ids.push(c.id);
    }
    const page1 = await call(svc.client, 'listCases', agent, { teamId: team, orderBy: 'due_time', states: [C.CaseState.CASE_STATE_NEW], page: { pageSize: 3 } });
    const page2 = await call(svc.client, 'listCases', agent, { teamId: team, orderBy: 'due_time', states: [C.CaseState.CASE_STATE_NEW], page: { pageSize: 3, pageToken: page1.page!.nextPageToken } });
    // Classification SLAs (15 min) of cases opened earlier are due earlier.
    expect([...page1.cases, ...page2.cases].map((c) => c.id)).toEqual(ids);
    expect(page2.page?.nextPageToken).toBe('');
    await expect(call(svc.client, 'listCases', agent, { teamId: 'other', orderBy: 'due_time', page: { pageToken: page1.page!.nextPageToken } })).rejects.toMatchObject({ name: 'ValidationError' });
    const zh = await call(svc.client, 'listCases', agent, { teamId: team, textQuery: '态度' });
    const en = await call(svc.client, 'listCases', agent, { teamId: team, textQuery: 'rude staff' });
    expect(zh.cases.map((c) => c.id)).toEqual([ids[2]]);
    expect(en.cases.map((c) => c.id)).toEqual([ids[2]]);
    await call(svc.client, 'assignCase', agent2, { caseId: ids[0]! });
    const mine = await call(svc.client, 'listCases', agent2, { ownerAgentId: 'agent-2', orderBy: 'due_time' });
    expect(mine.cases.map((c) => c.id)).toEqual([ids[0]]);
    const byFlight = await call(svc.client, 'listCases', agent, { flight });
    expect(byFlight.cases.length).toBeGreaterThan(0);
  });

  it('merges a duplicate: the source is archived and the target timeline includes both', async () => {
    const a = (await open()).case!;
    const b = (await open()).case!;
    await call(svc.client, 'addCaseNote', agent, { caseId: a.id, body: 'customer called twice', visibility: C.NoteVisibility.NOTE_VISIBILITY_INTERNAL });
    const merged = (await call(svc.client, 'mergeCases', agent, { sourceCaseId: a.id, targetCaseId: b.id, reason: 'same bag' })).case!;
    expect(merged.linksToCases).toEqual([{ caseId: a.id, kind: C.CaseLinkKind.CASE_LINK_KIND_MERGED }]);
    const src = (await call(svc.client, 'getCase', agent, { caseId: a.id })).case!;
    expect(src.state).toBe(C.CaseState.CASE_STATE_ARCHIVED);
    expect(src.mergedIntoCaseId).toBe(b.id);
    const timeline = (await call(svc.client, 'listCaseActivities', agent, { caseId: b.id })).activities;
    expect(timeline.filter((x) => x.type === 'opened')).toHaveLength(2);
    expect(timeline.some((x) => x.body === 'customer called twice')).toBe(true);
  });
});

describe('knowledge base (zh and en)', () => {
  it('versions articles, finds them in Chinese and English, and suggests them for a case', async () => {
    const zh = (await call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { title: '行李丢失怎么办', summary: '行李延误或丢失的处理流程与赔偿标准', body: '请在到达机场的行李查询柜台登记,我们会在21天内查找。', language: 'zh-CN', categoryCode: 'baggage.lost', audience: C.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER } })).article!;
    const en = (await call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { title: 'Lost baggage', summary: 'What to do when your bag does not arrive', body: 'Report it at the baggage services desk; we trace bags for 21 days.', language: 'en', categoryCode: 'baggage.lost', audience: C.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER } })).article!;
    await call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { title: 'Delay rights under EU 261', summary: 'Compensation for delays', body: 'Arrival delays of 3 hours or more...', language: 'en', categoryCode: 'flight.delay', audience: C.KnowledgeAudience.KNOWLEDGE_AUDIENCE_AGENT } });
    const v2 = (await call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { ...en, body: `${en.body} Keep your bag tag.` }, expectedVersion: 1 })).article!;
    expect(v2.version).toBe(2);
    await expect(call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { ...en }, expectedVersion: 1 })).rejects.toMatchObject({ name: 'VersionConflictError' });

    const zhHits = (await call(svc.client, 'searchKnowledge', agent, { query: '丢失的行李' })).hits;
    expect(zhHits[0]?.article?.id).toBe(zh.id);
    const enHits = (await call(svc.client, 'searchKnowledge', agent, { query: 'lost bags' })).hits;
    expect(enHits[0]?.article?.id).toBe(en.id);
    expect(enHits[0]?.snippet).toContain('bag');
    const passenger = await tokens.as('p9', ['passenger'], PAX[2]);
    const forPassenger = (await call(svc.client, 'searchKnowledge', passenger, { query: 'delay compensation' })).hits;
    expect(forPassenger.every((h) => h.article?.audience === C.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER)).toBe(true);
    const c = (await open()).case!;
    const suggested = (await call(svc.client, 'suggestKnowledge', agent, { caseId: c.id })).hits.map((h) => h.article?.id);
    expect(suggested.slice(0, 2).sort()).toEqual([zh.id, en.id].sort());
  });
});

describe('compensation with miles through loyalty (gRPC contract)', () => {
  it('a grant retried 3 times yields exactly one loyalty credit and one event', async () => {
    const c = (await open({ passengerId: PAX[1] })).case!;
    const req = { caseId: c.id, miles: 800, reason: 'bag delivered 3 days late', idempotencyKey: `comp-${uid()}` };
    // The first answer from loyalty is lost after it booked the credit; the client retries UNAVAILABLE itself.
    const first = await call(svc.client, 'grantCompensation', agent, req);
    const [second, third] = await Promise.all([call(svc.client, 'grantCompensation', agent, req), call(svc.client, 'grantCompensation', agent, req)]);
    expect(credits.size).toBe(1);
    const [credit] = [...credits.values()];
    for (const r of [first, second, third]) {
      expect(r.compensation).toMatchObject({ id: first.compensation!.id, miles: 800, status: C.CompensationStatus.COMPENSATION_STATUS_GRANTED, loyaltyTransactionId: credit!.id });
    }
    const events = await sql.query(`SELECT 1 FROM outbox WHERE aggregate_id = $1 AND event_type = 'csm.cases.case.compensation_granted.v1'`, [c.id]);
    expect(events.rowCount).toBe(1);
    const after = (await call(svc.client, 'getCase', agent, { caseId: c.id })).case!;
    expect(after.compensations).toHaveLength(1);
    await expect(call(svc.client, 'grantCompensation', agent, { ...req, miles: 900 })).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('enforces approval limits by role, and records vouchers by reference', async () => {
    const c = (await open({ passengerId: PAX[1] })).case!;
    await expect(call(svc.client, 'grantCompensation', agent, { caseId: c.id, miles: 20_000, reason: 'big', idempotencyKey: `x-${uid()}` })).rejects.toMatchObject({ name: 'PermissionDeniedError' });
    const ok = await call(svc.client, 'grantCompensation', supervisor, { caseId: c.id, miles: 20_000, reason: 'big', idempotencyKey: `x-${uid()}` });
    expect(ok.compensation?.status).toBe(C.CompensationStatus.COMPENSATION_STATUS_GRANTED);
    const voucher = await call(svc.client, 'grantCompensation', agent, { caseId: c.id, compensationKind: C.CompensationKind.COMPENSATION_KIND_VOUCHER, amount: { amountMinor: 20_000, currencyCode: 'CNY' }, reference: 'VCH-2026-001', reason: 'meal', idempotencyKey: `v-${uid()}` });
    expect(voucher.compensation).toMatchObject({ compensationKind: C.CompensationKind.COMPENSATION_KIND_VOUCHER, reference: 'VCH-2026-001', amount: { amountMinor: 20_000, currencyCode: 'CNY' } });
  });
});

describe('proactive care from csm.flight.v1', () => {
  it('a delayed-flight event for a flight with 3 known passengers opens 3 cases; replaying it opens none more', async () => {
    const bus = createKafkaEventBus({ brokers: testInfra().kafkaBrokers, clientId: `cases-test-${uid()}`, logger: silent });
    try {
      const spec = eventCodec('csm.flight.flight.delayed.v1');
      const payload = spec.codec.fromPartial({
        flight: { flightId: `flt_${uid()}`, flight, origin: 'PEK', destination: 'FRA', greatCircleDistanceKm: 7800, departureDelayMinutes: 200, arrivalDelayMinutes: 250 },
        delayMinutes: 200,
        reasons: [{ code: '41', description: 'aircraft defect', minutes: 200 }],
      });
      const event = createEvent({ source: sourceForDomain('flight'), type: spec.type, subject: spec.aggregateId(payload), data: spec.toJSON(payload) as EventData });
      await bus.publish([{ topic: TOPICS.flight, event }]);
      const count = async () => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE flight_key = $1 AND channel = $2`, [`${flight.carrier}${flight.number}/${flight.date}`, C.Channel.CHANNEL_PROACTIVE])).rows[0]?.n);
      await waitFor(async () => expect(await count()).toBe(3));
      const list = await call(svc.client, 'listCases', agent, { flight, channels: [C.Channel.CHANNEL_PROACTIVE] });
      expect(list.cases.map((c) => c.passengerId).sort()).toEqual([...PAX].sort());
      expect(list.cases[0]?.disruption).toMatchObject({ compensationEligible: true, compensationAmount: { amountMinor: 60_000, currencyCode: 'EUR' }, regulation: 'eu261', delayMinutes: 250 });
      // Replay: the same event again, and a re-emission with a new id for the same flight.
      const calls = manifestCalls;
      const again = createEvent({ source: sourceForDomain('flight'), type: spec.type, subject: spec.aggregateId(payload), data: spec.toJSON(payload) as EventData });
      await bus.publish([{ topic: TOPICS.flight, event }, { topic: TOPICS.flight, event: again }]);
      await waitFor(async () => expect(manifestCalls).toBeGreaterThan(calls)); // the re-emission was processed
      await waitFor(async () => {
        const n = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM processed_events WHERE event_id = ANY($1::text[])`, [[event.id, again.id]]);
        expect(Number(n.rows[0]?.n)).toBe(2);
      });
      expect(await count()).toBe(3);
    } finally {
      await bus.close();
    }
  });
});

async function waitFor(check: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
