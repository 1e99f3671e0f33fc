/**
 * Set-based batch projection of the cases topic (one statement per wave of a batch) must give exactly what applying
 * the same events one by one gives. Property-based: random case histories (repeats and out-of-lifecycle orders
 * included, some events with a subject that is not their case id), interleaved across cases, projected both ways into the same PGlite warehouse and compared row by row.
 */
import type { EventType } from '@csm/contracts';
import type { CloudEvent } from '@csm/platform/events';
import { createPgliteDb, migrate, type SqlDb } from '@csm/platform/stores';
import fc from 'fast-check';
import { projectCaseEvent, projectCaseEvents, wavesByAggregate } from '../src/events/project-cases';
import { migrations } from '../src/store/migrations';
import { ev } from './support/fixture';

jest.setTimeout(120_000);
const TZ = 'Asia/Shanghai';
const TABLES = ['fact_case', 'fact_case_sla', 'fact_survey', 'fact_text_sentiment', 'dim_date', 'dim_channel', 'dim_category', 'dim_severity', 'dim_carrier'];

let db: SqlDb;
beforeAll(async () => {
  db = await createPgliteDb();
  await migrate(db, { service: 'analytics', migrations });
});
afterAll(async () => {
  await db?.close();
});

async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const res = await db.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM ${t} x`);
    out[t] = res.rows.map((row) => row.r).sort();
  }
  return out;
}
const reset = () => db.query(`TRUNCATE ${TABLES.join(', ')}`);

const T0 = Date.parse('2026-03-02T01:00:00Z');
const small = (max: number) => fc.integer({ min: 0, max });
const when = fc.integer({ min: 0, max: 3 * 86_400 }).map((s) => new Date(T0 + s * 1000));

/** One event of case `c` (kind of event and fields drawn at random). */
const caseEvent = (c: number): fc.Arbitrary<{ type: EventType; payload: Record<string, unknown>; time: Date; extra?: Record<string, unknown> }> => {
  const caseId = `case_p${c}`;
  const passengerId = `pax_p${c % 3}`;
  const category = fc.constantFrom('baggage.delayed', 'flight.delay', 'refund', '');
  return fc.oneof(
    fc.record({ kind: small(3), channel: small(4), category, time: when, carrier: fc.constantFrom('CA', 'MU', ''), text: fc.constantFrom('', '服务太差了', 'great help') }).map((r) => ({
      type: 'csm.cases.case.opened.v1' as EventType,
      payload: { caseId, kind: r.kind, channel: r.channel, passengerId, categoryCode: r.category, openTime: r.time, flight: r.carrier ? { carrier: r.carrier, number: '1', date: '2026-03-02' } : undefined },
      time: r.time,
      ...(r.text ? { extra: { description: r.text } } : {}),
    })),
    fc.record({ category, severity: small(4), time: when }).map((r) => ({ type: 'csm.cases.case.classified.v1' as EventType, payload: { caseId, categoryCode: r.category, severity: r.severity }, time: r.time })),
    fc.record({ team: fc.constantFrom('team_a', 'team_b', ''), time: when }).map((r) => ({ type: 'csm.cases.case.assigned.v1' as EventType, payload: { caseId, teamId: r.team }, time: r.time })),
    fc.record({ from: small(5), to: small(5), time: when }).map((r) => ({ type: 'csm.cases.case.state_changed.v1' as EventType, payload: { caseId, fromState: r.from, toState: r.to }, time: r.time })),
    fc.record({ breached: fc.boolean(), severity: small(4), sla: small(2), time: when }).map((r) => ({
      type: (r.breached ? 'csm.cases.case.sla_breached.v1' : 'csm.cases.case.sla_warning.v1') as EventType,
      payload: { caseId, severity: r.severity, slaKind: r.sla, dueTime: r.time },
      time: r.time,
    })),
    fc.record({ severity: small(4), time: when }).map((r) => ({ type: 'csm.cases.case.escalated.v1' as EventType, payload: { caseId, severity: r.severity }, time: r.time })),
    fc.record({ secs: small(100_000), severity: small(4), kind: small(3), time: when }).map((r) => ({
      type: 'csm.cases.case.resolved.v1' as EventType,
      payload: { caseId, resolveTime: r.time, handlingSeconds: r.secs, severity: r.severity, kind: r.kind },
      time: r.time,
    })),
    fc.record({ kind: small(3), channel: small(4), severity: small(4), category, breached: fc.boolean(), time: when }).map((r) => ({
      type: 'csm.cases.case.closed.v1' as EventType,
      payload: { caseId, closeTime: r.time, kind: r.kind, channel: r.channel, severity: r.severity, categoryCode: r.category, passengerId, slaBreached: r.breached },
      time: r.time,
    })),
    fc.record({ count: small(3), time: when }).map((r) => ({ type: 'csm.cases.case.reopened.v1' as EventType, payload: { caseId, reopenCount: r.count }, time: r.time })),
    fc.record({ csat: small(5), nps: small(10), comment: fc.constantFrom('', '非常满意', 'the delay was terrible'), time: when }).map((r) => ({
      type: 'csm.cases.case.survey_recorded.v1' as EventType,
      payload: { caseId, passengerId, csat: r.csat || undefined, nps: r.nps, comment: r.comment, channel: 1, recordTime: r.time },
      time: r.time,
    })),
  );
};

/** Histories of up to 5 cases, interleaved in a random order that keeps each case's own order. */
const stream = fc
  .array(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 })
  .chain((cases) =>
    fc.tuple(fc.tuple(...cases.map((events, c) => fc.array(caseEvent(c), { minLength: events.length, maxLength: events.length }))), fc.array(fc.nat({ max: 4 }), { minLength: 40, maxLength: 40 })),
  )
  .map(([histories, picks]) => {
    const queues = histories.map((h) => [...h]);
    const out: CloudEvent[] = [];
    let i = 0;
    for (;;) {
      const live = queues.filter((q) => q.length > 0);
      if (live.length === 0) return out;
      const next = live[(picks[i++ % picks.length] ?? 0) % live.length]?.shift();
      if (!next) continue;
      const event = ev(next.type, next.payload, next.time, next.extra ?? {}).event;
      // Some producers (other services' tests on the shared topic) key events by something other than the case id.
      out.push(out.length % 5 === 3 ? { ...event, subject: 'foreign_subject' } : event);
    }
  });

describe('cases batch projection', () => {
  it('waves: the n-th event of each aggregate goes to wave n, keeping order within a wave', () => {
    const e = (subject: string, n: number) => ({ subject, n });
    const waves = wavesByAggregate([e('a', 1), e('b', 1), e('a', 2), e('a', 3), e('c', 1), e('b', 2)], (x) => x.subject);
    expect(waves).toEqual([[e('a', 1), e('b', 1), e('c', 1)], [e('a', 2), e('b', 2)], [e('a', 3)]]);
  });

  it('property: projecting a batch set-based equals projecting its events one by one', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async (events) => {
        await reset();
        for (const event of events) await db.transaction((tx) => projectCaseEvent(event, tx, TZ));
        const oneByOne = await snapshot();
        await reset();
        await db.transaction((tx) => projectCaseEvents(events, tx, TZ));
        expect(await snapshot()).toEqual(oneByOne);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
