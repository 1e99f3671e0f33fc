import { cases } from '@csm/contracts';
import { fakeBackend, fields, send, startGateway, type FakeBackend, type Gateway } from './support/routes-fake-backend';

// Case and knowledge routes against a canned CaseService: request mapping, proto3 JSON answers, validation
// problems naming the field, role checks mirroring the cases service, and a passenger's own-case rules.
const PAX = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const OTHER = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VC';
const CASE = 'case_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const CASE2 = 'case_01HZY3K6W0Q8X2N4M5P7R9T1VC';
const ARTICLE = 'kb_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const theCase = cases.Case.fromPartial({ id: CASE, caseNumber: 'CS-2026-000123', state: cases.CaseState.CASE_STATE_NEW, passengerId: PAX, kind: cases.CaseKind.CASE_KIND_COMPLAINT });
const caseRes = () => ({ case: theCase });
const article = cases.KnowledgeArticle.fromPartial({ id: ARTICLE, title: 'Delay rights', language: 'en', audience: cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER, version: 2 });

let backend: FakeBackend;
let gw: Gateway;
let agent: string;
let supervisor: string;
let self: string;
let ops: string;

beforeAll(async () => {
  backend = await fakeBackend('cases', cases.CaseServiceService, {
    openCase: () => cases.OpenCaseResponse.fromPartial({ case: theCase, replayed: false }),
    getCase: caseRes,
    listCases: () => cases.ListCasesResponse.fromPartial({ cases: [theCase], page: { nextPageToken: 'n2' } }),
    classifyCase: caseRes,
    transitionCase: caseRes,
    assignCase: caseRes,
    handOverCase: caseRes,
    transferCase: caseRes,
    escalateCase: caseRes,
    addCaseNote: (r: cases.AddCaseNoteRequest) => cases.AddCaseNoteResponse.fromPartial({ note: { id: 'note_1', body: r.body, visibility: r.visibility } }),
    grantCompensation: (r: cases.GrantCompensationRequest) => cases.GrantCompensationResponse.fromPartial({ compensation: { id: 'comp_1', miles: r.miles, status: cases.CompensationStatus.COMPENSATION_STATUS_GRANTED } }),
    recordSurvey: (r: cases.RecordSurveyRequest) => cases.RecordSurveyResponse.fromPartial({ survey: { csat: r.csat, nps: r.nps } }),
    listSlaDeadlines: () => cases.ListSlaDeadlinesResponse.fromPartial({ deadlines: [{ caseId: CASE, deadline: { kind: cases.SlaKind.SLA_KIND_RESOLUTION, state: cases.SlaState.SLA_STATE_RUNNING } }] }),
    listCaseActivities: () => cases.ListCaseActivitiesResponse.fromPartial({ activities: [{ id: 'act_1', type: 'opened' }] }),
    listCategories: () => cases.ListCategoriesResponse.fromPartial({ categories: [{ code: 'flight.delay', parentCode: 'flight', nameEn: 'Delay', nameZh: '延误' }] }),
    routeCase: caseRes,
    linkCases: caseRes,
    mergeCases: caseRes,
    upsertAgent: (r: cases.UpsertAgentRequest) => cases.UpsertAgentResponse.fromPartial({ agent: r.agent }),
    searchKnowledge: () => cases.SearchKnowledgeResponse.fromPartial({ hits: [{ article, score: 1.5, snippet: 'delay' }] }),
    getKnowledgeArticle: () => cases.GetKnowledgeArticleResponse.fromPartial({ article }),
    upsertKnowledgeArticle: (r: cases.UpsertKnowledgeArticleRequest) => cases.UpsertKnowledgeArticleResponse.fromPartial({ article: { ...r.article, id: r.article?.id || ARTICLE } }),
    suggestKnowledge: () => cases.SuggestKnowledgeResponse.fromPartial({ hits: [{ article, score: 1 }] }),
  });
  gw = await startGateway({ cases: backend.address });
  agent = await gw.token(['agent_l1']);
  supervisor = await gw.token(['supervisor']);
  self = await gw.token(['passenger'], { sub: PAX, profileId: PAX });
  ops = await gw.token(['ops']);
});
afterAll(async () => {
  await gw.close();
  await backend.server.shutdown({ graceMs: 50 });
});
beforeEach(() => {
  backend.calls.length = 0;
});
const last = () => backend.calls[backend.calls.length - 1];

const complaint = {
  channel: 'CHANNEL_WEB',
  kind: 'CASE_KIND_COMPLAINT',
  subject: 'Delayed 5 hours',
  description: 'CA1234 was delayed five hours and nobody told us.',
  language: 'en',
  links: { flight: { carrier: 'CA', number: '1234', date: '2026-11-20' }, bookingRef: 'ABC123' },
  impact: 'IMPACT_MODERATE',
};

describe('case routes', () => {
  it('opens a case: enums by name, Idempotency-Key header required and passed as the request key, 201', async () => {
    const res = await send(gw, 'post', '/cases', { token: agent, headers: { 'idempotency-key': 'open-00000001' }, body: { ...complaint, passengerId: OTHER } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(cases.OpenCaseResponse.toJSON({ case: theCase, replayed: false }));
    const req = last()?.request as cases.OpenCaseRequest;
    expect(req).toMatchObject({ channel: cases.Channel.CHANNEL_WEB, kind: cases.CaseKind.CASE_KIND_COMPLAINT, idempotencyKey: 'open-00000001', passengerId: OTHER, impact: cases.Impact.IMPACT_MODERATE, links: { flight: { carrier: 'CA', number: '1234', date: '2026-11-20' }, bookingRef: 'ABC123' } });
    expect(last()?.idempotencyKey).toBe('open-00000001');

    const noKey = await send(gw, 'post', '/cases', { token: agent, body: complaint });
    expect(noKey.status).toBe(400);
    expect(fields(noKey)).toEqual(['header.idempotency-key']);
    const bad = await send(gw, 'post', '/cases', { token: agent, headers: { 'idempotency-key': 'open-00000002' }, body: { ...complaint, channel: 'WEB', subject: '', links: { bookingRef: 'x' }, extra: 1 } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.channel', 'body.subject', 'body.links.bookingRef', 'body.extra']));
  });

  it('a passenger opens a case for themself only (profile filled in), never for someone else', async () => {
    const mine = await send(gw, 'post', '/cases', { token: self, headers: { 'idempotency-key': 'open-00000003' }, body: complaint });
    expect(mine.status).toBe(201);
    expect((last()?.request as cases.OpenCaseRequest).passengerId).toBe(PAX);
    backend.calls.length = 0;
    expect((await send(gw, 'post', '/cases', { token: self, headers: { 'idempotency-key': 'open-00000004' }, body: { ...complaint, passengerId: OTHER } })).status).toBe(403);
    expect((await send(gw, 'post', '/cases', { token: ops, headers: { 'idempotency-key': 'open-00000005' }, body: complaint })).status).toBe(403);
    expect((await send(gw, 'post', '/cases', { body: complaint })).status).toBe(401);
    expect(backend.calls).toHaveLength(0);
  });

  it('lists with filters; a passenger lists their own only', async () => {
    const res = await send(gw, 'get', `/cases?states=CASE_STATE_NEW,CASE_STATE_REOPENED&severities=SEVERITY_SERIOUS&flightCarrier=CA&flightNumber=1234&flightDate=2026-11-20&slaBreachedOnly=true&orderBy=due_time&openedFrom=2026-11-01T00:00:00Z&pageSize=10`, { token: await gw.token(['analyst']) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cases: [{ id: CASE }], page: { nextPageToken: 'n2' } });
    expect(last()?.request).toMatchObject({
      states: [cases.CaseState.CASE_STATE_NEW, cases.CaseState.CASE_STATE_REOPENED],
      severities: [cases.Severity.SEVERITY_SERIOUS],
      flight: { carrier: 'CA', number: '1234', date: '2026-11-20' },
      slaBreachedOnly: true,
      orderBy: 'due_time',
      openTime: { startTime: new Date('2026-11-01T00:00:00Z') },
      page: { pageSize: 10, pageToken: '' },
    });
    await send(gw, 'get', '/cases', { token: self });
    expect((last()?.request as cases.ListCasesRequest).passengerId).toBe(PAX);
    expect((await send(gw, 'get', `/cases?passengerId=${OTHER}`, { token: self })).status).toBe(403);
    const bad = await send(gw, 'get', '/cases?states=OPEN&orderBy=random&slaBreachedOnly=yes', { token: agent });
    expect(fields(bad)).toEqual(expect.arrayContaining(['query.states.0', 'query.orderBy', 'query.slaBreachedOnly']));
    expect((await send(gw, 'get', '/cases', { token: await gw.token(['partner'], { partnerCode: 'ZZ' }) })).status).toBe(403);
  });

  it('gets by id or by case number', async () => {
    expect((await send(gw, 'get', `/cases/${CASE}`, { token: self })).body).toEqual({ case: cases.Case.toJSON(theCase) });
    expect(last()?.request).toEqual({ caseId: CASE });
    await send(gw, 'get', '/cases/by-number/CS-2026-000123', { token: agent });
    expect(last()?.request).toEqual({ caseNumber: 'CS-2026-000123' });
    expect(fields(await send(gw, 'get', '/cases/by-number/123', { token: agent }))).toEqual(['path.caseNumber']);
    expect(fields(await send(gw, 'get', '/cases/case_1', { token: agent }))).toEqual(['path.caseId']);
  });

  it('workflow operations map their bodies and are for agents only', async () => {
    const steps: [string, string, unknown, string, Record<string, unknown>][] = [
      ['put', 'classification', { categoryCode: 'flight.delay', impact: 'IMPACT_MAJOR', severityOverride: 'SEVERITY_SEVERE', overrideReason: 'media', expectedVersion: 2 }, 'classifyCase', { categoryCode: 'flight.delay', impact: cases.Impact.IMPACT_MAJOR, severityOverride: cases.Severity.SEVERITY_SEVERE, overrideReason: 'media', expectedVersion: 2 }],
      ['post', 'transitions', { targetState: 'CASE_STATE_RESOLVED', resolution: { code: 'compensated', summary: 'miles granted' } }, 'transitionCase', { targetState: cases.CaseState.CASE_STATE_RESOLVED, resolution: { code: 'compensated', summary: 'miles granted' } }],
      ['put', 'assignment', { teamId: 'cc-pek', tier: 'SUPPORT_TIER_L1' }, 'assignCase', { agentId: '', teamId: 'cc-pek', tier: cases.SupportTier.SUPPORT_TIER_L1 }],
      ['post', 'hand-overs', { toAgentId: 'agent-2', note: 'please call back' }, 'handOverCase', { toAgentId: 'agent-2', note: 'please call back' }],
      ['post', 'transfers', { tier: 'SUPPORT_TIER_L3', reason: 'baggage', department: 'baggage_services' }, 'transferCase', { tier: cases.SupportTier.SUPPORT_TIER_L3, department: 'baggage_services' }],
      ['post', 'escalations', { level: 'ESCALATION_LEVEL_MANAGEMENT', reason: 'VIP' }, 'escalateCase', { level: cases.EscalationLevel.ESCALATION_LEVEL_MANAGEMENT }],
      ['post', 'routing', {}, 'routeCase', { caseId: CASE }],
      ['post', 'links', { otherCaseId: CASE2, kind: 'CASE_LINK_KIND_DUPLICATE' }, 'linkCases', { otherCaseId: CASE2, kind: cases.CaseLinkKind.CASE_LINK_KIND_DUPLICATE }],
      ['post', 'merge', { targetCaseId: CASE2, reason: 'same complaint' }, 'mergeCases', { sourceCaseId: CASE, targetCaseId: CASE2 }],
    ];
    for (const [method, sub, body, op, expected] of steps) {
      const res = await send(gw, method, `/cases/${CASE}/${sub}`, { token: agent, body });
      expect([sub, res.status]).toEqual([sub, 200]);
      expect(res.body).toEqual({ case: cases.Case.toJSON(theCase) });
      expect(last()?.method).toBe(op);
      expect(last()?.request).toMatchObject(expected);
      for (const token of [self, ops]) expect([sub, (await send(gw, method, `/cases/${CASE}/${sub}`, { token, body })).status]).toEqual([sub, 403]);
    }
    expect(fields(await send(gw, 'post', `/cases/${CASE}/transitions`, { token: agent, body: { targetState: 'DONE' } }))).toEqual(['body.targetState']);
  });

  it('notes: staff default INTERNAL, a passenger defaults to CUSTOMER', async () => {
    const staff = await send(gw, 'post', `/cases/${CASE}/notes`, { token: agent, body: { body: 'called the station' } });
    expect(staff.status).toBe(201);
    expect(last()?.request).toEqual({ caseId: CASE, body: 'called the station', visibility: cases.NoteVisibility.NOTE_VISIBILITY_INTERNAL });
    await send(gw, 'post', `/cases/${CASE}/notes`, { token: self, body: { body: 'any news?' } });
    expect(last()?.request).toEqual({ caseId: CASE, body: 'any news?', visibility: cases.NoteVisibility.NOTE_VISIBILITY_CUSTOMER });
    expect((await send(gw, 'post', `/cases/${CASE}/notes`, { token: ops, body: { body: 'x' } })).status).toBe(403);
  });

  it('compensation: agents, Idempotency-Key required and passed on', async () => {
    const res = await send(gw, 'post', `/cases/${CASE}/compensations`, { token: agent, headers: { 'idempotency-key': 'comp-00000001' }, body: { miles: 2000, reason: 'delay goodwill' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ compensation: { id: 'comp_1', miles: 2000, status: 'COMPENSATION_STATUS_GRANTED' } });
    expect(last()?.request).toMatchObject({ caseId: CASE, miles: 2000, reason: 'delay goodwill', idempotencyKey: 'comp-00000001' });
    expect(fields(await send(gw, 'post', `/cases/${CASE}/compensations`, { token: agent, body: { miles: 2000, reason: 'x' } }))).toEqual(['header.idempotency-key']);
    expect(fields(await send(gw, 'post', `/cases/${CASE}/compensations`, { token: agent, headers: { 'idempotency-key': 'comp-00000002' }, body: { miles: -5, reason: 'x' } }))).toEqual(['body.miles']);
    expect((await send(gw, 'post', `/cases/${CASE}/compensations`, { token: self, headers: { 'idempotency-key': 'comp-00000003' }, body: { miles: 10, reason: 'x' } })).status).toBe(403);
  });

  it('survey (passenger or agent), SLA deadlines, activities, categories', async () => {
    const s = await send(gw, 'put', `/cases/${CASE}/survey`, { token: self, body: { csat: 4, nps: 9, channel: 'CHANNEL_APP' } });
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ survey: { csat: 4, nps: 9 } });
    expect(last()?.request).toMatchObject({ caseId: CASE, csat: 4, nps: 9, channel: cases.Channel.CHANNEL_APP });
    expect(fields(await send(gw, 'put', `/cases/${CASE}/survey`, { token: self, body: { csat: 6 } }))).toEqual(['body.csat']);
    expect(fields(await send(gw, 'put', `/cases/${CASE}/survey`, { token: self, body: {} }))).toEqual(['body.csat']);

    expect((await send(gw, 'get', `/cases/${CASE}/sla-deadlines`, { token: self })).body).toMatchObject({ deadlines: [{ caseId: CASE, deadline: { kind: 'SLA_KIND_RESOLUTION' } }] });
    expect(last()?.request).toMatchObject({ caseId: CASE });
    await send(gw, 'get', '/sla-deadlines?teamId=cc-pek&states=SLA_STATE_WARNING&dueTo=2026-12-01T00:00:00Z', { token: ops });
    expect(last()?.request).toMatchObject({ caseId: '', teamId: 'cc-pek', states: [cases.SlaState.SLA_STATE_WARNING], dueTime: { endTime: new Date('2026-12-01T00:00:00Z') } });
    expect((await send(gw, 'get', '/sla-deadlines', { token: self })).status).toBe(403);

    expect((await send(gw, 'get', `/cases/${CASE}/activities?pageSize=50`, { token: agent })).body).toMatchObject({ activities: [{ id: 'act_1', type: 'opened' }] });
    expect(last()?.request).toEqual({ caseId: CASE, page: { pageSize: 50, pageToken: '' } });
    expect((await send(gw, 'get', '/case-categories', { token: self })).body).toEqual({ categories: [{ code: 'flight.delay', parentCode: 'flight', nameEn: 'Delay', nameZh: '延误' }] });
    expect((await send(gw, 'get', '/case-categories')).status).toBe(401);
  });

  it('agents are registered by supervisors', async () => {
    const body = { teamId: 'cc-pek', tier: 'SUPPORT_TIER_L2', languages: ['zh', 'en'], categories: ['baggage'], vip: true, maxOpenCases: 12 };
    expect((await send(gw, 'put', '/agents/agent-7', { token: agent, body })).status).toBe(403);
    const res = await send(gw, 'put', '/agents/agent-7', { token: supervisor, body });
    expect(res.status).toBe(200);
    expect(last()?.request).toEqual({ agent: { agentId: 'agent-7', teamId: 'cc-pek', tier: cases.SupportTier.SUPPORT_TIER_L2, languages: ['zh', 'en'], categories: ['baggage'], vip: true, maxOpenCases: 12, active: true, openCases: 0 } });
  });
});

describe('knowledge routes', () => {
  it('search and get: staff and passengers', async () => {
    const res = await send(gw, 'get', '/knowledge/articles?q=delay%20compensation&language=zh-CN&categoryCode=flight.delay&pageSize=5', { token: self });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ hits: [{ article: cases.KnowledgeArticle.toJSON(article), score: 1.5, snippet: 'delay' }] });
    expect(last()?.request).toEqual(cases.SearchKnowledgeRequest.fromPartial({ query: 'delay compensation', language: 'zh-CN', categoryCode: 'flight.delay', page: { pageSize: 5, pageToken: '' } }));
    expect(fields(await send(gw, 'get', '/knowledge/articles?audience=ALL', { token: agent }))).toEqual(expect.arrayContaining(['query.q', 'query.audience']));
    expect((await send(gw, 'get', `/knowledge/articles/${ARTICLE}`, { token: ops })).status).toBe(200);
    expect(last()?.request).toEqual({ articleId: ARTICLE });
    expect((await send(gw, 'get', `/knowledge/articles/${ARTICLE}`, { token: await gw.token(['partner'], { partnerCode: 'ZZ' }) })).status).toBe(403);
  });

  it('create and update: supervisors only; update needs expectedVersion', async () => {
    const body = { title: 'Delay rights', body: '# Your rights', language: 'en', audience: 'KNOWLEDGE_AUDIENCE_PASSENGER', categoryCode: 'flight.delay', tags: ['delay'] };
    expect((await send(gw, 'post', '/knowledge/articles', { token: agent, body })).status).toBe(403);
    const created = await send(gw, 'post', '/knowledge/articles', { token: supervisor, body });
    expect(created.status).toBe(201);
    expect(last()?.request).toMatchObject({ article: { id: '', title: 'Delay rights', audience: cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER }, expectedVersion: 0 });
    const updated = await send(gw, 'put', `/knowledge/articles/${ARTICLE}`, { token: supervisor, body: { ...body, expectedVersion: 2 } });
    expect(updated.status).toBe(200);
    expect(last()?.request).toMatchObject({ article: { id: ARTICLE }, expectedVersion: 2 });
    expect(fields(await send(gw, 'put', `/knowledge/articles/${ARTICLE}`, { token: supervisor, body }))).toEqual(['body.expectedVersion']);
  });

  it('suggestions for a case', async () => {
    const res = await send(gw, 'get', `/cases/${CASE}/knowledge-suggestions?pageSize=3`, { token: agent });
    expect(res.status).toBe(200);
    expect(last()?.request).toEqual({ caseId: CASE, pageSize: 3 });
    expect(fields(await send(gw, 'get', `/cases/${CASE}/knowledge-suggestions?pageSize=99`, { token: agent }))).toEqual(['query.pageSize']);
  });
});
