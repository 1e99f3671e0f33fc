import { cases } from '@csm/contracts';
import type { DemoClients } from './clients';
import { CARRIER } from './data-flights';
import { AGENTS, CASES, type CaseSeed } from './data-cases';
import { addDays } from './dates';
import type { DemoCase } from './manifest';

const S = cases.CaseState;
/** Position along the linear demo path NEW → … → CLOSED (PENDING_CUSTOMER is a side step of INVESTIGATING). */
const RANK: Record<number, number> = {
  [S.CASE_STATE_NEW]: 0,
  [S.CASE_STATE_ACKNOWLEDGED]: 1,
  [S.CASE_STATE_INVESTIGATING]: 2,
  [S.CASE_STATE_PENDING_CUSTOMER]: 3,
  [S.CASE_STATE_RESOLVED]: 4,
  [S.CASE_STATE_FOLLOW_UP]: 5,
  [S.CASE_STATE_CLOSED]: 6,
};
const rank = (s: cases.CaseState) => RANK[s] ?? 99;

/** The agents of the contact centre, registered by a supervisor (an upsert by agent id). */
export async function seedAgents(c: DemoClients): Promise<string[]> {
  for (const agent of AGENTS) await c.call(c.cases, 'upsertAgent', { agent }, 'supervisor');
  return AGENTS.map((a) => a.agentId);
}

/**
 * Each case is taken from intake to its target state through the workflow API, the way agents work it. Resumable:
 * intake is idempotent by key, and every later step first checks whether the case already got there (a crashed
 * seed continues from where the case stands); compensation is idempotent by key end to end (cases → loyalty).
 */
export async function seedCases(c: DemoClients, passengers: ReadonlyMap<string, string>, anchor: string): Promise<DemoCase[]> {
  const out: DemoCase[] = [];
  for (const seed of CASES) out.push(await workCase(c, seed, passengers, anchor));
  return out;
}

async function workCase(c: DemoClients, seed: CaseSeed, passengers: ReadonlyMap<string, string>, anchor: string): Promise<DemoCase> {
  const passengerId = passengers.get(seed.passengerKey);
  if (!passengerId) throw new Error(`demo seed: no passenger ${seed.passengerKey}`);
  // Self-service channels: the passenger files it; the others: the agent taking the call or mail.
  const selfService = seed.channel === cases.Channel.CHANNEL_APP || seed.channel === cases.Channel.CHANNEL_WEB;
  const passengerToken = await c.passengerToken(passengerId);
  const opened = await c.call(
    c.cases,
    'openCase',
    cases.OpenCaseRequest.fromPartial({
      channel: seed.channel,
      kind: seed.kind,
      subject: seed.subject,
      description: seed.description,
      language: seed.language,
      passengerId,
      links: { ...(seed.flight ? { flight: { carrier: CARRIER, number: seed.flight.number, date: addDays(anchor, seed.flight.dayOffset) } } : {}), baggageRef: seed.baggageRef ?? '' },
      idempotencyKey: `demo-case-${seed.key}`,
      customerGrade: seed.customerGrade ?? '',
    }),
    selfService ? passengerToken : seed.worker,
  );
  const id = opened.case?.id ?? '';
  let kase = await get(c, id);
  const as = seed.worker;

  if (seed.target !== S.CASE_STATE_NEW) {
    if (kase.classification?.categoryCode !== seed.category || kase.classification.impact !== seed.impact) {
      kase = must((await c.call(c.cases, 'classifyCase', { caseId: id, categoryCode: seed.category, impact: seed.impact, expectedVersion: version(kase), overrideReason: '' }, as)).case);
    }
    if (kase.assignment?.ownerAgentId === '' || kase.assignment === undefined) {
      kase = must((await c.call(c.cases, 'assignCase', { caseId: id, agentId: '', teamId: seed.team, tier: seed.tier, expectedVersion: version(kase) }, as)).case);
    }
  }
  const step = async (target: cases.CaseState, extra: Partial<cases.TransitionCaseRequest> = {}) => {
    if (rank(kase.state) >= rank(target)) return;
    kase = must((await c.call(c.cases, 'transitionCase', cases.TransitionCaseRequest.fromPartial({ caseId: id, targetState: target, expectedVersion: version(kase), ...extra }), as)).case);
  };
  const target = seed.target;
  if (rank(target) >= rank(S.CASE_STATE_ACKNOWLEDGED)) await step(S.CASE_STATE_ACKNOWLEDGED, { comment: 'received, looking into it' });
  if (rank(target) >= rank(S.CASE_STATE_INVESTIGATING)) await step(S.CASE_STATE_INVESTIGATING, { comment: 'checking the records' });
  if (target === S.CASE_STATE_PENDING_CUSTOMER) await step(S.CASE_STATE_PENDING_CUSTOMER, { comment: 'asked the passenger for the booking confirmation of the special meal' });
  if (seed.compensationMiles !== undefined && !kase.compensations.some((x) => x.status === cases.CompensationStatus.COMPENSATION_STATUS_GRANTED)) {
    await c.call(c.cases, 'grantCompensation', cases.GrantCompensationRequest.fromPartial({ caseId: id, miles: seed.compensationMiles, reason: 'service recovery for the delay', idempotencyKey: `demo-comp-${seed.key}` }), as);
    kase = await get(c, id);
  }
  if (rank(target) >= rank(S.CASE_STATE_RESOLVED) && seed.resolution) {
    await step(S.CASE_STATE_RESOLVED, { resolution: cases.Resolution.fromPartial(seed.resolution), comment: 'resolution sent to the customer in writing' });
  }
  if (seed.survey && kase.survey === undefined && rank(kase.state) >= rank(S.CASE_STATE_RESOLVED)) {
    await c.call(c.cases, 'recordSurvey', cases.RecordSurveyRequest.fromPartial({ caseId: id, csat: seed.survey.csat, nps: seed.survey.nps, comment: seed.survey.comment, channel: cases.Channel.CHANNEL_APP }), passengerToken);
    kase = await get(c, id);
  }
  if (rank(target) >= rank(S.CASE_STATE_FOLLOW_UP)) await step(S.CASE_STATE_FOLLOW_UP, { comment: 'follow-up call made' });
  if (target === S.CASE_STATE_CLOSED) await step(S.CASE_STATE_CLOSED, { comment: 'confirmed with the customer', ...(seed.outcome ? { satisfactionOutcome: seed.outcome } : {}) });

  return {
    key: seed.key,
    id,
    caseNumber: kase.caseNumber,
    kind: cases.caseKindToJSON(kase.kind),
    state: cases.caseStateToJSON(kase.state),
    compensated: kase.compensations.some((x) => x.status === cases.CompensationStatus.COMPENSATION_STATUS_GRANTED),
    surveyed: kase.survey !== undefined,
  };
}

async function get(c: DemoClients, caseId: string): Promise<cases.Case> {
  return must((await c.call(c.cases, 'getCase', { caseId }, 'supervisor')).case);
}

const version = (k: cases.Case) => k.audit?.version ?? 0;

function must(k: cases.Case | undefined): cases.Case {
  if (!k) throw new Error('demo seed: the cases service returned no case');
  return k;
}
