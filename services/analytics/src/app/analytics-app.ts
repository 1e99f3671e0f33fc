import { ConflictError, IllegalStateTransitionError, NotFoundError, ValidationError } from '@csm/platform/errors';
import type { Logger } from '@csm/platform/logging';
import type { SqlDb } from '@csm/platform/stores';
import { stringify } from 'csv-stringify/sync';
import type { Config } from '../config';
import { addDays, businessDate, isIsoDate } from '../domain/business-date';
import { scoreChurn, type ChurnScore, type RiskLevelCode } from '../domain/churn';
import { KPIS, type DimensionCode, type GranularityCode, type KpiCode, type StatisticCode } from '../domain/kpi-catalogue';
import { segmentPassengers } from '../domain/segmentation';
import { defaultMovingAverageWindow, historyPeriods, withTrends, type TrendPoint } from '../domain/trends';
import type { ProjectionRunner } from '../events/projection-runner';
import { acknowledgeAlert, getAlert, listAlerts, raiseAlert, type AlertFilter, type NewAlert, type StoredAlert } from '../store/alert-store';
import { loadChurnInputs } from '../store/churn-store';
import { runKpiQuery, type KpiQuery, type KpiRow } from '../store/kpi-sql';
import { listSegments, loadRfm, saveSegmentation, type StoredSegment } from '../store/segment-store';
import { validateScope, type ScopeInput } from './validate';

export interface ChurnRiskView extends ChurnScore {
  readonly passengerId: string;
  readonly highValue: boolean;
  readonly segmentId: string | null;
  readonly computeTime: Date;
}

export interface SeriesView {
  readonly unit: string;
  readonly points: TrendPoint[];
}

const RISK_RANK: Record<RiskLevelCode, number> = { LOW: 1, MEDIUM: 2, HIGH: 3 };

/** Use cases of the analytics service (everything read-only except alerts, segments and rebuilds). */
export class AnalyticsApp {
  constructor(
    private readonly db: SqlDb,
    private readonly config: Config,
    private readonly runner: ProjectionRunner | undefined,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // --- KPIs and trends -----------------------------------------------------------------------------------------------

  async queryKpi(kpi: KpiCode, scope: ScopeInput, groupBy: readonly DimensionCode[], statistic: StatisticCode): Promise<{ unit: string; values: KpiRow[] }> {
    const q = validateScope(kpi, scope, groupBy, statistic, this.config.CSM_ANALYTICS_TIME_ZONE);
    return { unit: KPIS[kpi].unit, values: await runKpiQuery(this.db, q) };
  }

  async querySeries(kpi: KpiCode, scope: ScopeInput, granularity: GranularityCode, statistic: StatisticCode, movingAveragePeriods: number): Promise<SeriesView> {
    const q = validateScope(kpi, scope, [], statistic, this.config.CSM_ANALYTICS_TIME_ZONE);
    const violations = [];
    if (!q.start || !q.end) violations.push({ field: 'scope.time_range', description: 'a series needs both start_time and end_time', rule: 'required' });
    if (movingAveragePeriods < 0 || movingAveragePeriods > 366) violations.push({ field: 'moving_average_periods', description: 'must be 0..366', rule: 'range' });
    if (violations.length) throw new ValidationError(violations);
    const window = movingAveragePeriods || defaultMovingAverageWindow(granularity);
    const history = historyPeriods(granularity, window);
    const periods = await this.periods(q.start as Date, q.end as Date, granularity, q.timeZone, history);
    if (periods.length - history > 1100) throw new ValidationError([{ field: 'scope.time_range', description: 'at most 1100 periods per series', rule: 'max_periods' }]);
    const first = periods[0];
    const last = periods[periods.length - 1];
    let rows: KpiRow[];
    if (kpi === 'BACKLOG') {
      rows = [];
      for (const p of periods) {
        const [r] = await runKpiQuery(this.db, { ...q, start: undefined, end: p.end, granularity: undefined });
        rows.push({ group: [], period: p.period, value: r?.value ?? 0, sampleSize: r?.sampleSize ?? 0 });
      }
    } else {
      rows = await runKpiQuery(this.db, { ...q, start: first?.start, end: last?.end, granularity });
    }
    const byPeriod = new Map(rows.map((r) => [r.period, r]));
    const points = periods.map((p) => ({ period: p.period, value: byPeriod.get(p.period)?.value ?? 0, sampleSize: byPeriod.get(p.period)?.sampleSize ?? 0 }));
    return { unit: KPIS[kpi].unit, points: withTrends(points, granularity, window, history) };
  }

  /** Periods covering [start, end) in `zone`, preceded by `history` earlier ones; bounds are local midnights. */
  private async periods(start: Date, end: Date, g: GranularityCode, zone: string, history: number) {
    const unit = g === 'DAILY' ? 'day' : g === 'WEEKLY' ? 'week' : 'month';
    const res = await this.db.query<{ period: string; start_at: Date; end_at: Date }>(
      `SELECT to_char(d, 'YYYY-MM-DD') AS period, (d AT TIME ZONE $3) AS start_at, ((d + ('1 ' || $4)::interval) AT TIME ZONE $3) AS end_at
         FROM generate_series(date_trunc($4, $1::timestamptz AT TIME ZONE $3) - ($5::int * ('1 ' || $4)::interval),
                              date_trunc($4, ($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3), ('1 ' || $4)::interval) d`,
      [start, end, zone, unit, history],
    );
    return res.rows.map((r) => ({ period: r.period, start: new Date(r.start_at), end: new Date(r.end_at) }));
  }

  // --- churn ---------------------------------------------------------------------------------------------------------

  private isHighValue(i: { tier: string | null; grade: string | null; milesEarnedYear: number }): boolean {
    return i.tier === 'TIER_GOLD' || i.tier === 'TIER_PLATINUM' || i.grade === 'CUSTOMER_GRADE_VIP' || i.milesEarnedYear >= this.config.CSM_ANALYTICS_HIGH_VALUE_MILES;
  }

  async churnRisks(passengerId?: string): Promise<ChurnRiskView[]> {
    const at = this.now();
    const inputs = await loadChurnInputs(this.db, at, this.config.CSM_ANALYTICS_CHURN_WINDOW_DAYS, passengerId);
    return inputs.map((i) => {
      const highValue = this.isHighValue(i);
      return { passengerId: i.passengerId, highValue, segmentId: i.segmentId, computeTime: at, ...scoreChurn(i.features, highValue) };
    });
  }

  async getChurnRisk(passengerId: string): Promise<ChurnRiskView> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(passengerId)) throw new ValidationError([{ field: 'passenger_id', description: 'must be a passenger id', rule: 'format' }]);
    const [risk] = await this.churnRisks(passengerId);
    if (!risk) throw new NotFoundError('passenger', passengerId);
    return risk;
  }

  /** Highest score first (ties by passenger id); keyset cursor over (score, id). */
  async listChurnRisks(opts: { minLevel?: RiskLevelCode; segmentId?: string; highValueOnly: boolean; after?: { score: number; id: string }; limit: number }): Promise<ChurnRiskView[]> {
    const all = await this.churnRisks();
    return all
      .filter((r) => (opts.minLevel ? RISK_RANK[r.level] >= RISK_RANK[opts.minLevel] : true))
      .filter((r) => (opts.segmentId ? r.segmentId === opts.segmentId : true))
      .filter((r) => (opts.highValueOnly ? r.highValue : true))
      .sort((a, b) => b.score - a.score || a.passengerId.localeCompare(b.passengerId))
      .filter((r) => !opts.after || r.score < opts.after.score || (r.score === opts.after.score && r.passengerId > opts.after.id))
      .slice(0, opts.limit);
  }

  // --- segmentation --------------------------------------------------------------------------------------------------

  async runSegmentation(): Promise<{ segments: StoredSegment[]; passengers: number }> {
    const at = this.now();
    const rows = await loadRfm(this.db, at, 365);
    const result = segmentPassengers(rows, this.config.CSM_ANALYTICS_SEGMENTS, this.config.CSM_ANALYTICS_SEGMENT_SEED);
    await saveSegmentation(this.db, result, at);
    this.logger.info({ passengers: rows.length, segments: result.segments.length }, 'segmentation done');
    return { segments: await listSegments(this.db), passengers: rows.length };
  }

  listSegments(): Promise<StoredSegment[]> {
    return listSegments(this.db);
  }

  async getSegment(id: string): Promise<StoredSegment> {
    const found = (await listSegments(this.db)).find((s) => s.id === id);
    if (!found) throw new NotFoundError('segment', id);
    return found;
  }

  // --- early warnings ------------------------------------------------------------------------------------------------

  /** Runs the rules for each business date in [from, to] (default: yesterday and today). Returns newly raised alerts. */
  async evaluateAlerts(from?: string, to?: string): Promise<StoredAlert[]> {
    const zone = this.config.CSM_ANALYTICS_TIME_ZONE;
    const today = businessDate(this.now(), zone);
    const start = from || addDays(today, -1);
    const end = to || today;
    const bad = [
      ...(!isIsoDate(start) ? [{ field: 'dates.start_date', description: 'must be YYYY-MM-DD', rule: 'format' }] : []),
      ...(!isIsoDate(end) ? [{ field: 'dates.end_date', description: 'must be YYYY-MM-DD', rule: 'format' }] : []),
    ];
    if (bad.length) throw new ValidationError(bad);
    if (start > end || addDays(start, 92) < end) throw new ValidationError([{ field: 'dates', description: 'start_date ≤ end_date, at most 92 days', rule: 'range' }]);
    const raised: StoredAlert[] = [];
    for (let d = start; d <= end; d = addDays(d, 1)) {
      for (const alert of await this.rulesForDay(d)) {
        const stored = await raiseAlert(this.db, alert, this.now());
        if (stored) raised.push(stored);
      }
    }
    return raised;
  }

  private async rulesForDay(day: string): Promise<NewAlert[]> {
    const c = this.config;
    const zone = c.CSM_ANALYTICS_TIME_ZONE;
    const bounds = await this.db.query<{ s: Date; e: Date; ws: Date }>(
      `SELECT ($1::date::timestamp AT TIME ZONE $2) AS s, (($1::date + 1)::timestamp AT TIME ZONE $2) AS e, (($1::date - 7)::timestamp AT TIME ZONE $2) AS ws`,
      [day, zone],
    );
    const b = bounds.rows[0];
    if (!b) return [];
    const base = { start: new Date(b.s), end: new Date(b.e), filters: [], groupBy: [], statistic: 'MEDIAN' as const, timeZone: zone };
    const out: NewAlert[] = [];
    const minN = c.CSM_ANALYTICS_ALERT_MIN_SAMPLE;
    const pct = (x: number) => `${x.toFixed(1)} %`;

    const [sla] = await runKpiQuery(this.db, { ...base, kpi: 'SLA_COMPLIANCE' });
    if (sla && sla.sampleSize >= minN && sla.value < c.CSM_ANALYTICS_ALERT_SLA_MIN_PCT) {
      out.push({
        dedupeKey: `SLA_BREACH_RATE|${day}`, kind: 'SLA_BREACH_RATE', severity: sla.value < c.CSM_ANALYTICS_ALERT_SLA_MIN_PCT - 10 ? 'CRITICAL' : 'WARNING',
        title: `SLA compliance ${pct(sla.value)} on ${day}`, description: `${sla.sampleSize} cases closed on ${day}; compliance below ${c.CSM_ANALYTICS_ALERT_SLA_MIN_PCT} %`,
        kpi: 'SLA_COMPLIANCE', observedValue: sla.value, threshold: c.CSM_ANALYTICS_ALERT_SLA_MIN_PCT, scope: [],
      });
    }
    const [sat] = await runKpiQuery(this.db, { ...base, kpi: 'SATISFACTION_INDEX' });
    if (sat && sat.sampleSize >= minN && sat.value < c.CSM_ANALYTICS_ALERT_SATISFACTION_MIN_PCT) {
      out.push({
        dedupeKey: `SATISFACTION_DROP|${day}`, kind: 'SATISFACTION_DROP', severity: 'WARNING',
        title: `Satisfaction index ${pct(sat.value)} on ${day}`, description: `${sat.sampleSize} surveys on ${day}; below the ${c.CSM_ANALYTICS_ALERT_SATISFACTION_MIN_PCT} % target`,
        kpi: 'SATISFACTION_INDEX', observedValue: sat.value, threshold: c.CSM_ANALYTICS_ALERT_SATISFACTION_MIN_PCT, scope: [],
      });
    }
    const complaints = { filters: [{ dimension: 'CASE_KIND' as const, values: ['CASE_KIND_COMPLAINT'] }], groupBy: ['ROUTE' as const] };
    const today = await runKpiQuery(this.db, { ...base, ...complaints, kpi: 'CASE_VOLUME' });
    const trailing = new Map((await runKpiQuery(this.db, { ...base, ...complaints, kpi: 'CASE_VOLUME', start: new Date(b.ws), end: new Date(b.s) })).map((r) => [r.group[0], r.value / 7]));
    for (const r of today) {
      const route = r.group[0] ?? '';
      if (route === '') continue;
      const threshold = Math.max(c.CSM_ANALYTICS_ALERT_COMPLAINT_SPIKE_MIN, c.CSM_ANALYTICS_ALERT_COMPLAINT_SPIKE_FACTOR * (trailing.get(route) ?? 0));
      if (r.value >= threshold) {
        out.push({
          dedupeKey: `COMPLAINT_SPIKE|ROUTE=${route}|${day}`, kind: 'COMPLAINT_SPIKE', severity: 'WARNING',
          title: `Complaint spike on ${route} on ${day}`, description: `${r.value} complaints vs a trailing 7-day mean of ${(trailing.get(route) ?? 0).toFixed(2)} per day`,
          kpi: 'CASE_VOLUME', observedValue: r.value, threshold, scope: [{ dimension: 'ROUTE', values: [route] }],
        });
      }
    }
    for (const r of await runKpiQuery(this.db, { ...base, kpi: 'ON_TIME_PERFORMANCE', groupBy: ['AIRPORT'] })) {
      const airport = r.group[0] ?? '';
      if (airport !== '' && r.sampleSize >= minN && r.value < c.CSM_ANALYTICS_ALERT_OTP_MIN_PCT) {
        out.push({
          dedupeKey: `DELAY_SPIKE|AIRPORT=${airport}|${day}`, kind: 'DELAY_SPIKE', severity: 'WARNING',
          title: `On-time performance ${pct(r.value)} at ${airport} on ${day}`, description: `${r.sampleSize} operated departures; below ${c.CSM_ANALYTICS_ALERT_OTP_MIN_PCT} %`,
          kpi: 'ON_TIME_PERFORMANCE', observedValue: r.value, threshold: c.CSM_ANALYTICS_ALERT_OTP_MIN_PCT, scope: [{ dimension: 'AIRPORT', values: [airport] }],
        });
      }
    }
    return out;
  }

  listAlerts(filter: AlertFilter): Promise<StoredAlert[]> {
    return listAlerts(this.db, filter);
  }

  /** OPEN → ACKNOWLEDGED; acknowledging again returns the alert unchanged (a retried call). */
  async acknowledgeAlert(id: string, by: string, comment: string): Promise<StoredAlert> {
    if (comment.length > 2000) throw new ValidationError([{ field: 'comment', description: 'at most 2000 characters', rule: 'max_length' }]);
    const done = await acknowledgeAlert(this.db, id, by, comment, this.now());
    if (done) return done;
    const existing = await getAlert(this.db, id);
    if (!existing) throw new NotFoundError('alert', id);
    if (existing.state === 'ACKNOWLEDGED') return existing;
    throw new IllegalStateTransitionError('alert', existing.state, 'ACKNOWLEDGED', []);
  }

  // --- CSV -----------------------------------------------------------------------------------------------------------

  /** RFC 4180 CSV with a header row (csv-stringify). */
  toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
    return stringify(
      rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : v === undefined || v === null ? '' : v))),
      { header: true, columns: [...columns], record_delimiter: '\r\n' },
    );
  }

  // --- projections ---------------------------------------------------------------------------------------------------

  deliveries(): number {
    return this.runner?.deliveries() ?? 0;
  }

  async rebuild(): Promise<number> {
    if (!this.runner) throw new ConflictError('projection consumers are not running in this process');
    return this.runner.rebuild();
  }

  async projectionStatus(): Promise<{ generation: number; consumers: { consumer: string; topic: string; eventsApplied: number; lastEventTime?: Date; lastApplyTime?: Date }[] }> {
    const gen = await this.db.query<{ generation: number }>(`SELECT generation FROM projection_state WHERE id = 1`);
    const rows = await this.db.query<Record<string, unknown>>(`SELECT * FROM projection_progress ORDER BY consumer`);
    return {
      generation: Number(gen.rows[0]?.generation ?? 1),
      consumers: rows.rows.map((r) => ({
        consumer: String(r.consumer),
        topic: String(r.topic),
        eventsApplied: Number(r.events_applied),
        ...(r.last_event_time ? { lastEventTime: new Date(r.last_event_time as string) } : {}),
        ...(r.last_apply_time ? { lastApplyTime: new Date(r.last_apply_time as string) } : {}),
      })),
    };
  }
}

export type { KpiQuery };
