import { cases, common, type DeepPartial, type EventPayload, type EventType } from '@csm/contracts';
import { FailedPreconditionError, IllegalStateTransitionError, ValidationError } from '@csm/platform/errors';
import { DAY } from './clock';
import { suggestSeverity, type CustomerGrade } from './severity';
import {
  applyAction,
  cancelClock,
  isActive,
  meetClock,
  nextCheck,
  pauseClock,
  resumeClock,
  retargetClock,
  ruleFor,
  startClock,
  urgency,
  type SlaAction,
  type SlaClock,
  type SlaPolicy,
} from './sla';
import { allowedFrom, isAllowed, stateName } from './workflow';

const S = cases.CaseState;
const K = cases.SlaKind;
const L = cases.EscalationLevel;

export interface Actor {
  kind: common.ActorKind;
  id: string;
}

export const SYSTEM_ACTOR: Actor = { kind: common.ActorKind.ACTOR_KIND_SYSTEM, id: 'cases-sla' };

export interface FlightKey {
  carrier: string;
  number: string;
  date: string;
}

export interface CaseLinksRec {
  flight: FlightKey | null;
  bookingRef: string;
  baggageRef: string;
  airWaybill: string;
  ticketNumber: string;
}

export interface AttachmentRec {
  id: string;
  uri: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export interface CompensationRec {
  id: string;
  kind: cases.CompensationKind;
  miles: number;
  amountMinor: number;
  currency: string;
  reference: string;
  reason: string;
  status: cases.CompensationStatus;
  loyaltyTransactionId: string;
  grantedBy: Actor;
  grantTime: number;
}

export interface SurveyRec {
  csat: number | null;
  nps: number | null;
  comment: string;
  channel: cases.Channel;
  recordTime: number;
}

export interface DisruptionRec {
  flightId: string;
  flight: FlightKey;
  kind: cases.DisruptionKind;
  delayMinutes: number;
  eligible: boolean;
  amountMinor: number;
  currency: string;
  regulation: string;
  reason: string;
}

/** The case aggregate (times are epoch ms). Persisted whole; actions below are its only writers. */
export interface CaseRecord {
  id: string;
  caseNumber: string;
  kind: cases.CaseKind;
  channel: cases.Channel;
  state: cases.CaseState;
  subject: string;
  description: string;
  language: string;
  passengerId: string;
  /** Contact details sealed with the PII key ring ('' when none). */
  contactEnc: string;
  links: CaseLinksRec;
  attachments: AttachmentRec[];
  tags: string[];
  customerGrade: CustomerGrade;
  regulatorReferral: boolean;
  classification: {
    categoryCode: string;
    impact: cases.Impact;
    severity: cases.Severity;
    derivedSeverity: cases.Severity;
    overridden: boolean;
    overrideReason: string;
    classifiedBy: Actor | null;
    classifyTime: number | null;
  };
  assignment: { ownerAgentId: string; teamId: string; tier: cases.SupportTier; escalationLevel: cases.EscalationLevel; acceptTime: number | null };
  department: string;
  requiredSkills: string[];
  slas: SlaClock[];
  /** Every pause of the clocks (waiting on the customer). */
  pauses: { start: number; end: number | null }[];
  resolution: { code: string; summary: string; rootCause: string; resolveTime: number; resolvedBy: Actor } | null;
  satisfactionOutcome: cases.SatisfactionOutcome;
  survey: SurveyRec | null;
  compensations: CompensationRec[];
  caseLinks: { caseId: string; kind: cases.CaseLinkKind }[];
  mergedInto: string;
  disruption: DisruptionRec | null;
  reopenCount: number;
  openTime: number;
  closeTime: number | null;
  createdBy: Actor;
  updateTime: number;
  updatedBy: Actor;
  version: number;
  /** Time of the newest timeline entry: entries are stamped max(now, this) so the timeline never goes backwards. */
  lastActivityTime: number;
}

export interface ActivityRec {
  type: string;
  summary: string;
  fromState: cases.CaseState;
  toState: cases.CaseState;
  body: string;
  visibility: cases.NoteVisibility;
  actor: Actor;
  time: number;
}

type CasesEventType = Extract<EventType, `csm.cases.${string}`>;
export type DomainEvent = { [T in CasesEventType]: { type: T; payload: DeepPartial<EventPayload<T>> } }[CasesEventType];

export interface DomainRules {
  readonly sla: SlaPolicy;
  /** How long after resolution/closure a case may be reopened. */
  readonly reopenWindowMs: number;
}

/** Collects what one action did: the new record, its timeline entries and its domain events. */
export class Change {
  readonly activities: ActivityRec[] = [];
  readonly events: DomainEvent[] = [];
  constructor(
    readonly record: CaseRecord,
    readonly now: number,
    readonly actor: Actor,
  ) {}

  /** Timeline stamp: never earlier than the newest entry, whatever the clock of this replica says. */
  stamp(): number {
    const t = Math.max(this.now, this.record.lastActivityTime);
    this.record.lastActivityTime = t;
    return t;
  }

  activity(type: string, summary: string, extra: Partial<Pick<ActivityRec, 'fromState' | 'toState' | 'body' | 'visibility'>> = {}, actor: Actor = this.actor): void {
    this.activities.push({
      type,
      summary,
      fromState: extra.fromState ?? S.CASE_STATE_UNSPECIFIED,
      toState: extra.toState ?? S.CASE_STATE_UNSPECIFIED,
      body: extra.body ?? '',
      visibility: extra.visibility ?? cases.NoteVisibility.NOTE_VISIBILITY_UNSPECIFIED,
      actor,
      time: this.stamp(),
    });
  }

  emit(e: DomainEvent): void {
    this.events.push(e);
  }

  touched(): void {
    this.record.updateTime = Math.max(this.now, this.record.updateTime);
    this.record.updatedBy = this.actor;
  }
}

function clone(r: CaseRecord): CaseRecord {
  return structuredClone(r);
}

export function actorProto(a: Actor): common.Actor {
  return { kind: a.kind, id: a.id };
}

function clock(r: CaseRecord, kind: cases.SlaKind): SlaClock | undefined {
  return r.slas.find((c) => c.kind === kind && isActive(c));
}

function subjectOf(r: CaseRecord) {
  return { kind: r.kind, severity: r.classification.severity, categoryCode: r.classification.categoryCode, grade: r.customerGrade };
}

function startKind(rules: DomainRules, ch: Change, kind: cases.SlaKind): void {
  const r = ch.record;
  const rule = ruleFor(rules.sla, kind, subjectOf(r));
  if (rule === undefined) return;
  r.slas = r.slas.filter((c) => c.kind !== kind || isActive(c));
  if (clock(r, kind)) return;
  r.slas.push(startClock(rules.sla, rule, ch.now, r.state === S.CASE_STATE_PENDING_CUSTOMER));
}

function meet(rules: DomainRules, ch: Change, kind: cases.SlaKind): void {
  const c = clock(ch.record, kind);
  if (c && meetClock(rules.sla, c, ch.now)) ch.activity('sla_met', `SLA ${slaName(kind)} met`, {}, ch.actor);
}

export function slaName(kind: cases.SlaKind): string {
  return (cases.SlaKind[kind] ?? String(kind)).replace(/^SLA_KIND_/, '');
}

export function levelName(l: cases.EscalationLevel): string {
  return (cases.EscalationLevel[l] ?? String(l)).replace(/^ESCALATION_LEVEL_/, '');
}

/** Refreshes denormalised scheduling data after any change. */
export function slaSummary(r: CaseRecord): { nextCheck: number | null; urgency: number; breached: boolean } {
  return { nextCheck: nextCheck(r.slas), urgency: urgency(r.slas), breached: r.slas.some((c) => c.breached) };
}

// ---------------------------------------------------------------------------------------------------------------
// Intake

export interface NewCase {
  id: string;
  caseNumber: string;
  kind: cases.CaseKind;
  channel: cases.Channel;
  subject: string;
  description: string;
  language: string;
  passengerId: string;
  contactEnc: string;
  links: CaseLinksRec;
  attachments: AttachmentRec[];
  tags: string[];
  customerGrade: CustomerGrade;
  regulatorReferral: boolean;
  categoryCode: string;
  impact: cases.Impact;
  disruption?: DisruptionRec | null;
}

export function openCase(rules: DomainRules, input: NewCase, now: number, actor: Actor): Change {
  const regulator = input.regulatorReferral || input.channel === cases.Channel.CHANNEL_REGULATOR;
  const record: CaseRecord = {
    id: input.id,
    caseNumber: input.caseNumber,
    kind: input.kind,
    channel: input.channel,
    state: S.CASE_STATE_NEW,
    subject: input.subject,
    description: input.description,
    language: input.language,
    passengerId: input.passengerId,
    contactEnc: input.contactEnc,
    links: input.links,
    attachments: input.attachments,
    tags: input.tags,
    customerGrade: input.customerGrade,
    regulatorReferral: regulator,
    classification: {
      categoryCode: input.categoryCode,
      impact: input.impact,
      severity: cases.Severity.SEVERITY_UNSPECIFIED,
      derivedSeverity: cases.Severity.SEVERITY_UNSPECIFIED,
      overridden: false,
      overrideReason: '',
      classifiedBy: null,
      classifyTime: null,
    },
    assignment: { ownerAgentId: '', teamId: '', tier: cases.SupportTier.SUPPORT_TIER_L1, escalationLevel: L.ESCALATION_LEVEL_UNSPECIFIED, acceptTime: null },
    department: '',
    requiredSkills: [],
    slas: [],
    pauses: [],
    resolution: null,
    satisfactionOutcome: cases.SatisfactionOutcome.SATISFACTION_OUTCOME_UNSPECIFIED,
    survey: null,
    compensations: [],
    caseLinks: [],
    mergedInto: '',
    disruption: input.disruption ?? null,
    reopenCount: 0,
    openTime: now,
    closeTime: null,
    createdBy: actor,
    updateTime: now,
    updatedBy: actor,
    version: 1,
    lastActivityTime: now,
  };
  record.requiredSkills = skillsOf(record);
  if (input.categoryCode !== '') {
    // The suggestion an agent confirms or overrides when classifying.
    record.classification.derivedSeverity = suggestSeverity({
      categoryCode: input.categoryCode,
      impact: input.impact,
      customerGrade: input.customerGrade,
      text: `${input.subject}\n${input.description}`,
      regulatorReferral: regulator,
    }).severity;
  }
  const ch = new Change(record, now, actor);
  ch.activity('opened', `${cases.CaseKind[input.kind]?.replace('CASE_KIND_', '').toLowerCase() ?? 'case'} opened via ${cases.Channel[input.channel]?.replace('CHANNEL_', '').toLowerCase() ?? 'channel'}`, { toState: S.CASE_STATE_NEW });
  startKind(rules, ch, K.SLA_KIND_CLASSIFICATION);
  startKind(rules, ch, K.SLA_KIND_FIRST_RESPONSE);
  startKind(rules, ch, K.SLA_KIND_HANDLING_START);
  startKind(rules, ch, K.SLA_KIND_RESOLUTION);
  ch.emit({
    type: 'csm.cases.case.opened.v1',
    payload: {
      caseId: record.id,
      caseNumber: record.caseNumber,
      kind: record.kind,
      channel: record.channel,
      passengerId: record.passengerId,
      ...(record.links.flight ? { flight: record.links.flight } : {}),
      categoryCode: input.categoryCode,
      language: record.language,
      openTime: new Date(now),
    },
  });
  return ch;
}

/** Skills an agent needs for the case: its language, its top-level category, VIP handling. */
export function skillsOf(r: CaseRecord): string[] {
  const skills: string[] = [];
  const lang = r.language.split('-')[0]?.toLowerCase();
  if (lang) skills.push(`language:${lang}`);
  const top = r.classification.categoryCode.split('.')[0];
  if (top) skills.push(`category:${top}`);
  if (r.customerGrade !== 'REGULAR') skills.push('vip');
  return skills;
}

// ---------------------------------------------------------------------------------------------------------------
// Classification

export interface ClassifyInput {
  categoryCode: string;
  impact: cases.Impact;
  severityOverride?: cases.Severity | undefined;
  overrideReason: string;
}

function assertNotFinal(r: CaseRecord, what: string): void {
  if (r.state === S.CASE_STATE_ARCHIVED || r.mergedInto !== '') throw new FailedPreconditionError(`case ${r.id} is archived; cannot ${what}`);
}

export function classify(rules: DomainRules, prev: CaseRecord, input: ClassifyInput, now: number, actor: Actor): Change {
  assertNotFinal(prev, 'classify it');
  if (input.severityOverride !== undefined && input.overrideReason.trim() === '') {
    throw new ValidationError([{ field: 'override_reason', description: 'is required when severity_override is set', rule: 'required' }]);
  }
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const derived = suggestSeverity({
    categoryCode: input.categoryCode,
    impact: input.impact,
    customerGrade: r.customerGrade,
    text: `${r.subject}\n${r.description}`,
    regulatorReferral: r.regulatorReferral,
  });
  const previous = r.classification.severity;
  const severity = input.severityOverride ?? derived.severity;
  r.classification = {
    categoryCode: input.categoryCode,
    impact: input.impact,
    severity,
    derivedSeverity: derived.severity,
    overridden: input.severityOverride !== undefined,
    overrideReason: input.severityOverride !== undefined ? input.overrideReason.trim() : '',
    classifiedBy: actor,
    classifyTime: now,
  };
  r.requiredSkills = skillsOf(r);
  const sevName = cases.Severity[severity]?.replace('SEVERITY_', '') ?? '';
  ch.activity(
    'classified',
    `classified ${input.categoryCode}, severity ${sevName}` + (input.severityOverride !== undefined ? ` (override: ${r.classification.overrideReason}; suggested ${cases.Severity[derived.severity]?.replace('SEVERITY_', '')})` : ` (${derived.reasons.join(', ')})`),
  );
  meet(rules, ch, K.SLA_KIND_CLASSIFICATION);
  // The resolution target follows the severity; the clock keeps its start and consumed time.
  const res = clock(r, K.SLA_KIND_RESOLUTION);
  const rule = ruleFor(rules.sla, K.SLA_KIND_RESOLUTION, subjectOf(r));
  if (res && rule) retargetClock(rules.sla, res, rule);
  ch.emit({
    type: 'csm.cases.case.classified.v1',
    payload: { caseId: r.id, categoryCode: input.categoryCode, impact: input.impact, severity, previousSeverity: previous, overridden: r.classification.overridden },
  });
  if (severity === cases.Severity.SEVERITY_CRITICAL && r.assignment.escalationLevel < L.ESCALATION_LEVEL_MANAGEMENT) {
    escalateInto(ch, L.ESCALATION_LEVEL_MANAGEMENT, cases.EscalationTrigger.ESCALATION_TRIGGER_SEVERITY, 'critical severity: management engaged immediately');
  }
  ch.touched();
  return ch;
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow

export interface TransitionInput {
  target: cases.CaseState;
  comment: string;
  resolution?: { code: string; summary: string; rootCause: string } | undefined;
  satisfactionOutcome: cases.SatisfactionOutcome;
}

export function outcomeFromSurvey(s: SurveyRec | null): cases.SatisfactionOutcome {
  const O = cases.SatisfactionOutcome;
  if (s === null) return O.SATISFACTION_OUTCOME_UNSPECIFIED;
  if (s.csat !== null) return s.csat >= 4 ? O.SATISFACTION_OUTCOME_SATISFIED : s.csat === 3 ? O.SATISFACTION_OUTCOME_NEUTRAL : O.SATISFACTION_OUTCOME_DISSATISFIED;
  if (s.nps !== null) return s.nps >= 9 ? O.SATISFACTION_OUTCOME_SATISFIED : s.nps >= 7 ? O.SATISFACTION_OUTCOME_NEUTRAL : O.SATISFACTION_OUTCOME_DISSATISFIED;
  return O.SATISFACTION_OUTCOME_UNSPECIFIED;
}

export function transition(rules: DomainRules, prev: CaseRecord, input: TransitionInput, now: number, actor: Actor): Change {
  const from = prev.state;
  const to = input.target;
  if (prev.mergedInto !== '') throw new FailedPreconditionError(`case ${prev.id} was merged into ${prev.mergedInto}`);
  if (!isAllowed(from, to)) {
    throw new IllegalStateTransitionError('case', stateName(from), stateName(to), allowedFrom(from).map(stateName));
  }
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const violations: { field: string; description: string; rule: string }[] = [];
  if (to === S.CASE_STATE_RESOLVED) {
    if (!input.resolution || input.resolution.code.trim() === '') violations.push({ field: 'resolution.code', description: 'is required to resolve a case', rule: 'required' });
    if (!input.resolution || input.resolution.summary.trim() === '') violations.push({ field: 'resolution.summary', description: 'is required to resolve a case (the written result sent to the customer)', rule: 'required' });
  }
  let outcome = input.satisfactionOutcome;
  if (to === S.CASE_STATE_CLOSED) {
    if (!r.resolution || r.resolution.summary.trim() === '') throw new FailedPreconditionError(`case ${r.id} has no resolution summary; resolve it first`);
    if (outcome === cases.SatisfactionOutcome.SATISFACTION_OUTCOME_UNSPECIFIED) outcome = outcomeFromSurvey(r.survey);
    if (outcome === cases.SatisfactionOutcome.SATISFACTION_OUTCOME_UNSPECIFIED) {
      violations.push({ field: 'satisfaction_outcome', description: 'is required to close a case (or record a survey first)', rule: 'required' });
    }
  }
  if (to === S.CASE_STATE_REOPENED) {
    const since = from === S.CASE_STATE_CLOSED ? r.closeTime : r.resolution?.resolveTime;
    if (since !== null && since !== undefined && now - since > rules.reopenWindowMs) {
      throw new FailedPreconditionError(`case ${r.id} can be reopened only within ${Math.round(rules.reopenWindowMs / DAY)} days of ${from === S.CASE_STATE_CLOSED ? 'closure' : 'resolution'}`);
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);

  r.state = to;
  ch.activity('state_changed', `${stateName(from)} → ${stateName(to)}${input.comment.trim() ? `: ${input.comment.trim()}` : ''}`, { fromState: from, toState: to });
  const sla = rules.sla;
  switch (to) {
    case S.CASE_STATE_ACKNOWLEDGED:
      meet(rules, ch, K.SLA_KIND_FIRST_RESPONSE);
      break;
    case S.CASE_STATE_INVESTIGATING:
      if (from === S.CASE_STATE_PENDING_CUSTOMER) {
        for (const c of r.slas) resumeClock(sla, c, now);
        const open = r.pauses.find((p) => p.end === null);
        if (open) open.end = now;
        ch.activity('sla_resumed', 'SLA clocks resumed: customer answered');
      }
      meet(rules, ch, K.SLA_KIND_FIRST_RESPONSE);
      meet(rules, ch, K.SLA_KIND_HANDLING_START);
      break;
    case S.CASE_STATE_PENDING_CUSTOMER:
      for (const c of r.slas) pauseClock(sla, c, now);
      r.pauses.push({ start: now, end: null });
      ch.activity('sla_paused', 'SLA clocks paused: waiting on the customer');
      break;
    case S.CASE_STATE_RESOLVED: {
      const res = input.resolution ?? { code: '', summary: '', rootCause: '' };
      r.resolution = { code: res.code.trim(), summary: res.summary.trim(), rootCause: res.rootCause.trim(), resolveTime: now, resolvedBy: actor };
      for (const k of [K.SLA_KIND_CLASSIFICATION, K.SLA_KIND_FIRST_RESPONSE, K.SLA_KIND_HANDLING_START, K.SLA_KIND_RESOLUTION]) meet(rules, ch, k);
      startKind(rules, ch, K.SLA_KIND_FOLLOW_UP);
      ch.activity('resolved', `resolved (${r.resolution.code})`, { body: r.resolution.summary, visibility: cases.NoteVisibility.NOTE_VISIBILITY_CUSTOMER });
      ch.emit({
        type: 'csm.cases.case.resolved.v1',
        payload: { caseId: r.id, resolutionCode: r.resolution.code, resolveTime: new Date(now), handlingSeconds: Math.max(0, Math.floor((now - r.openTime) / 1000)), severity: r.classification.severity, kind: r.kind },
      });
      break;
    }
    case S.CASE_STATE_CLOSED:
      meet(rules, ch, K.SLA_KIND_FOLLOW_UP);
      r.satisfactionOutcome = outcome;
      r.closeTime = now;
      ch.emit({
        type: 'csm.cases.case.closed.v1',
        payload: {
          caseId: r.id,
          closeTime: new Date(now),
          kind: r.kind,
          channel: r.channel,
          severity: r.classification.severity,
          categoryCode: r.classification.categoryCode,
          passengerId: r.passengerId,
          slaBreached: r.slas.some((c) => c.breached),
        },
      });
      break;
    case S.CASE_STATE_REOPENED: {
      r.reopenCount += 1;
      for (const c of r.slas) if (c.kind === K.SLA_KIND_FOLLOW_UP) cancelClock(c, now);
      r.closeTime = null;
      r.satisfactionOutcome = cases.SatisfactionOutcome.SATISFACTION_OUTCOME_UNSPECIFIED;
      // A reopened case gets a fresh resolution clock.
      const rule = ruleFor(sla, K.SLA_KIND_RESOLUTION, subjectOf(r));
      if (rule) {
        r.slas = r.slas.filter((c) => c.kind !== K.SLA_KIND_RESOLUTION || isActive(c));
        r.slas.push(startClock(sla, rule, now, false));
      }
      ch.emit({ type: 'csm.cases.case.reopened.v1', payload: { caseId: r.id, fromState: from, reopenCount: r.reopenCount } });
      break;
    }
    case S.CASE_STATE_ARCHIVED:
      for (const c of r.slas) cancelClock(c, now);
      break;
    default:
      break;
  }
  ch.emit({ type: 'csm.cases.case.state_changed.v1', payload: { caseId: r.id, fromState: from, toState: to, actor: actorProto(actor) } });
  ch.touched();
  return ch;
}

// ---------------------------------------------------------------------------------------------------------------
// Routing

function ensureWorkable(r: CaseRecord, what: string): void {
  assertNotFinal(r, what);
  if (r.state === S.CASE_STATE_CLOSED) throw new FailedPreconditionError(`case ${r.id} is closed; reopen it to ${what}`);
}

export function accept(prev: CaseRecord, agentId: string, teamId: string, tier: cases.SupportTier, now: number, actor: Actor): Change {
  ensureWorkable(prev, 'assign it');
  const owner = prev.assignment.ownerAgentId;
  if (owner !== '' && owner !== agentId) {
    throw new FailedPreconditionError(`case ${prev.id} is owned by ${owner} (first-contact ownership) until an explicit hand-over`);
  }
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const prevTeam = r.assignment.teamId;
  r.assignment.ownerAgentId = agentId;
  if (teamId !== '') r.assignment.teamId = teamId;
  if (tier !== cases.SupportTier.SUPPORT_TIER_UNSPECIFIED) r.assignment.tier = tier;
  r.assignment.acceptTime = now;
  ch.activity('assigned', `accepted by ${agentId}${r.assignment.teamId ? ` (team ${r.assignment.teamId})` : ''}`);
  ch.emit({
    type: 'csm.cases.case.assigned.v1',
    payload: { caseId: r.id, assignmentKind: cases.AssignmentKind.ASSIGNMENT_KIND_ACCEPT, agentId, teamId: r.assignment.teamId, tier: r.assignment.tier, previousAgentId: owner, previousTeamId: prevTeam },
  });
  ch.touched();
  return ch;
}

export function handOver(prev: CaseRecord, toAgentId: string, note: string, now: number, actor: Actor): Change {
  ensureWorkable(prev, 'hand it over');
  if (note.trim() === '') throw new ValidationError([{ field: 'note', description: 'a hand-over needs a note for the receiving agent', rule: 'required' }]);
  if (toAgentId === prev.assignment.ownerAgentId) throw new FailedPreconditionError(`case ${prev.id} is already owned by ${toAgentId}`);
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const from = r.assignment.ownerAgentId;
  r.assignment.ownerAgentId = toAgentId;
  r.assignment.acceptTime = now;
  ch.activity('handed_over', `handed over ${from || '(unowned)'} → ${toAgentId}`, { body: note.trim(), visibility: cases.NoteVisibility.NOTE_VISIBILITY_INTERNAL });
  ch.emit({
    type: 'csm.cases.case.assigned.v1',
    payload: { caseId: r.id, assignmentKind: cases.AssignmentKind.ASSIGNMENT_KIND_HAND_OVER, agentId: toAgentId, teamId: r.assignment.teamId, tier: r.assignment.tier, previousAgentId: from, previousTeamId: r.assignment.teamId },
  });
  ch.touched();
  return ch;
}

export function transfer(prev: CaseRecord, toTeamId: string, tier: cases.SupportTier, department: string, reason: string, now: number, actor: Actor): Change {
  ensureWorkable(prev, 'transfer it');
  if (reason.trim() === '') throw new ValidationError([{ field: 'reason', description: 'a transfer needs a reason', rule: 'required' }]);
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const prevAgent = r.assignment.ownerAgentId;
  const prevTeam = r.assignment.teamId;
  r.assignment.teamId = toTeamId;
  if (tier !== cases.SupportTier.SUPPORT_TIER_UNSPECIFIED) r.assignment.tier = tier;
  // The receiving team accepts it afresh: the transfer is the explicit hand-over of ownership.
  r.assignment.ownerAgentId = '';
  r.assignment.acceptTime = null;
  if (department !== '') r.department = department;
  ch.activity('transferred', `transferred to team ${toTeamId}${department ? ` / department ${department}` : ''} (${cases.SupportTier[r.assignment.tier]?.replace('SUPPORT_TIER_', '')}): ${reason.trim()}`);
  ch.emit({
    type: 'csm.cases.case.assigned.v1',
    payload: { caseId: r.id, assignmentKind: cases.AssignmentKind.ASSIGNMENT_KIND_TRANSFER, agentId: '', teamId: toTeamId, tier: r.assignment.tier, previousAgentId: prevAgent, previousTeamId: prevTeam },
  });
  ch.touched();
  return ch;
}

function escalateInto(ch: Change, level: cases.EscalationLevel, trigger: cases.EscalationTrigger, reason: string): void {
  const r = ch.record;
  const previous = r.assignment.escalationLevel;
  r.assignment.escalationLevel = level;
  ch.activity('escalated', `escalated ${levelName(previous)} → ${levelName(level)}: ${reason}`);
  ch.emit({ type: 'csm.cases.case.escalated.v1', payload: { caseId: r.id, level, previousLevel: previous, trigger, severity: r.classification.severity } });
}

export function escalate(prev: CaseRecord, level: cases.EscalationLevel, reason: string, now: number, actor: Actor): Change {
  ensureWorkable(prev, 'escalate it');
  if (level <= prev.assignment.escalationLevel) {
    throw new FailedPreconditionError(`case ${prev.id} is already at ${levelName(prev.assignment.escalationLevel)}; escalate to a higher level`);
  }
  if (reason.trim() === '') throw new ValidationError([{ field: 'reason', description: 'an escalation needs a reason', rule: 'required' }]);
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  escalateInto(ch, level, cases.EscalationTrigger.ESCALATION_TRIGGER_MANUAL, reason.trim());
  ch.touched();
  return ch;
}

// ---------------------------------------------------------------------------------------------------------------
// Notes, messages, surveys, compensation

export function addNote(rules: DomainRules, prev: CaseRecord, body: string, visibility: cases.NoteVisibility, now: number, actor: Actor): Change {
  assertNotFinal(prev, 'add notes');
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const toCustomer = visibility === cases.NoteVisibility.NOTE_VISIBILITY_CUSTOMER;
  ch.activity(toCustomer ? 'message_sent' : 'note_added', toCustomer ? 'message to the customer' : 'internal note', { body, visibility });
  // A written answer to the customer is the first response.
  if (toCustomer && actor.kind !== common.ActorKind.ACTOR_KIND_PASSENGER) meet(rules, ch, K.SLA_KIND_FIRST_RESPONSE);
  ch.touched();
  return ch;
}

export function recordSurvey(prev: CaseRecord, survey: SurveyRec, now: number, actor: Actor): Change {
  if (![S.CASE_STATE_RESOLVED, S.CASE_STATE_FOLLOW_UP, S.CASE_STATE_CLOSED, S.CASE_STATE_ARCHIVED].includes(prev.state)) {
    throw new FailedPreconditionError(`a survey is recorded after resolution; case ${prev.id} is ${stateName(prev.state)}`);
  }
  if (prev.survey !== null) throw new FailedPreconditionError(`case ${prev.id} already has a survey`);
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  r.survey = survey;
  const parts = [survey.csat !== null ? `CSAT ${survey.csat}` : '', survey.nps !== null ? `NPS ${survey.nps}` : ''].filter(Boolean).join(', ');
  ch.activity('survey', `survey recorded: ${parts}`, { body: survey.comment });
  ch.emit({
    type: 'csm.cases.case.survey_recorded.v1',
    payload: {
      caseId: r.id,
      passengerId: r.passengerId,
      ...(survey.csat !== null ? { csat: survey.csat } : {}),
      ...(survey.nps !== null ? { nps: survey.nps } : {}),
      comment: survey.comment,
      channel: survey.channel,
      recordTime: new Date(survey.recordTime),
    },
  });
  ch.touched();
  return ch;
}

export function addCompensation(prev: CaseRecord, comp: CompensationRec, now: number, actor: Actor): Change {
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  r.compensations = [...r.compensations.filter((c) => c.id !== comp.id), comp];
  const what =
    comp.kind === cases.CompensationKind.COMPENSATION_KIND_MILES
      ? `${comp.miles} miles (loyalty ${comp.loyaltyTransactionId})`
      : `${cases.CompensationKind[comp.kind]?.replace('COMPENSATION_KIND_', '').toLowerCase()} ${comp.amountMinor} ${comp.currency} ref ${comp.reference}`;
  ch.activity('compensation', `compensation granted: ${what}: ${comp.reason}`);
  ch.emit({
    type: 'csm.cases.case.compensation_granted.v1',
    payload: { caseId: r.id, compensationId: comp.id, passengerId: r.passengerId, miles: comp.miles, loyaltyTransactionId: comp.loyaltyTransactionId },
  });
  ch.touched();
  return ch;
}

// ---------------------------------------------------------------------------------------------------------------
// SLA scheduler actions

/** Applies one due SLA action: warning → event; breach → event and one escalation level up (team → ops → mgmt). */
export function applySlaAction(prev: CaseRecord, kind: cases.SlaKind, action: SlaAction, now: number, rules: DomainRules): Change {
  const r = clone(prev);
  const ch = new Change(r, now, SYSTEM_ACTOR);
  const c = clock(r, kind);
  if (!c) return ch;
  applyAction(c, action);
  const due = c.dueTime ?? now;
  if (action === 'warning') {
    const remaining = Math.max(0, Math.floor((due - now) / 1000));
    ch.activity('sla_warning', `SLA ${slaName(kind)} at ${Math.round(rules.sla.warnRatio * 100)}%: due ${new Date(due).toISOString()}`);
    ch.emit({
      type: 'csm.cases.case.sla_warning.v1',
      payload: { caseId: r.id, slaKind: kind, dueTime: new Date(due), remainingSeconds: remaining, severity: r.classification.severity, ownerAgentId: r.assignment.ownerAgentId, teamId: r.assignment.teamId },
    });
  } else {
    ch.activity('sla_breached', `SLA ${slaName(kind)} breached (due ${new Date(due).toISOString()})`);
    ch.emit({
      type: 'csm.cases.case.sla_breached.v1',
      payload: { caseId: r.id, slaKind: kind, dueTime: new Date(due), severity: r.classification.severity, ownerAgentId: r.assignment.ownerAgentId, teamId: r.assignment.teamId },
    });
    if (r.assignment.escalationLevel < L.ESCALATION_LEVEL_MANAGEMENT) {
      escalateInto(ch, (r.assignment.escalationLevel + 1) as cases.EscalationLevel, cases.EscalationTrigger.ESCALATION_TRIGGER_SLA_BREACH, `SLA ${slaName(kind)} breached`);
    }
  }
  ch.touched();
  return ch;
}

// ---------------------------------------------------------------------------------------------------------------
// Linking and merging

export function link(prev: CaseRecord, otherId: string, kind: cases.CaseLinkKind, now: number, actor: Actor): Change {
  if (otherId === prev.id) throw new ValidationError([{ field: 'other_case_id', description: 'must be another case', rule: 'distinct' }]);
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  const existing = r.caseLinks.find((l) => l.caseId === otherId);
  if (existing) existing.kind = kind;
  else r.caseLinks.push({ caseId: otherId, kind });
  ch.activity('linked', `linked to ${otherId} as ${cases.CaseLinkKind[kind]?.replace('CASE_LINK_KIND_', '').toLowerCase()}`);
  ch.touched();
  return ch;
}

/** Merges `source` into `target`: the source ends archived and points at the target; both timelines are kept. */
export function merge(source: CaseRecord, target: CaseRecord, reason: string, now: number, actor: Actor): { source: Change; target: Change } {
  if (source.id === target.id) throw new ValidationError([{ field: 'target_case_id', description: 'must differ from source_case_id', rule: 'distinct' }]);
  assertNotFinal(source, 'merge it');
  assertNotFinal(target, 'merge into it');
  const s = clone(source);
  const sc = new Change(s, now, actor);
  const from = s.state;
  s.mergedInto = target.id;
  s.state = S.CASE_STATE_ARCHIVED;
  for (const c of s.slas) cancelClock(c, now);
  s.caseLinks = [...s.caseLinks.filter((l) => l.caseId !== target.id), { caseId: target.id, kind: cases.CaseLinkKind.CASE_LINK_KIND_DUPLICATE }];
  sc.activity('merged', `merged into ${target.caseNumber}${reason.trim() ? `: ${reason.trim()}` : ''}`, { fromState: from, toState: S.CASE_STATE_ARCHIVED });
  sc.emit({ type: 'csm.cases.case.state_changed.v1', payload: { caseId: s.id, fromState: from, toState: S.CASE_STATE_ARCHIVED, actor: actorProto(actor) } });
  sc.touched();
  const t = clone(target);
  const tc = new Change(t, now, actor);
  t.caseLinks = [...t.caseLinks.filter((l) => l.caseId !== s.id), { caseId: s.id, kind: cases.CaseLinkKind.CASE_LINK_KIND_MERGED }];
  if (t.passengerId === '' && s.passengerId !== '') t.passengerId = s.passengerId;
  t.attachments = [...t.attachments, ...s.attachments.filter((a) => !t.attachments.some((b) => b.id === a.id))];
  t.tags = [...new Set([...t.tags, ...s.tags])];
  tc.activity('merged', `case ${s.caseNumber} merged into this case${reason.trim() ? `: ${reason.trim()}` : ''}`);
  tc.touched();
  return { source: sc, target: tc };
}

/** Updates a proactive disruption case with newer flight information (longer delay, cancellation). */
export function updateDisruption(prev: CaseRecord, d: DisruptionRec, now: number, actor: Actor): Change | null {
  const old = prev.disruption;
  if (old && old.kind === d.kind && old.delayMinutes === d.delayMinutes && old.eligible === d.eligible && old.amountMinor === d.amountMinor) return null;
  const r = clone(prev);
  const ch = new Change(r, now, actor);
  r.disruption = d;
  ch.activity('disruption_updated', `flight ${d.kind === cases.DisruptionKind.DISRUPTION_KIND_CANCELLATION ? 'cancelled' : `delayed ${d.delayMinutes} min`}; ${d.regulation}: ${d.reason}`);
  ch.touched();
  return ch;
}
