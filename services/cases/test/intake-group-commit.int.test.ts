// Intake group commit (createIntakeWriter on the kit's createGroupCommit) on real PostgreSQL: concurrent intakes share statements, yet each case keeps the
// guarantees of a single insert — all of its rows or none, its own outcome, idempotent retries.
import { cases } from '@csm/contracts';
import type { Principal } from '@csm/platform/security';
import { createPgDb, migrate, type SqlDb, type SqlExecutor } from '@csm/platform/stores';
import { createTestDatabase, type TestDatabase } from '@csm/platform/testing';
import { actorOf } from '../src/app/authz';
import { validateOpenCase } from '../src/app/open-case-input';
import { CasesApp } from '../src/app/cases-app';
import * as domain from '../src/domain/case';
import { DAY, ManualClock } from '../src/domain/clock';
import { ulid } from '@csm/platform/ids';
import { DEFAULT_SLA_RULES } from '../src/domain/sla';
import { createIntakeWriter } from '../src/store/intake-writer';
import { migrations } from '../src/store/migrations';

jest.setTimeout(120_000);
const C = cases;
const rules: domain.DomainRules = { sla: { rules: DEFAULT_SLA_RULES, warnRatio: 0.8, calendars: {} }, reopenWindowMs: 30 * DAY };
const agent: Principal = { subject: 'agent-1', roles: ['agent_l1'], scopes: [] };
const clock = new ManualClock(Date.UTC(2026, 10, 29, 8, 0));

let tdb: TestDatabase;
let db: SqlDb;
let app: CasesApp;

const request = (key: string, subject = `Bag delayed ${key}`) =>
  C.OpenCaseRequest.fromPartial({
    channel: C.Channel.CHANNEL_PHONE,
    kind: C.CaseKind.CASE_KIND_COMPLAINT,
    subject,
    description: '行李没有到达 — my bag did not arrive.',
    language: 'zh-CN',
    passengerId: 'pax_01JD0000000000000000000001',
    categoryCode: 'baggage.delayed',
    idempotencyKey: key,
  });

/** A new case's change as OpenCase builds it (id and number given). */
function change(id: string, caseNumber: string, key: string): domain.Change {
  const input = validateOpenCase(request(key));
  return domain.openCase(rules, { ...input, id, caseNumber, contactEnc: '' }, clock.now(), actorOf(agent));
}

/** The real database, counting the statements sent through it. */
function counting(target: SqlExecutor): SqlExecutor & { statements: number } {
  const c = {
    statements: 0,
    query: ((text: string, params?: readonly unknown[]) => {
      c.statements += 1;
      return target.query(text, params);
    }) as SqlExecutor['query'],
  };
  return c;
}

async function rowsOf(caseId: string) {
  const [c, a, o] = await Promise.all([
    db.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE id = $1`, [caseId]),
    db.query<{ n: string }>(`SELECT count(*) AS n FROM case_activities WHERE case_id = $1`, [caseId]),
    db.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE aggregate_id = $1`, [caseId]),
  ]);
  return { cases: Number(c.rows[0]?.n), activities: Number(a.rows[0]?.n), outbox: Number(o.rows[0]?.n) };
}

beforeAll(async () => {
  tdb = await createTestDatabase('cases_group_commit');
  db = createPgDb({ url: tdb.url, max: 10 });
  await migrate(db, { service: 'cases', migrations });
  app = new CasesApp({ db, clock, rules, milesLimits: {}, moneyLimits: {}, caseNumberBlock: 20 });
});

afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

test('concurrent intakes are written in fewer statements, each case with all of its rows', async () => {
  const writer = counting(db);
  const intake = createIntakeWriter(writer, { windowMs: 2, maxItems: 64, maxInFlight: 1 });
  const changes = Array.from({ length: 25 }, (_, i) => change(`case_${ulid()}`, `CS-2026-9${String(i).padStart(5, '0')}`, `gc-a-${i}`));
  await Promise.all(changes.map((ch, i) => intake.submit({ change: ch, idempotencyKey: `gc-a-${i}` })));
  // Submitted in one turn of the event loop while nothing was being written: one statement for all 25.
  expect(writer.statements).toBe(1);
  for (const ch of changes) {
    expect(await rowsOf(ch.record.id)).toEqual({ cases: 1, activities: ch.activities.length, outbox: ch.events.length });
  }
  // Each case's events are in the outbox in the order the case emitted them.
  const first = changes[5] as domain.Change;
  const types = await db.query<{ event_type: string }>(`SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY seq`, [first.record.id]);
  expect(types.rows.map((r) => r.event_type)).toEqual(first.events.map((e) => e.type));
});

test('one failing case in a batch fails alone: the others are written, it writes nothing', async () => {
  const writer = counting(db);
  const intake = createIntakeWriter(writer, { windowMs: 2, maxItems: 64, maxInFlight: 1 });
  const taken = change(`case_${ulid()}`, 'CS-2026-800001', 'gc-b-taken');
  await intake.submit({ change: taken, idempotencyKey: 'gc-b-taken' });
  const lead = change(`case_${ulid()}`, 'CS-2026-800002', 'gc-b-lead');
  const good = [0, 1, 2].map((i) => change(`case_${ulid()}`, `CS-2026-80001${i}`, `gc-b-${i}`));
  // Same idempotency key as a committed case: its insert violates the unique key, so the batch statement fails.
  const retry = change(`case_${ulid()}`, 'CS-2026-800020', 'gc-b-taken');
  const write = (ch: domain.Change, idempotencyKey: string) => intake.submit({ change: ch, idempotencyKey });
  const outcomes = await Promise.allSettled([write(lead, 'gc-b-lead'), write(good[0] as domain.Change, 'gc-b-0'), write(retry, 'gc-b-taken'), write(good[1] as domain.Change, 'gc-b-1'), write(good[2] as domain.Change, 'gc-b-2')]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect(((outcomes[2] as PromiseRejectedResult).reason as { code?: string }).code).toBe('23505');
  // taken alone, the failed batch of all five, then each of the five alone.
  expect(writer.statements).toBe(1 + 1 + 5);
  for (const ch of [lead, ...good]) expect(await rowsOf(ch.record.id)).toEqual({ cases: 1, activities: ch.activities.length, outbox: ch.events.length });
  expect(await rowsOf(retry.record.id)).toEqual({ cases: 0, activities: 0, outbox: 0 });
});

test('concurrent OpenCase calls with repeated idempotency keys: one case per key, the retries replay it', async () => {
  const keys = Array.from({ length: 12 }, (_, i) => `gc-c-${i}`);
  // Every key sent three times at once (a client retrying while the first attempt is in flight).
  const results = await Promise.all([...keys, ...keys, ...keys].map((k) => app.openCase(request(k), agent)));
  for (const k of keys) {
    const mine = results.filter((r) => r.view.record.id === results[keys.indexOf(k)]?.view.record.id);
    expect(mine).toHaveLength(3);
    expect(mine.filter((r) => !r.replayed)).toHaveLength(1);
  }
  const stored = await db.query<{ idempotency_key: string; n: string }>(`SELECT idempotency_key, count(*) AS n FROM cases WHERE idempotency_key LIKE 'gc-c-%' GROUP BY 1`);
  expect(stored.rows).toHaveLength(12);
  expect(stored.rows.every((r) => r.n === '1')).toBe(true);
  // No orphan timeline or outbox rows of the losing attempts.
  const orphans = await db.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM case_activities a WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id))
          + (SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = o.aggregate_id)) AS n`,
  );
  expect(orphans.rows[0]?.n).toBe('0');
});

test('a case written again after its commit went unreported is success, not an error, and stays one case', async () => {
  // A batch whose COMMIT succeeded but whose reply was lost is rewritten case by case; without an idempotency key the
  // second write meets only the case's own id.
  const intake = createIntakeWriter(db, { windowMs: 0, maxItems: 1 });
  const ch = change(`case_${ulid()}`, 'CS-2026-700001', 'gc-d-unused');
  await intake.submit({ change: ch, idempotencyKey: null });
  await expect(intake.submit({ change: ch, idempotencyKey: null })).resolves.toBeUndefined();
  expect(await rowsOf(ch.record.id)).toEqual({ cases: 1, activities: ch.activities.length, outbox: ch.events.length });
  // A different case colliding on another unique column is still an error.
  const other = change(`case_${ulid()}`, 'CS-2026-700001', 'gc-d-unused');
  await expect(intake.submit({ change: other, idempotencyKey: null })).rejects.toMatchObject({ code: '23505' });
});
