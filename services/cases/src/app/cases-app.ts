import { cases } from '@csm/contracts';
import { ConflictError, FailedPreconditionError, NotFoundError, PermissionDeniedError, VersionConflictError } from '@csm/platform/errors';
import { hasRole, requireRole, type KeyRing, type Principal } from '@csm/platform/security';
import { fieldAad } from '@csm/platform/security';
import type { SqlDb, SqlExecutor, SqlTx } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';
import * as domain from '../domain/case';
import type { CaseRecord, Change, DomainRules } from '../domain/case';
import type { Clock } from '../domain/clock';
import { CATEGORIES, findCategory } from '../domain/taxonomy';
import { queryTokens } from '../domain/text';
import { CODE, CURRENCY, ID, Violations } from '../domain/validation';
import { LOAD_STATES, OPEN_STATES } from '../domain/workflow';
import { CaseNumbers, commitChange, flightKey, loadCase, loadCaseByIdempotencyKey, loadCaseByNumber, requireCase } from '../store/case-store';
import { createIntakeWriter } from '../store/intake-writer';
import type { GroupCommit } from '@csm/platform/stores';
import type { CaseInsert } from '../store/case-store';
import { actorOf, AGENT_ROLES, isStaff, requireAgent, requireCaseReader, SUPERVISOR_ROLES } from './authz';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { validateOpenCase } from './open-case-input';
import type { LoyaltyPort } from './ports';

export interface CasesAppDeps {
  readonly db: SqlDb;
  readonly clock: Clock;
  readonly rules: DomainRules;
  /** PII key ring for contact details; without it intake with contact details is refused. */
  readonly keyRing?: KeyRing | undefined;
  readonly loyalty?: LoyaltyPort | undefined;
  /** Max miles per grant by role; a grant above the caller's best limit is refused. */
  readonly milesLimits: Readonly<Record<string, number>>;
  /** Max voucher/refund value (minor units) per grant by role. */
  readonly moneyLimits: Readonly<Record<string, number>>;
  /** Case numbers taken per sequence round trip (see CaseNumbers); default 1. */
  readonly caseNumberBlock?: number;
  /** Intake group commit (store/intake-writer.ts): most new cases per statement (1 = one statement per case); default 64. */
  readonly intakeBatchMax?: number;
  /** Intake group commit: ms an intake waits for others while intake statements are in flight; default 2. */
  readonly intakeBatchWindowMs?: number;
  /** Called after a commit that appended events (the outbox relay publishes at once). */
  readonly onCommitted?: () => void;
}

export const DEFAULT_MILES_LIMITS: Readonly<Record<string, number>> = { agent_l1: 1_000, agent_l2: 5_000, agent_l3: 5_000, supervisor: 50_000, admin: 1_000_000, service: 50_000 };
export const DEFAULT_MONEY_LIMITS: Readonly<Record<string, number>> = { agent_l1: 50_000, agent_l2: 200_000, agent_l3: 200_000, supervisor: 2_000_000, admin: 100_000_000, service: 2_000_000 };

export interface CaseView {
  record: CaseRecord;
  contact: { name: string; phone: string; email: string } | null;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/** Use cases of the cases service: every write is one transaction (aggregate + timeline + outbox). */
export class CasesApp {
  private readonly numbers: CaseNumbers;
  private readonly intake: GroupCommit<CaseInsert, void>;
  constructor(readonly deps: CasesAppDeps) {
    this.numbers = new CaseNumbers(deps.caseNumberBlock ?? 1);
    this.intake = createIntakeWriter(deps.db, { windowMs: deps.intakeBatchWindowMs ?? 2, maxItems: deps.intakeBatchMax ?? 64 });
  }

  /** Writes the intakes still queued and waits for those in flight (shutdown, before the pool closes). */
  close(): Promise<void> {
    return this.intake.close();
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private committed(): void {
    this.deps.onCommitted?.();
  }

  /** Loads, checks the version, applies `action`, commits. */
  async mutate(caseId: string, expectedVersion: number, action: (r: CaseRecord, tx: SqlTx) => Change | Promise<Change>): Promise<CaseRecord> {
    const out = await this.deps.db.transaction(async (tx) => {
      const r = await requireCase(tx, caseId, { forUpdate: true });
      if (expectedVersion > 0 && r.version !== expectedVersion) throw new VersionConflictError('case', caseId, String(expectedVersion), String(r.version));
      const ch = await action(r, tx);
      await commitChange(tx, ch, r.version);
      return ch.record;
    });
    this.committed();
    return out;
  }

  private sealContact(caseId: string, c: { name: string; phone: string; email: string } | null): string {
    if (c === null) return '';
    if (!this.deps.keyRing) throw new FailedPreconditionError('contact details cannot be stored: the PII key ring (CSM_PII_KEYS) is not configured');
    return this.deps.keyRing.encryptField(JSON.stringify(c), { aad: fieldAad('cases', 'contact', caseId) });
  }

  view(r: CaseRecord, p: Principal): CaseView {
    let contact: CaseView['contact'] = null;
    if (r.contactEnc !== '' && this.deps.keyRing && hasRole(p, ...AGENT_ROLES)) {
      contact = JSON.parse(this.deps.keyRing.decryptField(r.contactEnc, { aad: fieldAad('cases', 'contact', r.id) })) as CaseView['contact'];
    }
    return { record: r, contact };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Intake

  async openCase(req: cases.OpenCaseRequest, p: Principal): Promise<{ view: CaseView; replayed: boolean }> {
    requireRole(p, ...AGENT_ROLES, 'service', 'passenger');
    if (!isStaff(p)) {
      // A passenger opens cases for themself only.
      if (req.passengerId === '') req = { ...req, passengerId: p.profileId ?? '' };
      if (req.passengerId !== p.profileId) throw new PermissionDeniedError('a passenger may only open cases for their own profile');
    }
    const input = validateOpenCase(req);
    const now = this.now();
    const year = new Date(now).getUTCFullYear();
    await this.numbers.ensureYear(this.deps.db, year);
    const id = `case_${ulid()}`;
    const contactEnc = this.sealContact(id, input.contact);
    try {
      // No read-before-write: the unique idempotency key rejects a retry, which then returns the first case.
      const caseNumber = await this.numbers.next(this.deps.db, year);
      const ch = domain.openCase(this.deps.rules, { ...input, id, caseNumber, contactEnc }, now, actorOf(p));
      await this.intake.submit({ change: ch, idempotencyKey: input.idempotencyKey });
      this.committed();
      return { view: this.view(ch.record, p), replayed: false };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // A concurrent retry with the same key won the race: return its case.
      const winner = await loadCaseByIdempotencyKey(this.deps.db, input.idempotencyKey);
      if (!winner) throw err;
      return { view: this.view(winner, p), replayed: true };
    }
  }

  async getCase(req: cases.GetCaseRequest, p: Principal): Promise<CaseView> {
    const v = new Violations();
    if (req.caseId === undefined && req.caseNumber === undefined) v.add('key', 'case_id or case_number is required', 'required');
    if (req.caseId !== undefined) v.pattern('case_id', req.caseId, ID.case, 'a case id ("case_" + ULID)');
    v.throwIfAny();
    const r = req.caseId !== undefined ? await loadCase(this.deps.db, req.caseId) : await loadCaseByNumber(this.deps.db, req.caseNumber ?? '');
    if (!r) throw new NotFoundError('case', req.caseId ?? req.caseNumber ?? '');
    requireCaseReader(p, r);
    return this.view(r, p);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Classification, workflow, routing

  async classify(req: cases.ClassifyCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    if (v.required('category_code', req.categoryCode) && !findCategory(req.categoryCode)) v.add('category_code', 'is not in the taxonomy (see ListCategories)', 'enum');
    v.enumValue('impact', req.impact, cases.Impact);
    if (req.severityOverride !== undefined) {
      v.enumValue('severity_override', req.severityOverride, cases.Severity);
      if (req.overrideReason.trim() === '') v.add('override_reason', 'is required when severity_override is set', 'required');
    }
    v.throwIfAny();
    const rec = await this.mutate(req.caseId, req.expectedVersion, (r) =>
      domain.classify(this.deps.rules, r, { categoryCode: req.categoryCode, impact: req.impact, severityOverride: req.severityOverride, overrideReason: req.overrideReason }, this.now(), actorOf(p)),
    );
    return this.view(rec, p);
  }

  async transition(req: cases.TransitionCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.enumValue('target_state', req.targetState, cases.CaseState);
    v.enumValue('satisfaction_outcome', req.satisfactionOutcome, cases.SatisfactionOutcome, { optional: true });
    v.maxLen('comment', req.comment, 4000);
    if (req.resolution) {
      v.maxLen('resolution.summary', req.resolution.summary, 10_000);
      v.pattern('resolution.code', req.resolution.code, CODE, 'a lower-case code ("explained", "refunded")');
      v.pattern('resolution.root_cause', req.resolution.rootCause, CODE, 'a lower-case code ("weather", "staff_process")');
    }
    v.throwIfAny();
    const rec = await this.mutate(req.caseId, req.expectedVersion, (r) =>
      domain.transition(
        this.deps.rules,
        r,
        {
          target: req.targetState,
          comment: req.comment,
          resolution: req.resolution ? { code: req.resolution.code, summary: req.resolution.summary, rootCause: req.resolution.rootCause } : undefined,
          satisfactionOutcome: req.satisfactionOutcome,
        },
        this.now(),
        actorOf(p),
      ),
    );
    return this.view(rec, p);
  }

  async assign(req: cases.AssignCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const agentId = req.agentId === '' ? p.subject : req.agentId;
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.pattern('agent_id', agentId, ID.agent, 'an agent id');
    v.pattern('team_id', req.teamId, ID.team, 'a team id (lower-case)');
    v.enumValue('tier', req.tier, cases.SupportTier, { optional: true });
    v.throwIfAny();
    // Agents accept for themselves; assigning someone else is a supervisor's dispatch.
    if (agentId !== p.subject && !hasRole(p, ...SUPERVISOR_ROLES, 'service')) throw new PermissionDeniedError('only a supervisor may assign a case to another agent');
    const rec = await this.mutate(req.caseId, req.expectedVersion, (r) => domain.accept(r, agentId, req.teamId, req.tier, this.now(), actorOf(p)));
    return this.view(rec, p);
  }

  async handOver(req: cases.HandOverCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    if (v.required('to_agent_id', req.toAgentId)) v.pattern('to_agent_id', req.toAgentId, ID.agent, 'an agent id');
    if (v.required('note', req.note)) v.maxLen('note', req.note, 4000);
    v.throwIfAny();
    const rec = await this.mutate(req.caseId, req.expectedVersion, (r) => {
      if (r.assignment.ownerAgentId !== '' && r.assignment.ownerAgentId !== p.subject && !hasRole(p, ...SUPERVISOR_ROLES)) {
        throw new PermissionDeniedError(`only the owner (${r.assignment.ownerAgentId}) or a supervisor may hand this case over`);
      }
      return domain.handOver(r, req.toAgentId, req.note, this.now(), actorOf(p));
    });
    return this.view(rec, p);
  }

  async transfer(req: cases.TransferCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    if (v.required('to_team_id', req.toTeamId)) v.pattern('to_team_id', req.toTeamId, ID.team, 'a team id (lower-case)');
    v.enumValue('tier', req.tier, cases.SupportTier, { optional: true });
    v.pattern('department', req.department, CODE, 'a lower-case department code');
    if (v.required('reason', req.reason)) v.maxLen('reason', req.reason, 2000);
    v.throwIfAny();
    const rec = await this.mutate(req.caseId, req.expectedVersion, (r) => domain.transfer(r, req.toTeamId, req.tier, req.department, req.reason, this.now(), actorOf(p)));
    return this.view(rec, p);
  }

  async escalate(req: cases.EscalateCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.enumValue('level', req.level, cases.EscalationLevel);
    if (v.required('reason', req.reason)) v.maxLen('reason', req.reason, 2000);
    v.throwIfAny();
    const rec = await this.mutate(req.caseId, req.expectedVersion, (r) => domain.escalate(r, req.level, req.reason, this.now(), actorOf(p)));
    return this.view(rec, p);
  }

  async addNote(req: cases.AddCaseNoteRequest, p: Principal): Promise<{ id: string; record: CaseRecord; time: number }> {
    requireRole(p, ...AGENT_ROLES, 'service', 'passenger');
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    if (v.required('body', req.body)) v.maxLen('body', req.body, 20_000);
    v.enumValue('visibility', req.visibility, cases.NoteVisibility);
    v.throwIfAny();
    const isPassenger = !isStaff(p);
    if (isPassenger && req.visibility !== cases.NoteVisibility.NOTE_VISIBILITY_CUSTOMER) throw new PermissionDeniedError('passengers may only add customer-visible messages');
    let time = 0;
    const rec = await this.mutate(req.caseId, 0, (r) => {
      requireCaseReader(p, r);
      const ch = domain.addNote(this.deps.rules, r, req.body, req.visibility, this.now(), actorOf(p));
      time = ch.activities[0]?.time ?? ch.now;
      return ch;
    });
    return { id: `note_${ulid()}`, record: rec, time };
  }

  async recordSurvey(req: cases.RecordSurveyRequest, p: Principal): Promise<domain.SurveyRec> {
    requireRole(p, ...AGENT_ROLES, 'service', 'passenger');
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    if (req.csat === undefined && req.nps === undefined) v.add('csat', 'csat or nps is required', 'required');
    if (req.csat !== undefined && (!Number.isInteger(req.csat) || req.csat < 1 || req.csat > 5)) v.add('csat', 'must be 1-5', 'range');
    if (req.nps !== undefined && (!Number.isInteger(req.nps) || req.nps < 0 || req.nps > 10)) v.add('nps', 'must be 0-10', 'range');
    v.maxLen('comment', req.comment, 4000);
    v.enumValue('channel', req.channel, cases.Channel, { optional: true });
    v.throwIfAny();
    const now = this.now();
    const survey: domain.SurveyRec = { csat: req.csat ?? null, nps: req.nps ?? null, comment: req.comment.trim(), channel: req.channel, recordTime: now };
    await this.mutate(req.caseId, 0, (r) => {
      requireCaseReader(p, r);
      return domain.recordSurvey(r, survey, now, actorOf(p));
    });
    return survey;
  }

  async link(req: cases.LinkCasesRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    if (v.required('other_case_id', req.otherCaseId)) v.pattern('other_case_id', req.otherCaseId, ID.case, 'a case id');
    if (req.kind !== cases.CaseLinkKind.CASE_LINK_KIND_RELATED && req.kind !== cases.CaseLinkKind.CASE_LINK_KIND_DUPLICATE) v.add('kind', 'must be CASE_LINK_KIND_RELATED or CASE_LINK_KIND_DUPLICATE', 'enum');
    v.throwIfAny();
    const now = this.now();
    const actor = actorOf(p);
    const out = await this.deps.db.transaction(async (tx) => {
      // Lock in id order so two links between the same pair cannot deadlock.
      const [a, b] = [req.caseId, req.otherCaseId].sort() as [string, string];
      const ra = await requireCase(tx, a, { forUpdate: true });
      const rb = await requireCase(tx, b, { forUpdate: true });
      const self = ra.id === req.caseId ? ra : rb;
      const other = ra.id === req.caseId ? rb : ra;
      const c1 = domain.link(self, other.id, req.kind, now, actor);
      const c2 = domain.link(other, self.id, req.kind, now, actor);
      await commitChange(tx, c1, self.version);
      await commitChange(tx, c2, other.version);
      return c1.record;
    });
    return this.view(out, p);
  }

  async merge(req: cases.MergeCasesRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    if (v.required('source_case_id', req.sourceCaseId)) v.pattern('source_case_id', req.sourceCaseId, ID.case, 'a case id');
    if (v.required('target_case_id', req.targetCaseId)) v.pattern('target_case_id', req.targetCaseId, ID.case, 'a case id');
    v.maxLen('reason', req.reason, 2000);
    v.throwIfAny();
    const now = this.now();
    const actor = actorOf(p);
    const out = await this.deps.db.transaction(async (tx) => {
      const [a, b] = [req.sourceCaseId, req.targetCaseId].sort() as [string, string];
      const ra = await requireCase(tx, a, { forUpdate: true });
      const rb = await requireCase(tx, b, { forUpdate: true });
      const source = ra.id === req.sourceCaseId ? ra : rb;
      const target = ra.id === req.sourceCaseId ? rb : ra;
      const { source: sc, target: tc } = domain.merge(source, target, req.reason, now, actor);
      await commitChange(tx, sc, source.version);
      await commitChange(tx, tc, target.version);
      return tc.record;
    });
    this.committed();
    return this.view(out, p);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Routing: L1/L2/L3 queues with skills, least open load first

  async upsertAgent(agent: cases.Agent | undefined, p: Principal): Promise<cases.Agent> {
    requireRole(p, ...SUPERVISOR_ROLES);
    const v = new Violations();
    if (!agent) {
      v.add('agent', 'is required', 'required');
      v.throwIfAny();
      throw new Error('unreachable');
    }
    if (v.required('agent.agent_id', agent.agentId)) v.pattern('agent.agent_id', agent.agentId, ID.agent, 'an agent id');
    if (v.required('agent.team_id', agent.teamId)) v.pattern('agent.team_id', agent.teamId, ID.team, 'a team id (lower-case)');
    v.enumValue('agent.tier', agent.tier, cases.SupportTier);
    agent.languages.forEach((l, i) => v.pattern(`agent.languages[${i}]`, l, /^[a-z]{2,3}$/, 'a primary language subtag ("en", "zh")'));
    agent.categories.forEach((c, i) => {
      if (!findCategory(c) || c.includes('.')) v.add(`agent.categories[${i}]`, 'must be a top-level category code', 'enum');
    });
    if (agent.maxOpenCases < 1 || agent.maxOpenCases > 1000) v.add('agent.max_open_cases', 'must be 1-1000', 'range');
    v.throwIfAny();
    await this.deps.db.query(
      `INSERT INTO agents (agent_id, team_id, tier, languages, categories, vip, max_open_cases, active, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (agent_id) DO UPDATE SET team_id = $2, tier = $3, languages = $4, categories = $5, vip = $6, max_open_cases = $7, active = $8, updated_at = $9`,
      [agent.agentId, agent.teamId, agent.tier, agent.languages, agent.categories, agent.vip, agent.maxOpenCases, agent.active, new Date(this.now())],
    );
    return { ...agent, openCases: await this.openLoad(this.deps.db, agent.agentId) };
  }

  private async openLoad(db: SqlExecutor, agentId: string): Promise<number> {
    const res = await db.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE owner_agent_id = $1 AND is_open AND state = ANY($2::smallint[])`, [agentId, LOAD_STATES]);
    return Number(res.rows[0]?.n ?? 0);
  }

  async route(req: cases.RouteCaseRequest, p: Principal): Promise<CaseView> {
    requireAgent(p);
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.throwIfAny();
    const rec = await this.mutate(req.caseId, req.expectedVersion, async (r, tx) => {
      if (r.assignment.ownerAgentId !== '') throw new FailedPreconditionError(`case ${r.id} is already owned by ${r.assignment.ownerAgentId}`);
      const agents = await tx.query<{ agent_id: string; team_id: string; tier: number; languages: string[]; categories: string[]; vip: boolean; max_open_cases: number; load: string }>(
        `SELECT a.agent_id, a.team_id, a.tier, a.languages, a.categories, a.vip, a.max_open_cases,
                (SELECT count(*) FROM cases c WHERE c.owner_agent_id = a.agent_id AND c.is_open AND c.state = ANY($3::smallint[])) AS load
           FROM agents a WHERE a.active AND a.tier = $1 AND ($2 = '' OR a.team_id = $2)`,
        [r.assignment.tier, r.assignment.teamId, LOAD_STATES],
      );
      const needs = r.requiredSkills;
      const eligible = agents.rows
        .filter((a) =>
          needs.every((s) => {
            if (s.startsWith('language:')) return a.languages.includes(s.slice(9));
            if (s.startsWith('category:')) return a.categories.length === 0 || a.categories.includes(s.slice(9));
            if (s === 'vip') return a.vip;
            return true;
          }),
        )
        .map((a) => ({ ...a, load: Number(a.load) }))
        .filter((a) => a.load < a.max_open_cases)
        .sort((x, y) => x.load / x.max_open_cases - y.load / y.max_open_cases || x.load - y.load || x.agent_id.localeCompare(y.agent_id));
      for (const a of eligible) {
        // Serialize concurrent routing to one agent, then re-check its load under the lock.
        await tx.query(`SELECT 1 FROM agents WHERE agent_id = $1 FOR UPDATE`, [a.agent_id]);
        if ((await this.openLoad(tx, a.agent_id)) >= a.max_open_cases) continue;
        return domain.accept(r, a.agent_id, a.team_id, r.assignment.tier, this.now(), actorOf(p));
      }
      throw new FailedPreconditionError(`no active ${cases.SupportTier[r.assignment.tier]?.replace('SUPPORT_TIER_', '')} agent${r.assignment.teamId ? ` in team ${r.assignment.teamId}` : ''} with skills [${needs.join(', ')}] has capacity`);
    });
    return this.view(rec, p);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Compensation: miles through loyalty (idempotent end to end), vouchers and refunds by reference

  async grantCompensation(req: cases.GrantCompensationRequest, p: Principal, authorization?: string): Promise<domain.CompensationRec> {
    requireRole(p, ...AGENT_ROLES, 'service');
    const kind = req.compensationKind === cases.CompensationKind.COMPENSATION_KIND_UNSPECIFIED ? cases.CompensationKind.COMPENSATION_KIND_MILES : req.compensationKind;
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.enumValue('compensation_kind', req.compensationKind, cases.CompensationKind, { optional: true });
    if (v.required('idempotency_key', req.idempotencyKey)) v.maxLen('idempotency_key', req.idempotencyKey, 128);
    if (v.required('reason', req.reason)) v.maxLen('reason', req.reason, 2000);
    if (kind === cases.CompensationKind.COMPENSATION_KIND_MILES) {
      if (!Number.isInteger(req.miles) || req.miles <= 0) v.add('miles', 'must be a positive integer', 'min');
    } else {
      if (req.miles !== 0) v.add('miles', 'only miles compensation carries miles', 'forbidden');
      if (!req.amount || req.amount.amountMinor <= 0) v.add('amount.amount_minor', 'must be positive', 'min');
      if (!req.amount || !CURRENCY.test(req.amount.currencyCode)) v.add('amount.currency_code', 'must be an ISO 4217 code', 'format');
      if (v.required('reference', req.reference)) v.maxLen('reference', req.reference, 100);
    }
    v.throwIfAny();
    // Approval limits by role: the caller's most generous role decides.
    const value = kind === cases.CompensationKind.COMPENSATION_KIND_MILES ? req.miles : (req.amount?.amountMinor ?? 0);
    const limits = kind === cases.CompensationKind.COMPENSATION_KIND_MILES ? this.deps.milesLimits : this.deps.moneyLimits;
    const limit = Math.max(0, ...p.roles.map((r) => limits[r] ?? 0));
    if (value > limit) {
      throw new PermissionDeniedError(`${value} ${kind === cases.CompensationKind.COMPENSATION_KIND_MILES ? 'miles' : 'minor units'} exceeds your approval limit of ${limit}; a supervisor must grant it`);
    }
    const actor = actorOf(p);
    // 1. Claim the idempotency key (or find the earlier grant).
    let row = await this.compensationByKey(this.deps.db, req.idempotencyKey);
    if (!row) {
      const id = `comp_${ulid()}`;
      await this.deps.db.transaction(async (tx) => {
        const r = await requireCase(tx, req.caseId);
        if (r.mergedInto !== '' || r.state === cases.CaseState.CASE_STATE_ARCHIVED) throw new FailedPreconditionError(`case ${r.id} is archived`);
        if (kind === cases.CompensationKind.COMPENSATION_KIND_MILES && r.passengerId === '') throw new FailedPreconditionError(`case ${r.id} has no passenger profile to credit miles to`);
        await tx.query(
          `INSERT INTO case_compensations (id, case_id, idempotency_key, kind, miles, amount_minor, currency, reference, reason, status, granted_by, created_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb,$12) ON CONFLICT (idempotency_key) DO NOTHING`,
          [id, req.caseId, req.idempotencyKey, kind, req.miles, req.amount?.amountMinor ?? 0, req.amount?.currencyCode ?? '', req.reference, req.reason.trim(), cases.CompensationStatus.COMPENSATION_STATUS_PENDING, JSON.stringify(actor), new Date(this.now())],
        );
      });
      row = await this.compensationByKey(this.deps.db, req.idempotencyKey);
      if (!row) throw new Error('compensation row vanished');
    }
    if (row.case_id !== req.caseId || Number(row.kind) !== kind || Number(row.miles) !== req.miles || Number(row.amount_minor) !== (req.amount?.amountMinor ?? 0)) {
      throw new ConflictError(`idempotency key ${req.idempotencyKey} was used for a different compensation`);
    }
    if (Number(row.status) === cases.CompensationStatus.COMPENSATION_STATUS_GRANTED) return compensationOf(row);
    // 2. Miles: credit through loyalty with a key derived from our record, so every retry is the same credit.
    let txnId = '';
    if (kind === cases.CompensationKind.COMPENSATION_KIND_MILES) {
      if (!this.deps.loyalty) throw new FailedPreconditionError('the loyalty service is not configured (CSM_LOYALTY_ADDR)');
      const r = await requireCase(this.deps.db, req.caseId);
      try {
        const res = await this.deps.loyalty.compensate({ passengerId: r.passengerId, miles: req.miles, caseId: r.id, reason: row.reason, idempotencyKey: `cases:${row.id}` }, authorization);
        txnId = res.transactionId;
      } catch (err) {
        await this.deps.db.query(`UPDATE case_compensations SET status = $2 WHERE id = $1 AND status <> $3`, [row.id, cases.CompensationStatus.COMPENSATION_STATUS_FAILED, cases.CompensationStatus.COMPENSATION_STATUS_GRANTED]);
        throw err;
      }
    }
    // 3. Record the grant once: the row's status flips PENDING/FAILED → GRANTED in the same transaction as the event.
    const rowId = row.id;
    const granted = await this.deps.db.transaction(async (tx) => {
      const r = await requireCase(tx, req.caseId, { forUpdate: true });
      const cur = await tx.query<CompRow>(`SELECT * FROM case_compensations WHERE id = $1 FOR UPDATE`, [rowId]);
      const c = cur.rows[0];
      if (!c) throw new Error('compensation row vanished');
      if (Number(c.status) === cases.CompensationStatus.COMPENSATION_STATUS_GRANTED) return compensationOf(c);
      const now = this.now();
      await tx.query(`UPDATE case_compensations SET status = $2, loyalty_txn_id = $3, granted_at = $4 WHERE id = $1`, [rowId, cases.CompensationStatus.COMPENSATION_STATUS_GRANTED, txnId, new Date(now)]);
      const comp = compensationOf({ ...c, status: String(cases.CompensationStatus.COMPENSATION_STATUS_GRANTED), loyalty_txn_id: txnId, granted_at: new Date(now) });
      await commitChange(tx, domain.addCompensation(r, comp, now, actor), r.version);
      return comp;
    });
    this.committed();
    return granted;
  }

  private async compensationByKey(db: SqlExecutor, key: string): Promise<CompRow | undefined> {
    const res = await db.query<CompRow>(`SELECT * FROM case_compensations WHERE idempotency_key = $1`, [key]);
    return res.rows[0];
  }

  // -------------------------------------------------------------------------------------------------------------
  // Queries

  /** Any authenticated caller, passengers included, on purpose: the taxonomy is reference data every channel needs to file a case. */
  listCategories(): typeof CATEGORIES {
    return CATEGORIES;
  }

  async listCases(req: cases.ListCasesRequest, p: Principal): Promise<{ records: CaseRecord[]; next: string }> {
    requireRole(p, ...AGENT_ROLES, 'ops', 'analyst', 'service', 'passenger');
    const v = new Violations();
    req.states.forEach((s, i) => v.enumValue(`states[${i}]`, s, cases.CaseState));
    req.kinds.forEach((s, i) => v.enumValue(`kinds[${i}]`, s, cases.CaseKind));
    req.channels.forEach((s, i) => v.enumValue(`channels[${i}]`, s, cases.Channel));
    req.severities.forEach((s, i) => v.enumValue(`severities[${i}]`, s, cases.Severity));
    v.pattern('passenger_id', req.passengerId, ID.passenger, 'a passenger id');
    const order = req.orderBy === '' ? 'open_time desc' : req.orderBy;
    if (!['open_time desc', 'open_time', 'severity desc', 'due_time'].includes(order)) v.add('order_by', 'must be one of "open_time desc", "open_time", "severity desc", "due_time"', 'enum');
    if (req.categoryCode !== '' && !findCategory(req.categoryCode)) v.add('category_code', 'is not in the taxonomy', 'enum');
    v.maxLen('text_query', req.textQuery, 200);
    v.throwIfAny();
    let passengerId = req.passengerId;
    if (!isStaff(p)) {
      // Passengers only ever list their own cases.
      if (passengerId !== '' && passengerId !== p.profileId) throw new PermissionDeniedError('a passenger may only list their own cases');
      passengerId = p.profileId ?? '-';
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (req.states.length > 0) {
      add('state = ANY(?::smallint[])', req.states);
      if (req.states.every((s) => OPEN_STATES.includes(s))) where.push('is_open');
    }
    if (req.kinds.length > 0) add('kind = ANY(?::smallint[])', req.kinds);
    if (req.channels.length > 0) add('channel = ANY(?::smallint[])', req.channels);
    if (req.severities.length > 0) add('severity = ANY(?::smallint[])', req.severities);
    if (passengerId !== '') add('passenger_id = ?', passengerId);
    if (req.ownerAgentId !== '') add('owner_agent_id = ?', req.ownerAgentId);
    if (req.teamId !== '') add('team_id = ?', req.teamId);
    if (req.flight && (req.flight.carrier || req.flight.number)) add('flight_key = ?', flightKey({ carrier: req.flight.carrier, number: req.flight.number.replace(/^0+(?=\d)/, ''), date: req.flight.date }));
    if (req.categoryCode !== '') {
      params.push(req.categoryCode, `${req.categoryCode}.%`);
      where.push(`(category_code = $${params.length - 1} OR category_code LIKE $${params.length})`);
    }
    if (req.openTime?.startTime) add('open_time >= ?', req.openTime.startTime);
    if (req.openTime?.endTime) add('open_time < ?', req.openTime.endTime);
    if (req.slaBreachedOnly) where.push('sla_breached');
    if (req.textQuery.trim() !== '') {
      const tokens = queryTokens(req.textQuery);
      if (tokens.length === 0) return { records: [], next: '' };
      add('search_tokens @> ?::text[]', tokens);
    }
    const fingerprint = JSON.stringify([req.states, req.kinds, req.channels, req.severities, passengerId, req.ownerAgentId, req.teamId, req.flight, req.categoryCode, req.openTime, req.slaBreachedOnly, order, req.textQuery]);
    const cursor = decodeCursor(req.page?.pageToken ?? '', fingerprint);
    const size = pageSize(req.page?.pageSize);
    let orderSql: string;
    let keyOf: (row: KeyRow) => (string | number)[];
    switch (order) {
      case 'open_time':
        if (cursor) add('(open_time, id) > (?::timestamptz', new Date(Number(cursor[0])));
        orderSql = 'open_time, id';
        keyOf = (row) => [row.open_time.getTime(), row.id];
        break;
      case 'severity desc':
        if (cursor) {
          params.push(Number(cursor[0]), String(cursor[1]));
          where.push(`(severity < $${params.length - 1} OR (severity = $${params.length - 1} AND id > $${params.length}))`);
        }
        orderSql = 'severity DESC, id';
        keyOf = (row) => [row.severity, row.id];
        break;
      case 'due_time':
        if (cursor) add('(sla_urgency, id) > (?::timestamptz', new Date(Number(cursor[0])));
        orderSql = 'sla_urgency, id';
        keyOf = (row) => [row.sla_urgency.getTime(), row.id];
        break;
      default:
        if (cursor) add('(open_time, id) < (?::timestamptz', new Date(Number(cursor[0])));
        orderSql = 'open_time DESC, id DESC';
        keyOf = (row) => [row.open_time.getTime(), row.id];
    }
    if (cursor && order !== 'severity desc') {
      // Complete the row comparison opened above with the id half of the key.
      params.push(String(cursor[1]));
      where[where.length - 1] = `${where[where.length - 1]}, $${params.length})`;
    }
    params.push(size + 1);
    const sql = `SELECT doc, id, open_time, severity, sla_urgency FROM cases${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderSql} LIMIT $${params.length}`;
    const res = await this.deps.db.query<KeyRow & { doc: CaseRecord }>(sql, params);
    const rows = res.rows.slice(0, size);
    const last = rows[rows.length - 1];
    return { records: rows.map((r) => r.doc), next: res.rows.length > size && last ? encodeCursor(fingerprint, keyOf(last)) : '' };
  }

  async listActivities(req: cases.ListCaseActivitiesRequest, p: Principal): Promise<{ activities: ActivityRow[]; next: string }> {
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.throwIfAny();
    const r = await requireCase(this.deps.db, req.caseId);
    requireCaseReader(p, r);
    // A merged case's timeline includes the timelines of the cases merged into it.
    const ids = [r.id, ...r.caseLinks.filter((l) => l.kind === cases.CaseLinkKind.CASE_LINK_KIND_MERGED).map((l) => l.caseId)];
    const fingerprint = r.id;
    const cursor = decodeCursor(req.page?.pageToken ?? '', fingerprint);
    const size = pageSize(req.page?.pageSize, 100, 500);
    const params: unknown[] = [ids, size + 1];
    let cond = '';
    if (cursor) {
      params.push(new Date(Number(cursor[0])), Number(cursor[1]));
      cond = ' AND (time, seq) > ($3, $4)';
    }
    const staffOnly = isStaff(p) ? '' : ` AND visibility <> ${cases.NoteVisibility.NOTE_VISIBILITY_INTERNAL} AND type <> 'handed_over'`;
    const res = await this.deps.db.query<ActivityRow>(`SELECT * FROM case_activities WHERE case_id = ANY($1::text[])${cond}${staffOnly} ORDER BY time, seq LIMIT $2`, params);
    const rows = res.rows.slice(0, size);
    const last = rows[rows.length - 1];
    return { activities: rows, next: res.rows.length > size && last ? encodeCursor(fingerprint, [last.time.getTime(), Number(last.seq)]) : '' };
  }

  async listSlaDeadlines(req: cases.ListSlaDeadlinesRequest, p: Principal): Promise<{ items: { record: CaseRecord; clock: domain.CaseRecord['slas'][number] }[]; next: string }> {
    requireRole(p, ...AGENT_ROLES, 'ops', 'analyst', 'service', 'passenger');
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    req.states.forEach((s, i) => v.enumValue(`states[${i}]`, s, cases.SlaState));
    v.throwIfAny();
    const states = req.states.length > 0 ? req.states : [cases.SlaState.SLA_STATE_RUNNING, cases.SlaState.SLA_STATE_WARNING];
    const from = req.dueTime?.startTime?.getTime();
    const to = req.dueTime?.endTime?.getTime();
    const keep = (c: domain.CaseRecord['slas'][number]) =>
      (req.caseId !== '' && req.states.length === 0) || (states.includes(c.state) && (from === undefined || (c.dueTime ?? Infinity) >= from) && (to === undefined || (c.dueTime ?? Infinity) < to));
    if (req.caseId !== '') {
      // One case: all of its deadlines (not just the nearest).
      const r = await requireCase(this.deps.db, req.caseId);
      requireCaseReader(p, r);
      return { items: r.slas.filter(keep).map((clock) => ({ record: r, clock })), next: '' };
    }
    if (!isStaff(p)) throw new PermissionDeniedError('passengers may list the deadlines of one of their cases only');
    const params: unknown[] = [];
    const where = ['is_open'];
    if (req.teamId !== '') {
      params.push(req.teamId);
      where.push(`team_id = $${params.length}`);
    }
    if (req.ownerAgentId !== '') {
      params.push(req.ownerAgentId);
      where.push(`owner_agent_id = $${params.length}`);
    }
    const fingerprint = JSON.stringify([req.teamId, req.ownerAgentId, states, from, to]);
    const cursor = decodeCursor(req.page?.pageToken ?? '', fingerprint);
    if (cursor) {
      params.push(new Date(Number(cursor[0])), String(cursor[1]));
      where.push(`(sla_urgency, id) > ($${params.length - 1}, $${params.length})`);
    }
    const size = pageSize(req.page?.pageSize);
    params.push(size + 1);
    const res = await this.deps.db.query<{ doc: CaseRecord; id: string; sla_urgency: Date }>(
      `SELECT doc, id, sla_urgency FROM cases WHERE ${where.join(' AND ')} ORDER BY sla_urgency, id LIMIT $${params.length}`,
      params,
    );
    const rows = res.rows.slice(0, size);
    const items = rows.flatMap((row) => row.doc.slas.filter(keep).map((clock) => ({ record: row.doc, clock })));
    items.sort((a, b) => (a.clock.dueTime ?? Infinity) - (b.clock.dueTime ?? Infinity));
    const last = rows[rows.length - 1];
    return { items, next: res.rows.length > size && last ? encodeCursor(fingerprint, [last.sla_urgency.getTime(), last.id]) : '' };
  }
}

interface KeyRow {
  id: string;
  open_time: Date;
  severity: number;
  sla_urgency: Date;
}

export interface ActivityRow {
  seq: string;
  id: string;
  case_id: string;
  time: Date;
  actor: domain.Actor;
  type: string;
  summary: string;
  from_state: number;
  to_state: number;
  body: string;
  visibility: number;
}

interface CompRow {
  id: string;
  case_id: string;
  idempotency_key: string;
  kind: number | string;
  miles: string;
  amount_minor: string;
  currency: string;
  reference: string;
  reason: string;
  status: number | string;
  loyalty_txn_id: string;
  granted_by: domain.Actor;
  granted_at: Date | null;
}

function compensationOf(c: CompRow): domain.CompensationRec {
  return {
    id: c.id,
    kind: Number(c.kind) as cases.CompensationKind,
    miles: Number(c.miles),
    amountMinor: Number(c.amount_minor),
    currency: c.currency,
    reference: c.reference,
    reason: c.reason,
    status: Number(c.status) as cases.CompensationStatus,
    loyaltyTransactionId: c.loyalty_txn_id,
    grantedBy: c.granted_by,
    grantTime: c.granted_at?.getTime() ?? 0,
  };
}
