import { cases } from '@csm/contracts';
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from './calendar';
import type { CustomerGrade } from './severity';
import { MINUTE } from './clock';

const { SlaKind, SlaState, Severity, CaseKind } = cases;

/** One SLA target; the most specific matching rule of a kind wins (ties: the later rule). */
export interface SlaRule {
  readonly kind: cases.SlaKind;
  readonly targetMinutes: number;
  readonly severity?: cases.Severity;
  /** Category code or a parent of it. */
  readonly category?: string;
  readonly grade?: CustomerGrade;
  readonly caseKind?: cases.CaseKind;
  /** Business-hours calendar to count in; unset = around the clock. */
  readonly calendarId?: string;
}

export interface SlaPolicy {
  readonly rules: readonly SlaRule[];
  /** Fraction of the target after which a warning fires (default 0.8). */
  readonly warnRatio: number;
  readonly calendars: Readonly<Record<string, BusinessCalendar>>;
}

/** DOMAIN §3 defaults: classify 15 min, first response 24 h, complaint handling start 24 h, resolution 48 h
 * (general 24 h, serious 48 h, severe 72 h, critical 24 h with management engaged at once), follow-up 24 h. */
export const DEFAULT_SLA_RULES: readonly SlaRule[] = [
  { kind: SlaKind.SLA_KIND_CLASSIFICATION, targetMinutes: 15 },
  { kind: SlaKind.SLA_KIND_FIRST_RESPONSE, targetMinutes: 24 * 60 },
  { kind: SlaKind.SLA_KIND_HANDLING_START, targetMinutes: 24 * 60, caseKind: CaseKind.CASE_KIND_COMPLAINT },
  { kind: SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 48 * 60 },
  { kind: SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 24 * 60, severity: Severity.SEVERITY_GENERAL },
  { kind: SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 48 * 60, severity: Severity.SEVERITY_SERIOUS },
  { kind: SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 72 * 60, severity: Severity.SEVERITY_SEVERE },
  { kind: SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 24 * 60, severity: Severity.SEVERITY_CRITICAL },
  { kind: SlaKind.SLA_KIND_FOLLOW_UP, targetMinutes: 24 * 60 },
];

export const DEFAULT_SLA_POLICY: SlaPolicy = { rules: DEFAULT_SLA_RULES, warnRatio: 0.8, calendars: {} };

export interface SlaSubject {
  readonly kind: cases.CaseKind;
  readonly severity: cases.Severity;
  readonly categoryCode: string;
  readonly grade: CustomerGrade;
}

function categoryMatches(rule: string, code: string): boolean {
  return code === rule || code.startsWith(`${rule}.`);
}

/** The rule that applies to a case for an SLA kind, or undefined when the kind does not apply to it. */
export function ruleFor(policy: SlaPolicy, kind: cases.SlaKind, s: SlaSubject): SlaRule | undefined {
  let best: SlaRule | undefined;
  let bestScore = -1;
  for (const r of policy.rules) {
    if (r.kind !== kind) continue;
    if (r.severity !== undefined && r.severity !== s.severity) continue;
    if (r.category !== undefined && !categoryMatches(r.category, s.categoryCode)) continue;
    if (r.grade !== undefined && r.grade !== s.grade) continue;
    if (r.caseKind !== undefined && r.caseKind !== s.kind) continue;
    const score = [r.severity, r.category, r.grade, r.caseKind].filter((x) => x !== undefined).length;
    if (score >= bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/** One SLA clock of a case (times in epoch ms). */
export interface SlaClock {
  kind: cases.SlaKind;
  state: cases.SlaState;
  startTime: number;
  targetMs: number;
  calendarId: string;
  /** Open (calendar) time consumed before `runningSince`. */
  consumedMs: number;
  /** Running since; null while paused or finished. */
  runningSince: number | null;
  pausedAt: number | null;
  /** Wall time spent paused. */
  pausedMs: number;
  dueTime: number | null;
  warningTime: number | null;
  metTime: number | null;
  warned: boolean;
  breached: boolean;
}

export const FAR_FUTURE = Date.UTC(9999, 11, 31);

function calendarOf(policy: SlaPolicy, id: string): BusinessCalendar | undefined {
  return id === '' ? undefined : policy.calendars[id];
}

function schedule(policy: SlaPolicy, c: SlaClock): void {
  if (c.runningSince === null) {
    c.dueTime = null;
    c.warningTime = null;
    return;
  }
  const cal = calendarOf(policy, c.calendarId);
  c.dueTime = addBusinessTime(cal, c.runningSince, c.targetMs - c.consumedMs);
  c.warningTime = addBusinessTime(cal, c.runningSince, Math.ceil(c.targetMs * policy.warnRatio) - c.consumedMs);
}

export function isActive(c: SlaClock): boolean {
  return c.state === SlaState.SLA_STATE_RUNNING || c.state === SlaState.SLA_STATE_WARNING || (c.state === SlaState.SLA_STATE_BREACHED && c.metTime === null);
}

/** Starts a clock (paused at once when the case is waiting on the customer). */
export function startClock(policy: SlaPolicy, rule: SlaRule, now: number, paused: boolean): SlaClock {
  const c: SlaClock = {
    kind: rule.kind,
    state: SlaState.SLA_STATE_RUNNING,
    startTime: now,
    targetMs: rule.targetMinutes * MINUTE,
    calendarId: rule.calendarId ?? '',
    consumedMs: 0,
    runningSince: paused ? null : now,
    pausedAt: paused ? now : null,
    pausedMs: 0,
    dueTime: null,
    warningTime: null,
    metTime: null,
    warned: false,
    breached: false,
  };
  schedule(policy, c);
  return c;
}

export function pauseClock(policy: SlaPolicy, c: SlaClock, now: number): void {
  if (!isActive(c) || c.runningSince === null) return;
  c.consumedMs += Math.max(0, businessTimeBetween(calendarOf(policy, c.calendarId), c.runningSince, now));
  c.runningSince = null;
  c.pausedAt = now;
  schedule(policy, c);
}

export function resumeClock(policy: SlaPolicy, c: SlaClock, now: number): void {
  if (!isActive(c) || c.runningSince !== null || c.pausedAt === null) return;
  c.pausedMs += Math.max(0, now - c.pausedAt);
  c.pausedAt = null;
  c.runningSince = now;
  schedule(policy, c);
}

export function meetClock(policy: SlaPolicy, c: SlaClock, now: number): boolean {
  if (!isActive(c)) return false;
  if (c.runningSince !== null) c.consumedMs += Math.max(0, businessTimeBetween(calendarOf(policy, c.calendarId), c.runningSince, now));
  if (c.pausedAt !== null) c.pausedMs += Math.max(0, now - c.pausedAt);
  c.runningSince = null;
  c.pausedAt = null;
  c.metTime = now;
  if (c.state !== SlaState.SLA_STATE_BREACHED) c.state = SlaState.SLA_STATE_MET;
  return true;
}

export function cancelClock(c: SlaClock, now: number): void {
  if (!isActive(c)) return;
  if (c.pausedAt !== null) c.pausedMs += Math.max(0, now - c.pausedAt);
  c.state = SlaState.SLA_STATE_CANCELLED;
  c.runningSince = null;
  c.pausedAt = null;
  c.dueTime = null;
  c.warningTime = null;
}

/** A new target for a running clock (e.g. the severity changed); start and consumed time are kept. */
export function retargetClock(policy: SlaPolicy, c: SlaClock, rule: SlaRule): void {
  if (!isActive(c)) return;
  c.targetMs = rule.targetMinutes * MINUTE;
  schedule(policy, c);
}

/** Open time left (ms): negative once overdue; frozen while paused or once met. */
export function remainingMs(policy: SlaPolicy, c: SlaClock, now: number): number {
  const cal = calendarOf(policy, c.calendarId);
  if (c.runningSince === null) return c.targetMs - c.consumedMs;
  return c.targetMs - c.consumedMs - businessTimeBetween(cal, c.runningSince, now);
}

export type SlaAction = 'warning' | 'breach';

/** What the scheduler must do for a clock now (each at most once per clock: `warned`/`breached` flags). */
export function dueActions(c: SlaClock, now: number): SlaAction[] {
  if (!isActive(c) || c.runningSince === null) return [];
  const out: SlaAction[] = [];
  if (!c.warned && c.warningTime !== null && c.warningTime <= now) out.push('warning');
  if (!c.breached && c.dueTime !== null && c.dueTime <= now) out.push('breach');
  return out;
}

export function applyAction(c: SlaClock, action: SlaAction): void {
  if (action === 'warning') {
    c.warned = true;
    if (c.state === SlaState.SLA_STATE_RUNNING) c.state = SlaState.SLA_STATE_WARNING;
  } else {
    c.breached = true;
    c.warned = true;
    c.state = SlaState.SLA_STATE_BREACHED;
  }
}

/** Next instant the scheduler must look at these clocks (null: nothing pending). */
export function nextCheck(clocks: readonly SlaClock[]): number | null {
  let next: number | null = null;
  for (const c of clocks) {
    if (!isActive(c) || c.runningSince === null) continue;
    for (const t of [c.warned ? null : c.warningTime, c.breached ? null : c.dueTime]) {
      if (t !== null && (next === null || t < next)) next = t;
    }
  }
  return next;
}

/** Queue urgency: the soonest due time of a running clock (FAR_FUTURE when none runs). */
export function urgency(clocks: readonly SlaClock[]): number {
  let u = FAR_FUTURE;
  for (const c of clocks) if (isActive(c) && c.dueTime !== null && c.dueTime < u) u = c.dueTime;
  return u;
}

