import { NotFoundError, VersionConflictError } from '@csm/platform/errors';
import type { SqlExecutor, SqlTx } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';
import type { ActivityRec, CaseRecord, Change } from '../domain/case';
import { slaSummary } from '../domain/case';
import { documentTokens } from '../domain/text';
import { OPEN_STATES } from '../domain/workflow';
import { eventCodec } from '@csm/contracts';
import { OUTBOX_INSERT_COLUMNS, outboxRow } from '@csm/platform/events';
import { appendEvents, toCloudEvent } from '../events/builders';

export function flightKey(f: { carrier: string; number: string; date: string } | null): string {
  return f ? `${f.carrier}${f.number}/${f.date}` : '';
}

interface CaseRow {
  doc: CaseRecord;
}

/** Column values derived from the aggregate (what queues, filters and the scheduler index). */
function columns(r: CaseRecord) {
  const s = slaSummary(r);
  return {
    state: r.state,
    isOpen: OPEN_STATES.includes(r.state) && r.mergedInto === '',
    severity: r.classification.severity,
    category: r.classification.categoryCode,
    owner: r.assignment.ownerAgentId,
    team: r.assignment.teamId,
    urgency: new Date(s.urgency),
    nextCheck: s.nextCheck === null ? null : new Date(s.nextCheck),
    breached: s.breached,
    tokens: documentTokens(r.caseNumber, r.subject, r.description, r.tags.join(' ')),
  };
}

const INSERT_CASE_HEAD = `INSERT INTO cases (id, case_number, idempotency_key, doc, version, state, is_open, kind, channel, severity, category_code, passenger_id,
       owner_agent_id, team_id, flight_key, disruption_key, open_time, sla_urgency, next_sla_check, sla_breached, search_tokens)`;
const INSERT_CASE = `${INSERT_CASE_HEAD}
     VALUES ($1,$2,$3,$4::jsonb,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`;

function insertParams(r: CaseRecord, idempotencyKey: string | null, disruptionKey: string | null): unknown[] {
  const c = columns(r);
  return [
    r.id, r.caseNumber, idempotencyKey, JSON.stringify(r), r.version, c.state, c.isOpen, r.kind, r.channel, c.severity, c.category, r.passengerId,
    c.owner, c.team, flightKey(r.links.flight), disruptionKey, new Date(r.openTime), c.urgency, c.nextCheck, c.breached, c.tokens,
  ];
}

export async function insertCase(tx: SqlTx, r: CaseRecord, idempotencyKey: string | null, disruptionKey: string | null): Promise<void> {
  await tx.query(INSERT_CASE, insertParams(r, idempotencyKey, disruptionKey));
}

/** A new case to insert: the change that opened it and its idempotency key. */
export interface CaseInsert {
  readonly change: Change;
  readonly idempotencyKey: string | null;
}

const CASE_PARAMS = 21;
const ACTIVITY_PARAMS = 10;
const OUTBOX_PARAMS = 5;

/** Bind parameters one new case adds to `insertCasesAtomically`'s statement (PostgreSQL allows 65,535 per statement). */
export function paramsOfCaseInsert(c: CaseInsert): number {
  return CASE_PARAMS + ACTIVITY_PARAMS * c.change.activities.length + OUTBOX_PARAMS * c.change.events.length;
}

const placeholders = (from: number, count: number, casts: Record<number, string> = {}) =>
  `(${Array.from({ length: count }, (_, j) => `$${from + j + 1}${casts[j] ?? ''}`).join(',')})`;

/**
 * New cases, their timelines and their events (outbox) in ONE statement: atomic by itself (all rows of all cases or
 * none), one round trip instead of BEGIN/INSERT×n/COMMIT — intake is the hottest write. Several cases at once is the
 * intake group commit (IntakeWriter); a duplicate idempotency key fails the statement whole.
 */
export async function insertCasesAtomically(db: SqlExecutor, batch: readonly CaseInsert[]): Promise<void> {
  const params: unknown[] = [];
  const caseRows: string[] = [];
  const activityRows: string[] = [];
  const outboxRows: string[] = [];
  for (const { change: ch, idempotencyKey } of batch) {
    caseRows.push(placeholders(params.length, CASE_PARAMS, { 3: '::jsonb' }));
    params.push(...insertParams(ch.record, idempotencyKey, null));
    for (const a of ch.activities) {
      activityRows.push(placeholders(params.length, ACTIVITY_PARAMS, { 3: '::jsonb' }));
      params.push(`act_${ulid()}`, ch.record.id, new Date(a.time), JSON.stringify(a.actor), a.type, a.summary, a.fromState, a.toState, a.body, a.visibility);
    }
    for (const e of ch.events) {
      outboxRows.push(placeholders(params.length, OUTBOX_PARAMS, { 4: '::jsonb' }));
      params.push(...outboxRow(toCloudEvent(e, ch.now), { topic: eventCodec(e.type).topic }));
    }
  }
  const ctes = [`c AS (${INSERT_CASE_HEAD} VALUES ${caseRows.join(', ')} RETURNING id)`];
  if (activityRows.length > 0) ctes.push(`a AS (INSERT INTO case_activities (id, case_id, time, actor, type, summary, from_state, to_state, body, visibility) VALUES ${activityRows.join(', ')})`);
  // One multi-row INSERT: rows take outbox seq numbers in list order, so each case's events stay in emission order.
  if (outboxRows.length > 0) ctes.push(`o AS (INSERT INTO outbox (${OUTBOX_INSERT_COLUMNS}) VALUES ${outboxRows.join(', ')})`);
  await db.query(`WITH ${ctes.join(', ')} SELECT id FROM c`, params);
}

/** One new case in one statement (see insertCasesAtomically). */
export function insertCaseAtomically(db: SqlExecutor, ch: Change, idempotencyKey: string | null): Promise<void> {
  return insertCasesAtomically(db, [{ change: ch, idempotencyKey }]);
}

/** Writes the changed aggregate if nobody else did since `expectedVersion` was read. */
export async function updateCase(tx: SqlTx, r: CaseRecord, expectedVersion: number): Promise<void> {
  r.version = expectedVersion + 1;
  const c = columns(r);
  const res = await tx.query(
    `UPDATE cases SET doc = $3::jsonb, version = $4, state = $5, is_open = $6, severity = $7, category_code = $8, passenger_id = $9,
       owner_agent_id = $10, team_id = $11, sla_urgency = $12, next_sla_check = $13, sla_breached = $14, search_tokens = $15
     WHERE id = $1 AND version = $2`,
    [r.id, expectedVersion, JSON.stringify(r), r.version, c.state, c.isOpen, c.severity, c.category, r.passengerId, c.owner, c.team, c.urgency, c.nextCheck, c.breached, c.tokens],
  );
  if (res.rowCount === 0) throw new VersionConflictError('case', r.id, String(expectedVersion));
}

export async function appendActivities(tx: SqlTx, caseId: string, acts: readonly ActivityRec[]): Promise<void> {
  for (const a of acts) {
    await tx.query(
      `INSERT INTO case_activities (id, case_id, time, actor, type, summary, from_state, to_state, body, visibility) VALUES ($1,$2,$3,$4::jsonb,$5,$6,$7,$8,$9,$10)`,
      [`act_${ulid()}`, caseId, new Date(a.time), JSON.stringify(a.actor), a.type, a.summary, a.fromState, a.toState, a.body, a.visibility],
    );
  }
}

/** Persists one action's outcome: the aggregate, its timeline entries and its events (outbox), in `tx`. */
export async function commitChange(tx: SqlTx, ch: Change, expectedVersion: number | 'insert', keys: { idempotencyKey?: string | null; disruptionKey?: string | null } = {}): Promise<void> {
  if (expectedVersion === 'insert') await insertCase(tx, ch.record, keys.idempotencyKey ?? null, keys.disruptionKey ?? null);
  else await updateCase(tx, ch.record, expectedVersion);
  await appendActivities(tx, ch.record.id, ch.activities);
  await appendEvents(tx, ch.events, ch.now);
}

export async function loadCase(db: SqlExecutor, id: string, opts: { forUpdate?: boolean; skipLocked?: boolean } = {}): Promise<CaseRecord | undefined> {
  const lock = opts.forUpdate ? (opts.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE') : '';
  const res = await db.query<CaseRow>(`SELECT doc FROM cases WHERE id = $1${lock}`, [id]);
  return res.rows[0]?.doc;
}

export async function requireCase(db: SqlExecutor, id: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRecord> {
  const r = await loadCase(db, id, opts);
  if (!r) throw new NotFoundError('case', id);
  return r;
}

export async function loadCaseByNumber(db: SqlExecutor, caseNumber: string): Promise<CaseRecord | undefined> {
  const res = await db.query<CaseRow>(`SELECT doc FROM cases WHERE case_number = $1`, [caseNumber]);
  return res.rows[0]?.doc;
}

export async function loadCaseByIdempotencyKey(db: SqlExecutor, key: string): Promise<CaseRecord | undefined> {
  const res = await db.query<CaseRow>(`SELECT doc FROM cases WHERE idempotency_key = $1`, [key]);
  return res.rows[0]?.doc;
}

export async function loadCaseByDisruptionKey(db: SqlExecutor, key: string, forUpdate = false): Promise<CaseRecord | undefined> {
  const res = await db.query<CaseRow>(`SELECT doc FROM cases WHERE disruption_key = $1${forUpdate ? ' FOR UPDATE' : ''}`, [key]);
  return res.rows[0]?.doc;
}

/**
 * Human case numbers from a per-year PostgreSQL sequence (no row lock shared by all intakes). A replica takes `block`
 * numbers per round trip (hi/lo): numbers stay unique, but across replicas they are not in intake order, and a restart
 * skips the unused rest of a block. `block` = 1 gives strictly sequential numbers at one round trip per case.
 */
export class CaseNumbers {
  private readonly ready = new Set<number>();
  private readonly pool = new Map<number, number[]>();
  private readonly refills = new Map<number, Promise<void>>();
  constructor(private readonly block = 1) {}

  async ensureYear(db: SqlExecutor, year: number): Promise<void> {
    if (this.ready.has(year)) return;
    try {
      await db.query(`CREATE SEQUENCE IF NOT EXISTS case_number_${year} START 1`);
    } catch (err) {
      // Two replicas creating the same sequence at once: the loser sees a unique violation; the sequence exists.
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw err;
    }
    this.ready.add(year);
  }

  async next(db: SqlExecutor, year: number): Promise<string> {
    const format = (n: number) => `CS-${year}-${String(n).padStart(6, '0')}`;
    if (this.block <= 1) {
      const res = await db.query<{ n: string }>(`SELECT nextval('case_number_${year}') AS n`);
      return format(Number(res.rows[0]?.n ?? 0));
    }
    for (;;) {
      const free = this.pool.get(year);
      const n = free?.shift();
      if (n !== undefined) return format(n);
      let refill = this.refills.get(year);
      if (!refill) {
        refill = (async () => {
          const res = await db.query<{ n: string }>(`SELECT nextval('case_number_${year}') AS n FROM generate_series(1, $1)`, [this.block]);
          this.pool.set(year, [...(this.pool.get(year) ?? []), ...res.rows.map((r) => Number(r.n))].sort((a, b) => a - b));
        })().finally(() => this.refills.delete(year));
        this.refills.set(year, refill);
      }
      await refill;
    }
  }
}
