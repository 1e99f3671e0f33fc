import { cases } from '@csm/contracts';
import { createDevIssuer } from '@csm/platform/security';
import type { Principal } from '@csm/platform/security';
import { createPgDb, migrate, type SqlDb } from '@csm/platform/stores';
import { createTestDatabase, type TestDatabase } from '@csm/platform/testing';
import { DateTime } from 'luxon';
import { CasesApp } from '../src/app/cases-app';
import { createSlaScheduler, type SlaScheduler } from '../src/app/sla-scheduler';
import type { BusinessCalendar } from '../src/domain/calendar';
import type { DomainRules } from '../src/domain/case';
import { DAY, ManualClock, MINUTE } from '../src/domain/clock';
import { DEFAULT_SLA_RULES } from '../src/domain/sla';
import { migrations } from '../src/store/migrations';

jest.setTimeout(120_000);
const C = cases;
const SH = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: SH }).toMillis();
const hours = ['09:00-12:00', '13:00-18:00'];
const office: BusinessCalendar = { id: 'cn-office', zone: SH, hours: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours }, holidays: ['2026-12-25'] };
const rules: DomainRules = {
  sla: { rules: [...DEFAULT_SLA_RULES, { kind: C.SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 8 * 60, category: 'cargo', calendarId: 'cn-office' }], warnRatio: 0.8, calendars: { 'cn-office': office } },
  reopenWindowMs: 30 * DAY,
};
const agent: Principal = { subject: 'agent-1', roles: ['agent_l1'], scopes: [] };

let tdb: TestDatabase;
let dbA: SqlDb;
let dbB: SqlDb;
let app: CasesApp;
const clock = new ManualClock(at('2026-11-30T09:00'));
let replicas: SlaScheduler[];

beforeAll(async () => {
  await createDevIssuer(); // warms jose like the service would; keeps timings comparable
  tdb = await createTestDatabase('cases_sla');
  dbA = createPgDb({ url: tdb.url, max: 5 });
  dbB = createPgDb({ url: tdb.url, max: 5 });
  await migrate(dbA, { service: 'cases', migrations });
  app = new CasesApp({ db: dbA, clock, rules, milesLimits: {}, moneyLimits: {} });
  // Two replicas, each with its own connection pool, against one database and one controllable clock.
  replicas = [createSlaScheduler({ db: dbA, clock, rules, replica: 'A', batchSize: 7 }), createSlaScheduler({ db: dbB, clock, rules, replica: 'B', batchSize: 7 })];
});

afterAll(async () => {
  await dbA?.close();
  await dbB?.close();
  await tdb?.drop();
});

const open = async (over: Partial<cases.OpenCaseRequest> = {}) =>
  (
    await app.openCase(
      C.OpenCaseRequest.fromPartial({
        channel: C.Channel.CHANNEL_EMAIL,
        kind: C.CaseKind.CASE_KIND_INQUIRY,
        subject: 'question',
        language: 'en',
        passengerId: 'pax_01JD0000000000000000000009',
        idempotencyKey: `k-${Math.random()}`,
        categoryCode: 'other',
        ...over,
      }),
      agent,
    )
  ).view.record;

/** Both replicas scan concurrently, several rounds each, until neither finds anything. */
async function scanConcurrently(): Promise<number> {
  let total = 0;
  for (;;) {
    const counts = await Promise.all([...replicas, ...replicas].map((r) => r.runOnce()));
    const n = counts.reduce((a, b) => a + b, 0);
    total += n;
    if (n === 0) return total;
  }
}

async function eventCounts(type: string): Promise<Map<string, number>> {
  const res = await dbA.query<{ key: string; n: string }>(
    `SELECT aggregate_id || ':' || coalesce(envelope->'data'->>'slaKind', '') || ':' || coalesce(envelope->'data'->>'level', '') AS key, count(*) AS n FROM outbox WHERE event_type = $1 GROUP BY 1`,
    [type],
  );
  return new Map(res.rows.map((r) => [r.key, Number(r.n)]));
}

describe('SLA scheduler with two replicas and a controllable clock', () => {
  it('fires each warning and each breach exactly once per case, escalating team → operations → management', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await open()).id);
    const t0 = clock.now();

    clock.set(t0 + 12 * MINUTE - 1); // just before 80 % of the 15-minute classification target
    expect(await scanConcurrently()).toBe(0);
    clock.set(t0 + 12 * MINUTE);
    expect(await scanConcurrently()).toBe(25);
    clock.set(t0 + 15 * MINUTE);
    expect(await scanConcurrently()).toBe(25);
    // Long past every target: first-response and resolution warnings and breaches, all at once.
    clock.set(t0 + 3 * DAY);
    expect(await scanConcurrently()).toBe(25 * 4);
    expect(await scanConcurrently()).toBe(0);

    const warnings = await eventCounts('csm.cases.case.sla_warning.v1');
    const breaches = await eventCounts('csm.cases.case.sla_breached.v1');
    const escalations = await eventCounts('csm.cases.case.escalated.v1');
    for (const id of ids) {
      for (const kind of ['SLA_KIND_CLASSIFICATION', 'SLA_KIND_FIRST_RESPONSE', 'SLA_KIND_RESOLUTION']) {
        expect(warnings.get(`${id}:${kind}:`)).toBe(1);
        expect(breaches.get(`${id}:${kind}:`)).toBe(1);
      }
      expect(['ESCALATION_LEVEL_TEAM', 'ESCALATION_LEVEL_OPERATIONS', 'ESCALATION_LEVEL_MANAGEMENT'].map((l) => escalations.get(`${id}::${l}`))).toEqual([1, 1, 1]);
    }
    // Both replicas did part of the work.
    const by = await dbA.query<{ replica: string; n: string }>(`SELECT replica, count(*) AS n FROM sla_actions GROUP BY replica ORDER BY replica`);
    expect(by.rows.map((r) => r.replica)).toEqual(['A', 'B']);
    expect(by.rows.reduce((a, r) => a + Number(r.n), 0)).toBe(25 * 6);

    const c = (await app.getCase(C.GetCaseRequest.fromPartial({ caseId: ids[0] }), agent)).record;
    expect(c.assignment.escalationLevel).toBe(C.EscalationLevel.ESCALATION_LEVEL_MANAGEMENT);
    expect(c.slas.map((s) => s.state)).toEqual([C.SlaState.SLA_STATE_BREACHED, C.SlaState.SLA_STATE_BREACHED, C.SlaState.SLA_STATE_BREACHED]);
  });

  it('pause/resume across a calendar\'s closed hours: no warning or breach while paused, due time moves by the open time paused', async () => {
    // Friday 27 Nov 16:00 Shanghai; cargo cases resolve in 8 open hours (09-12, 13-18 on weekdays).
    clock.set(at('2026-11-27T16:00'));
    let c = await open({ categoryCode: 'cargo', subject: 'AWB 999-12345675 offloaded' });
    const res = () => c.slas.find((s) => s.kind === C.SlaKind.SLA_KIND_RESOLUTION)!;
    expect(res().dueTime).toBe(at('2026-11-30T16:00')); // Fri 16-18 (2 h) + Mon 09-12 (3 h) + 13-16 (3 h)
    const step = async (target: cases.CaseState, time: string) => {
      clock.set(at(time));
      c = (await app.transition(C.TransitionCaseRequest.fromPartial({ caseId: c.id, targetState: target }), agent)).record;
    };
    await step(C.CaseState.CASE_STATE_ACKNOWLEDGED, '2026-11-27T16:30');
    await step(C.CaseState.CASE_STATE_INVESTIGATING, '2026-11-27T17:00');
    // Paused Friday 17:00 (1 h used) … resumed Monday 11:00: the weekend and Monday 09-11 do not count.
    await step(C.CaseState.CASE_STATE_PENDING_CUSTOMER, '2026-11-27T17:00');
    expect(res().dueTime).toBeNull();
    clock.set(at('2026-11-30T17:00')); // past the original due time, while paused
    await scanConcurrently();
    expect((await eventCounts('csm.cases.case.sla_breached.v1')).get(`${c.id}:SLA_KIND_RESOLUTION:`)).toBeUndefined();
    expect((await eventCounts('csm.cases.case.sla_warning.v1')).get(`${c.id}:SLA_KIND_RESOLUTION:`)).toBeUndefined();
    await step(C.CaseState.CASE_STATE_INVESTIGATING, '2026-12-01T11:00');
    // 7 open hours left from Tue 11:00: 11-12 (1), 13-18 (5), Wed 09-10 (1) → Wed 10:00.
    expect(res().dueTime).toBe(at('2026-12-02T10:00'));
    expect(res().pausedMs).toBe(at('2026-12-01T11:00') - at('2026-11-27T17:00'));
    expect(c.pauses).toEqual([{ start: at('2026-11-27T17:00'), end: at('2026-12-01T11:00') }]);
    // Warning at 80 % of 8 h = 6 h24 of open time: 1 h before the pause + 5 h24 after → Tue 17:24.
    expect(res().warningTime).toBe(at('2026-12-01T17:24'));
    clock.set(at('2026-12-01T17:23'));
    await scanConcurrently();
    expect((await eventCounts('csm.cases.case.sla_warning.v1')).get(`${c.id}:SLA_KIND_RESOLUTION:`)).toBeUndefined();
    clock.set(at('2026-12-01T17:24'));
    await scanConcurrently();
    expect((await eventCounts('csm.cases.case.sla_warning.v1')).get(`${c.id}:SLA_KIND_RESOLUTION:`)).toBe(1);
    clock.set(at('2026-12-02T10:00') - 1);
    await scanConcurrently();
    expect((await eventCounts('csm.cases.case.sla_breached.v1')).get(`${c.id}:SLA_KIND_RESOLUTION:`)).toBeUndefined();
    clock.set(at('2026-12-02T10:00'));
    await scanConcurrently();
    expect((await eventCounts('csm.cases.case.sla_breached.v1')).get(`${c.id}:SLA_KIND_RESOLUTION:`)).toBe(1);
  });
});
