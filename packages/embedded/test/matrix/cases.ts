import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the case routes (DOMAIN.md roles; the cases service enforces the same): agents and
// supervisors work cases; ops and analysts may read them (disruption handling, reporting); a passenger opens
// complaints and reads, messages and rates their OWN cases; partners have no access. Agent registration is for
// supervisors. Categories are public reference data for every signed-in caller.
// Passenger entries use demo.caseId, which must be one of the demo passenger's own cases.
const AGENTS: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'];
const READERS: MatrixRole[] = [...AGENTS, 'ops', 'analyst'];
const SIGNED_IN: MatrixRole[] = [...READERS, 'passenger', 'partner'];
/** A syntactically valid case id that does not exist: every write of the workflow targets it (404 when allowed). */
const NO_SUCH_CASE = 'case_00000000000000000000000000';
const caseId = (demo: Record<string, unknown>) => String(demo['caseId'] ?? 'case_01HZY3K6W0Q8X2N4M5P7R9T1VB');
const onMissing = (sub: string) => () => ({ path: `/cases/${NO_SUCH_CASE}/${sub}` });

export const casesMatrix: MatrixEntry[] = [
  {
    operationId: 'openCase',
    method: 'post',
    allow: [...AGENTS, 'passenger'],
    request: (demo) => ({
      path: '/cases',
      body: {
        channel: 'CHANNEL_WEB',
        kind: 'CASE_KIND_INQUIRY',
        subject: 'Matrix check',
        description: 'Authorization matrix probe.',
        language: 'en',
        passengerId: String(demo['passengerId'] ?? 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB'),
      },
    }),
  },
  { operationId: 'listCases', method: 'get', allow: [...READERS, 'passenger'], request: () => ({ path: '/cases', query: { pageSize: '5' } }) },
  { operationId: 'getCase', method: 'get', allow: [...READERS, 'passenger'], request: (demo) => ({ path: `/cases/${caseId(demo)}` }) },
  { operationId: 'getCaseByNumber', method: 'get', allow: [...READERS, 'passenger'], request: (demo) => ({ path: `/cases/by-number/${String(demo['caseNumber'] ?? 'CS-2026-000001')}` }) },
  { operationId: 'classifyCase', method: 'put', allow: AGENTS, request: () => ({ ...onMissing('classification')(), body: { categoryCode: 'flight.delay', impact: 'IMPACT_MINOR' } }) },
  { operationId: 'transitionCase', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('transitions')(), body: { targetState: 'CASE_STATE_ACKNOWLEDGED' } }) },
  { operationId: 'assignCase', method: 'put', allow: AGENTS, request: () => ({ ...onMissing('assignment')(), body: {} }) },
  { operationId: 'handOverCase', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('hand-overs')(), body: { toAgentId: 'agent-matrix' } }) },
  { operationId: 'transferCase', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('transfers')(), body: { tier: 'SUPPORT_TIER_L2', reason: 'matrix' } }) },
  { operationId: 'escalateCase', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('escalations')(), body: { level: 'ESCALATION_LEVEL_TEAM', reason: 'matrix' } }) },
  { operationId: 'addCaseNote', method: 'post', allow: [...AGENTS, 'passenger'], request: () => ({ ...onMissing('notes')(), body: { body: 'matrix', visibility: 'NOTE_VISIBILITY_CUSTOMER' } }) },
  { operationId: 'grantCompensation', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('compensations')(), body: { miles: 100, reason: 'matrix' } }) },
  { operationId: 'recordCaseSurvey', method: 'put', allow: [...AGENTS, 'passenger'], request: () => ({ ...onMissing('survey')(), body: { csat: 5 } }) },
  { operationId: 'listCaseSlaDeadlines', method: 'get', allow: [...READERS, 'passenger'], request: (demo) => ({ path: `/cases/${caseId(demo)}/sla-deadlines` }) },
  { operationId: 'listSlaDeadlines', method: 'get', allow: READERS, request: () => ({ path: '/sla-deadlines' }) },
  { operationId: 'listCaseActivities', method: 'get', allow: [...READERS, 'passenger'], request: (demo) => ({ path: `/cases/${caseId(demo)}/activities` }) },
  { operationId: 'listCaseCategories', method: 'get', allow: SIGNED_IN, request: () => ({ path: '/case-categories' }) },
  { operationId: 'routeCase', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('routing')(), body: {} }) },
  { operationId: 'linkCases', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('links')(), body: { otherCaseId: 'case_00000000000000000000000001', kind: 'CASE_LINK_KIND_RELATED' } }) },
  { operationId: 'mergeCases', method: 'post', allow: AGENTS, request: () => ({ ...onMissing('merge')(), body: { targetCaseId: 'case_00000000000000000000000001', reason: 'matrix' } }) },
  {
    operationId: 'upsertAgent',
    method: 'put',
    allow: ['supervisor', 'admin'],
    request: () => ({ path: '/agents/agent-matrix', body: { teamId: 'matrix', tier: 'SUPPORT_TIER_L1', active: false } }),
  },
];
