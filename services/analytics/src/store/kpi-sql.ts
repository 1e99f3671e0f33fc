import type { SqlExecutor } from '@csm/platform/stores';
import { KPIS, type DimensionCode, type FactSource, type GranularityCode, type KpiCode, type StatisticCode } from '../domain/kpi-catalogue';

/** A validated KPI query (see app/validate.ts). Times are half-open [start, end). */
export interface KpiQuery {
  readonly kpi: KpiCode;
  readonly start?: Date | undefined;
  readonly end?: Date | undefined;
  readonly filters: readonly { readonly dimension: DimensionCode; readonly values: readonly string[] }[];
  readonly groupBy: readonly DimensionCode[];
  readonly statistic: StatisticCode;
  readonly timeZone: string;
  /** Series: bucket rows by period (start date of the period in timeZone). */
  readonly granularity?: GranularityCode | undefined;
}

export interface KpiRow {
  readonly group: string[];
  readonly period?: string;
  readonly value: number;
  readonly sampleSize: number;
}

const FLIGHT_OF_CASE = `LEFT JOIN LATERAL (SELECT ff.origin, ff.destination FROM fact_flight ff
   WHERE ff.carrier = c.flight_carrier AND ff.number = c.flight_number AND ff.flight_date = c.flight_date ORDER BY ff.flight_id LIMIT 1) f ON true`;
const passengerJoins = (pid: string) => `LEFT JOIN LATERAL (SELECT mm.tier FROM dim_member mm WHERE mm.passenger_id = ${pid} ORDER BY mm.member_id LIMIT 1) m ON true
   LEFT JOIN dim_passenger p ON p.passenger_id = ${pid}
   LEFT JOIN passenger_segment ps ON ps.passenger_id = ${pid}`;

const CASE_DIM_SQL: Partial<Record<DimensionCode, string>> = {
  CHANNEL: 'c.channel',
  CASE_KIND: 'c.kind',
  CATEGORY: 'c.category_code',
  SEVERITY: 'c.severity',
  AIRPORT: 'f.origin',
  CARRIER: 'c.flight_carrier',
  ROUTE: "(f.origin || '-' || f.destination)",
  TIER: 'm.tier',
  SEGMENT: 'ps.segment_id',
  TEAM: 'c.team_id',
  CUSTOMER_GRADE: 'p.grade',
};

interface SourceSql {
  readonly from: string;
  readonly dims: Partial<Record<DimensionCode, string>>;
}

const SOURCES: Record<Exclude<FactSource, 'complaint_rate' | 'backlog'>, SourceSql> = {
  cases: { from: `fact_case c ${FLIGHT_OF_CASE} ${passengerJoins('c.passenger_id')}`, dims: CASE_DIM_SQL },
  surveys: {
    from: `fact_survey s LEFT JOIN fact_case c ON c.case_id = s.case_id ${FLIGHT_OF_CASE} ${passengerJoins('s.passenger_id')}`,
    dims: { ...CASE_DIM_SQL, CHANNEL: 'COALESCE(s.channel, c.channel)' },
  },
  sentiment: {
    from: `fact_text_sentiment t LEFT JOIN fact_case c ON c.case_id = t.case_id ${FLIGHT_OF_CASE} ${passengerJoins('t.passenger_id')}`,
    dims: CASE_DIM_SQL,
  },
  flights: { from: 'fact_flight f', dims: { AIRPORT: 'f.origin', CARRIER: 'f.carrier', ROUTE: "(f.origin || '-' || f.destination)" } },
  postings: {
    from: `fact_loyalty_posting l LEFT JOIN dim_member m ON m.member_id = l.member_id
           LEFT JOIN dim_passenger p ON p.passenger_id = m.passenger_id LEFT JOIN passenger_segment ps ON ps.passenger_id = m.passenger_id`,
    dims: { CARRIER: 'l.flight_carrier', TIER: 'm.tier', SEGMENT: 'ps.segment_id', CUSTOMER_GRADE: 'p.grade' },
  },
  members: {
    from: `dim_member m LEFT JOIN dim_passenger p ON p.passenger_id = m.passenger_id LEFT JOIN passenger_segment ps ON ps.passenger_id = m.passenger_id`,
    dims: { TIER: 'm.tier', SEGMENT: 'ps.segment_id', CUSTOMER_GRADE: 'p.grade' },
  },
};

interface Measure {
  readonly source: keyof typeof SOURCES;
  readonly time: string;
  readonly where: string;
  /** value and sample-size expressions, or a distribution expression. */
  readonly value?: string;
  readonly n?: string;
  readonly dist?: string;
}

const DELAYED = 'GREATEST(f.arrival_delay_minutes, f.departure_delay_minutes)';
const MEASURES: Record<Exclude<KpiCode, 'COMPLAINT_RATE' | 'BACKLOG'>, Measure> = {
  CASE_VOLUME: { source: 'cases', time: 'c.open_time', where: 'c.open_time IS NOT NULL', value: 'count(*)', n: 'count(*)' },
  FIRST_RESPONSE_TIME: { source: 'cases', time: 'c.open_time', where: 'c.first_response_time IS NOT NULL AND c.open_time IS NOT NULL', dist: 'extract(epoch FROM (c.first_response_time - c.open_time)) / 60.0' },
  HANDLING_TIME: { source: 'cases', time: 'c.resolve_time', where: 'c.handling_seconds IS NOT NULL', dist: 'c.handling_seconds / 3600.0' },
  SLA_COMPLIANCE: { source: 'cases', time: 'c.close_time', where: 'c.close_time IS NOT NULL', value: '100.0 * count(*) FILTER (WHERE NOT c.sla_breached) / NULLIF(count(*), 0)', n: 'count(*)' },
  RESOLUTION_RATE: { source: 'cases', time: 'c.open_time', where: 'c.open_time IS NOT NULL', value: '100.0 * count(*) FILTER (WHERE c.resolve_time IS NOT NULL) / NULLIF(count(*), 0)', n: 'count(*)' },
  REOPEN_RATE: { source: 'cases', time: 'c.resolve_time', where: 'c.resolve_time IS NOT NULL', value: '100.0 * count(*) FILTER (WHERE c.reopen_count > 0) / NULLIF(count(*), 0)', n: 'count(*)' },
  REPEAT_CONTACT_RATE: {
    source: 'cases',
    time: 'c.open_time',
    where: 'c.open_time IS NOT NULL AND c.passenger_id IS NOT NULL',
    value: `100.0 * count(*) FILTER (WHERE EXISTS (SELECT 1 FROM fact_case c2 WHERE c2.passenger_id = c.passenger_id AND c2.case_id <> c.case_id
              AND c2.open_time < c.open_time AND c2.open_time >= c.open_time - interval '7 days')) / NULLIF(count(*), 0)`,
    n: 'count(*)',
  },
  CSAT: { source: 'surveys', time: 's.record_time', where: 's.csat IS NOT NULL', value: 'avg(s.csat)', n: 'count(*)' },
  NPS: { source: 'surveys', time: 's.record_time', where: 's.nps IS NOT NULL', value: '100.0 * (count(*) FILTER (WHERE s.nps >= 9) - count(*) FILTER (WHERE s.nps <= 6)) / NULLIF(count(*), 0)', n: 'count(*)' },
  SATISFACTION_INDEX: { source: 'surveys', time: 's.record_time', where: 's.csat IS NOT NULL', value: '100.0 * count(*) FILTER (WHERE s.csat >= 4) / NULLIF(count(*), 0)', n: 'count(*)' },
  NET_SENTIMENT: { source: 'sentiment', time: 't.event_time', where: 'true', value: "100.0 * (count(*) FILTER (WHERE t.label = 'POSITIVE') - count(*) FILTER (WHERE t.label = 'NEGATIVE')) / NULLIF(count(*), 0)", n: 'count(*)' },
  FLIGHT_DELAY_RATE: { source: 'flights', time: 'f.scheduled_departure', where: 'true', value: `100.0 * count(*) FILTER (WHERE f.cancelled OR ${DELAYED} >= 15) / NULLIF(count(*), 0)`, n: 'count(*)' },
  ON_TIME_PERFORMANCE: { source: 'flights', time: 'f.scheduled_departure', where: 'NOT f.cancelled', value: '100.0 * count(*) FILTER (WHERE f.arrival_delay_minutes < 15 AND NOT f.diverted) / NULLIF(count(*), 0)', n: 'count(*)' },
  DELAY_MINUTES: { source: 'flights', time: 'f.scheduled_departure', where: `NOT f.cancelled AND ${DELAYED} >= 15`, dist: DELAYED },
  PASSENGERS_CARRIED: { source: 'flights', time: 'f.scheduled_departure', where: 'NOT f.cancelled AND f.passengers_carried IS NOT NULL', value: 'sum(f.passengers_carried)', n: 'count(*)' },
  MILES_EARNED: { source: 'postings', time: 'l.posting_time', where: "l.direction = 'EARNED'", value: 'sum(l.miles)', n: 'count(*)' },
  MILES_BURNED: { source: 'postings', time: 'l.posting_time', where: "l.direction IN ('REDEEMED', 'REDEMPTION_RETURNED')", value: "sum(CASE WHEN l.direction = 'REDEEMED' THEN l.miles ELSE -l.miles END)", n: 'count(*)' },
  MILES_EXPIRED: { source: 'postings', time: 'l.posting_time', where: "l.direction = 'EXPIRED'", value: 'sum(l.miles)', n: 'count(*)' },
  MEMBER_COUNT: { source: 'members', time: 'm.enroll_time', where: 'true', value: 'count(*)', n: 'count(*)' },
};

const STAT_SQL: Record<StatisticCode, (x: string) => string> = {
  MEDIAN: (x) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${x})`,
  P90: (x) => `percentile_cont(0.9) WITHIN GROUP (ORDER BY ${x})`,
  MEAN: (x) => `avg(${x})`,
};

class Params {
  readonly values: unknown[] = [];
  p(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

function bucketSql(time: string, g: GranularityCode, tz: string): string {
  const local = `(${time} AT TIME ZONE ${tz})`;
  if (g === 'DAILY') return `to_char(${local}, 'YYYY-MM-DD')`;
  return `to_char(date_trunc('${g === 'WEEKLY' ? 'week' : 'month'}', ${local}), 'YYYY-MM-DD')`;
}

function filterSql(dims: Partial<Record<DimensionCode, string>>, q: KpiQuery, ps: Params, only?: readonly DimensionCode[]): string[] {
  const out: string[] = [];
  for (const f of q.filters) {
    if (only && !only.includes(f.dimension)) continue;
    const expr = dims[f.dimension];
    if (expr === undefined) continue; // validated upstream; complaint-rate filters apply to one side only
    const arr = ps.p([...f.values]);
    out.push(
      f.dimension === 'CATEGORY'
        ? `EXISTS (SELECT 1 FROM unnest(${arr}::text[]) v WHERE ${expr} = v OR ${expr} LIKE v || '.%')`
        : `${expr} = ANY(${arr}::text[])`,
    );
  }
  return out;
}

interface Built {
  sql: string;
  params: unknown[];
}

function build(measure: Measure, q: KpiQuery, extraWhere: string[] = [], onlyFilters?: readonly DimensionCode[], groupBy = q.groupBy): Built {
  const src = SOURCES[measure.source];
  const ps = new Params();
  const where = [measure.where, ...extraWhere];
  if (q.start) where.push(`${measure.time} >= ${ps.p(q.start)}::timestamptz`);
  if (q.end) where.push(`${measure.time} < ${ps.p(q.end)}::timestamptz`);
  where.push(...filterSql(src.dims, q, ps, onlyFilters));
  const groups = groupBy.map((d, i) => `COALESCE(${src.dims[d] ?? "''"}, '') AS g${i}`);
  if (q.granularity) groups.push(`${bucketSql(measure.time, q.granularity, ps.p(q.timeZone))} AS period`);
  const value = measure.dist !== undefined ? STAT_SQL[q.statistic](measure.dist) : (measure.value ?? 'count(*)');
  const n = measure.n ?? 'count(*)';
  const groupCols = groups.map((_, i) => String(i + 1));
  const sql = `SELECT ${[...groups, `(${value})::float8 AS value`, `(${n})::float8 AS n`].join(', ')}
    FROM ${src.from} WHERE ${where.join(' AND ')}${q.granularity ? ` AND ${measure.time} IS NOT NULL` : ''}
    ${groupCols.length ? `GROUP BY ${groupCols.join(', ')} ORDER BY ${groupCols.join(', ')}` : ''}`;
  return { sql, params: ps.values };
}

type Raw = Record<string, unknown>;
/** KPI values are reported to 6 decimals: floating-point noise (7.900000000000001) is not a business number. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const toRows = (rows: Raw[], groupCount: number): KpiRow[] =>
  rows.map((r) => ({
    group: Array.from({ length: groupCount }, (_, i) => String(r[`g${i}`] ?? '')),
    ...(r.period !== undefined ? { period: String(r.period) } : {}),
    value: round6(Number(r.value ?? 0)),
    sampleSize: Number(r.n ?? 0),
  }));

const keyOf = (r: KpiRow) => JSON.stringify([r.group, r.period ?? null]);

/** Runs a KPI query: one row per group (and period for series). Groups without data are absent. */
export async function runKpiQuery(db: SqlExecutor, q: KpiQuery): Promise<KpiRow[]> {
  if (q.kpi === 'BACKLOG') return runBacklog(db, q);
  if (q.kpi === 'COMPLAINT_RATE') return runComplaintRate(db, q);
  const measure = MEASURES[q.kpi];
  const { sql, params } = build(measure, q);
  const res = await db.query<Raw>(sql, params);
  // Aggregates over zero rows (ungrouped) come back as one row with n = 0.
  return toRows(res.rows, q.groupBy.length).filter((r) => r.sampleSize > 0);
}

async function runComplaintRate(db: SqlExecutor, q: KpiQuery): Promise<KpiRow[]> {
  const flightDims: readonly DimensionCode[] = ['AIRPORT', 'CARRIER', 'ROUTE'];
  const num = build(MEASURES.CASE_VOLUME, q, ["c.kind = 'CASE_KIND_COMPLAINT'"]);
  const den = build(MEASURES.PASSENGERS_CARRIED, q, [], flightDims);
  const complaints = toRows((await db.query<Raw>(num.sql, num.params)).rows, q.groupBy.length);
  const carried = toRows((await db.query<Raw>(den.sql, den.params)).rows, q.groupBy.length);
  const byKey = new Map(complaints.map((r) => [keyOf(r), r.value]));
  return carried
    .filter((d) => d.sampleSize > 0 && d.value > 0)
    .map((d) => ({ ...d, value: round6(((byKey.get(keyOf(d)) ?? 0) * 10_000) / d.value), sampleSize: d.value }));
}

/** Backlog as of the range's end (or now): open cases, optionally by age bucket. Series: as of each period's end. */
async function runBacklog(db: SqlExecutor, q: KpiQuery): Promise<KpiRow[]> {
  const asOf = q.end ?? new Date();
  const ps = new Params();
  const t = `${ps.p(asOf)}::timestamptz`;
  const src = SOURCES.cases;
  const ageBucket = `CASE WHEN ${t} - c.open_time < interval '24 hours' THEN '0-24h' WHEN ${t} - c.open_time < interval '48 hours' THEN '24-48h'
                          WHEN ${t} - c.open_time < interval '72 hours' THEN '48-72h' ELSE '72h+' END`;
  const dims = { ...src.dims, AGE_BUCKET: ageBucket };
  const where = [
    'c.open_time IS NOT NULL',
    `c.open_time < ${t}`,
    `(c.resolve_time IS NULL OR c.resolve_time >= ${t})`,
    `(c.close_time IS NULL OR c.close_time >= ${t})`,
    ...filterSql(dims, q, ps),
  ];
  const groups = q.groupBy.map((d, i) => `COALESCE(${dims[d] ?? "''"}, '') AS g${i}`);
  const cols = groups.map((_, i) => String(i + 1));
  const sql = `SELECT ${[...groups, 'count(*)::float8 AS value', 'count(*)::float8 AS n'].join(', ')} FROM ${src.from}
    WHERE ${where.join(' AND ')} ${cols.length ? `GROUP BY ${cols.join(', ')} ORDER BY ${cols.join(', ')}` : ''}`;
  const res = await db.query<Raw>(sql, ps.values);
  return toRows(res.rows, q.groupBy.length).filter((r) => r.sampleSize > 0);
}

export { KPIS };
