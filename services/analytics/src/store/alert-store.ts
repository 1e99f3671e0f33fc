import { eventCodec, analytics } from '@csm/contracts';
import { appendToOutbox, createEvent, sourceForDomain, type EventData } from '@csm/platform/events';
import type { SqlDb, SqlExecutor } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';

export type AlertKindCode = 'SLA_BREACH_RATE' | 'COMPLAINT_SPIKE' | 'SATISFACTION_DROP' | 'DELAY_SPIKE' | 'CHURN_RISK' | 'ACCOUNT_ANOMALY';
export type AlertSeverityCode = 'INFO' | 'WARNING' | 'CRITICAL';
export type AlertStateCode = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';

export interface AlertScope {
  readonly dimension: string;
  readonly values: readonly string[];
}

export interface NewAlert {
  readonly dedupeKey: string;
  readonly kind: AlertKindCode;
  readonly severity: AlertSeverityCode;
  readonly title: string;
  readonly description: string;
  readonly kpi: string;
  readonly observedValue: number;
  readonly threshold: number;
  readonly scope: readonly AlertScope[];
  readonly passengerId?: string;
  readonly memberId?: string;
}

export interface StoredAlert extends NewAlert {
  readonly id: string;
  readonly state: AlertStateCode;
  readonly raiseTime: Date;
  readonly acknowledgeTime?: Date | undefined;
  readonly acknowledgedBy?: string | undefined;
}

const spec = eventCodec('csm.analytics.alert.raised.v1');

/**
 * Raises an alert once per dedupe key (rule + scope + business date), and in the SAME transaction appends its
 * AlertRaised event to the outbox: a rebuild or a second evaluation of the same day raises nothing new.
 */
export async function raiseAlert(db: SqlDb, a: NewAlert, now: Date): Promise<StoredAlert | undefined> {
  return db.transaction(async (tx) => {
    const id = `alr_${ulid()}`;
    const res = await tx.query(
      `INSERT INTO alert (alert_id, dedupe_key, kind, severity, state, title, description, kpi, observed_value, threshold, scope, passenger_id, member_id, raise_time)
       VALUES ($1, $2, $3, $4, 'OPEN', $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13) ON CONFLICT (dedupe_key) DO NOTHING`,
      [id, a.dedupeKey, a.kind, a.severity, a.title, a.description, a.kpi, a.observedValue, a.threshold, JSON.stringify(a.scope), a.passengerId ?? null, a.memberId ?? null, now],
    );
    if (res.rowCount === 0) return undefined;
    const payload = spec.codec.fromPartial({
      alertId: id,
      kind: analytics.alertKindFromJSON(`ALERT_KIND_${a.kind}`),
      severity: analytics.alertSeverityFromJSON(`ALERT_SEVERITY_${a.severity}`),
      kpi: analytics.kpiFromJSON(`KPI_${a.kpi}`),
      observedValue: a.observedValue,
      threshold: a.threshold,
      scope: a.scope.map((s) => ({ dimension: analytics.dimensionFromJSON(`DIMENSION_${s.dimension}`), values: [...s.values] })),
      passengerId: a.passengerId ?? '',
      memberId: a.memberId ?? '',
      raiseTime: now,
    });
    await appendToOutbox(
      tx,
      createEvent({ source: sourceForDomain('analytics'), type: spec.type, subject: id, data: spec.toJSON(payload) as EventData, dataschema: `urn:proto:${spec.protoMessage}` }),
      { topic: spec.topic },
    );
    return { ...a, id, state: 'OPEN' as const, raiseTime: now };
  });
}

function fromRow(r: Record<string, unknown>): StoredAlert {
  return {
    id: String(r.alert_id),
    dedupeKey: String(r.dedupe_key),
    kind: r.kind as AlertKindCode,
    severity: r.severity as AlertSeverityCode,
    state: r.state as AlertStateCode,
    title: String(r.title),
    description: String(r.description),
    kpi: String(r.kpi),
    observedValue: Number(r.observed_value),
    threshold: Number(r.threshold),
    scope: (typeof r.scope === 'string' ? JSON.parse(r.scope) : r.scope) as AlertScope[],
    ...(r.passenger_id ? { passengerId: String(r.passenger_id) } : {}),
    ...(r.member_id ? { memberId: String(r.member_id) } : {}),
    raiseTime: new Date(r.raise_time as string | Date),
    acknowledgeTime: r.acknowledge_time ? new Date(r.acknowledge_time as string | Date) : undefined,
    acknowledgedBy: r.acknowledged_by ? String(r.acknowledged_by) : undefined,
  };
}

export interface AlertFilter {
  readonly states: readonly string[];
  readonly kinds: readonly string[];
  readonly severities: readonly string[];
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Keyset cursor: alerts strictly older than (raiseTime, id). */
  readonly after?: { raiseTime: Date; id: string } | undefined;
  readonly limit: number;
}

/** Newest first. */
export async function listAlerts(db: SqlExecutor, f: AlertFilter): Promise<StoredAlert[]> {
  const where: string[] = ['true'];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.states.length) where.push(`state = ANY(${p(f.states)}::text[])`);
  if (f.kinds.length) where.push(`kind = ANY(${p(f.kinds)}::text[])`);
  if (f.severities.length) where.push(`severity = ANY(${p(f.severities)}::text[])`);
  if (f.from) where.push(`raise_time >= ${p(f.from)}::timestamptz`);
  if (f.to) where.push(`raise_time < ${p(f.to)}::timestamptz`);
  if (f.after) where.push(`(raise_time, alert_id) < (${p(f.after.raiseTime)}::timestamptz, ${p(f.after.id)}::text)`);
  const res = await db.query<Record<string, unknown>>(`SELECT * FROM alert WHERE ${where.join(' AND ')} ORDER BY raise_time DESC, alert_id DESC LIMIT ${p(f.limit)}`, params);
  return res.rows.map(fromRow);
}

export async function getAlert(db: SqlExecutor, id: string): Promise<StoredAlert | undefined> {
  const res = await db.query<Record<string, unknown>>(`SELECT * FROM alert WHERE alert_id = $1`, [id]);
  return res.rows[0] ? fromRow(res.rows[0]) : undefined;
}

export async function acknowledgeAlert(db: SqlExecutor, id: string, by: string, comment: string, at: Date): Promise<StoredAlert | undefined> {
  const res = await db.query<Record<string, unknown>>(
    `UPDATE alert SET state = 'ACKNOWLEDGED', acknowledge_time = $3, acknowledged_by = $2, comment = $4 WHERE alert_id = $1 AND state = 'OPEN' RETURNING *`,
    [id, by, at, comment || null],
  );
  return res.rows[0] ? fromRow(res.rows[0]) : undefined;
}
