import { analytics } from '@csm/contracts';
import { serverStream, unary } from '@csm/platform/grpc';
import { requireRole, type Principal } from '@csm/platform/security';
import type { AnalyticsApp } from '../app/analytics-app';
import type { RiskLevelCode } from '../domain/churn';
import {
  alertToProto,
  churnToProto,
  decodeCursor,
  dimensionOf,
  encodeCursor,
  granularityOf,
  kpiOf,
  pageSize,
  scopeOf,
  segmentToProto,
  statisticOf,
  throwIf,
} from './mapping';

/** Management and analysts read; supervisors too (their dashboards); rebuilds and rule runs are for admins/ops. */
const READERS = ['analyst', 'supervisor', 'admin', 'ops', 'service'] as const;
const OPERATORS = ['admin', 'ops'] as const;
const canRead = (p: Principal) => requireRole(p, ...READERS);

const CHUNK = 64 * 1024;

export function analyticsHandlers(app: AnalyticsApp): analytics.AnalyticsServiceServer {
  return {
    queryKpi: unary(async (req, ctx) => {
      canRead(ctx.principal);
      const v: { field: string; description: string; rule: string }[] = [];
      const kpi = kpiOf(req.kpi, 'kpi', v);
      const scope = scopeOf(req.scope, v);
      const groupBy = req.groupBy.map((d, i) => dimensionOf(d, `group_by[${i}]`, v));
      const statistic = statisticOf(req.statistic, 'statistic', v);
      throwIf(v);
      const res = await app.queryKpi(kpi, scope, groupBy, statistic);
      return { kpi: req.kpi, unit: res.unit, values: res.values.map((r) => ({ group: r.group, value: r.value, sampleSize: r.sampleSize })) };
    }),

    queryKpiSeries: unary(async (req, ctx) => {
      canRead(ctx.principal);
      const v: { field: string; description: string; rule: string }[] = [];
      const kpi = kpiOf(req.kpi, 'kpi', v);
      const scope = scopeOf(req.scope, v);
      const g = granularityOf(req.granularity, 'granularity', v);
      const statistic = statisticOf(req.statistic, 'statistic', v);
      throwIf(v);
      const res = await app.querySeries(kpi, scope, g, statistic, req.movingAveragePeriods);
      return {
        kpi: req.kpi,
        unit: res.unit,
        granularity: req.granularity,
        points: res.points.map((p) => ({
          periodStartDate: p.period,
          value: p.value,
          sampleSize: p.sampleSize,
          ...(p.weekOverWeekChangePct !== undefined ? { weekOverWeekChangePct: p.weekOverWeekChangePct } : {}),
          ...(p.movingAverage !== undefined ? { movingAverage: p.movingAverage } : {}),
        })),
      };
    }),

    listAlerts: unary(async (req, ctx) => {
      canRead(ctx.principal);
      const limit = pageSize(req.page?.pageSize ?? 0);
      const after = decodeCursor(req.page?.pageToken ?? '', 'page.page_token', (x): x is { t: string; id: string } => typeof x === 'object' && x !== null && 't' in x && 'id' in x);
      const strip = (names: string[], prefix: string) => names.map((n) => n.slice(prefix.length));
      const alerts = await app.listAlerts({
        states: strip(req.states.map(analytics.alertStateToJSON), 'ALERT_STATE_'),
        kinds: strip(req.kinds.map(analytics.alertKindToJSON), 'ALERT_KIND_'),
        severities: strip(req.severities.map(analytics.alertSeverityToJSON), 'ALERT_SEVERITY_'),
        from: req.raiseTime?.startTime,
        to: req.raiseTime?.endTime,
        after: after ? { raiseTime: new Date(after.t), id: after.id } : undefined,
        limit: limit + 1,
      });
      const page = alerts.slice(0, limit);
      const last = page[page.length - 1];
      return {
        alerts: page.map(alertToProto),
        page: { nextPageToken: alerts.length > limit && last ? encodeCursor({ t: last.raiseTime.toISOString(), id: last.id }) : '' },
      };
    }),

    acknowledgeAlert: unary(async (req, ctx) => {
      canRead(ctx.principal);
      return { alert: alertToProto(await app.acknowledgeAlert(req.alertId, ctx.principal.subject, req.comment)) };
    }),

    getChurnRisk: unary(async (req, ctx) => {
      canRead(ctx.principal);
      return { churnRisk: churnToProto(await app.getChurnRisk(req.passengerId)) };
    }),

    listChurnRisks: unary(async (req, ctx) => {
      canRead(ctx.principal);
      const limit = pageSize(req.page?.pageSize ?? 0);
      const after = decodeCursor(req.page?.pageToken ?? '', 'page.page_token', (x): x is { s: number; id: string } => typeof x === 'object' && x !== null && 's' in x && 'id' in x);
      const level = req.minLevel > 0 ? (analytics.riskLevelToJSON(req.minLevel).replace('RISK_LEVEL_', '') as RiskLevelCode) : undefined;
      const risks = await app.listChurnRisks({
        ...(level && ['LOW', 'MEDIUM', 'HIGH'].includes(level) ? { minLevel: level } : {}),
        ...(req.segmentId ? { segmentId: req.segmentId } : {}),
        highValueOnly: req.highValueOnly,
        ...(after ? { after: { score: after.s, id: after.id } } : {}),
        limit: limit + 1,
      });
      const page = risks.slice(0, limit);
      const last = page[page.length - 1];
      return { churnRisks: page.map(churnToProto), page: { nextPageToken: risks.length > limit && last ? encodeCursor({ s: last.score, id: last.passengerId }) : '' } };
    }),

    listSegments: unary(async (_req, ctx) => {
      canRead(ctx.principal);
      return { segments: (await app.listSegments()).map(segmentToProto), page: { nextPageToken: '' } };
    }),

    getSegment: unary(async (req, ctx) => {
      canRead(ctx.principal);
      return { segment: segmentToProto(await app.getSegment(req.segmentId)) };
    }),

    exportCsv: serverStream(async (req, send, ctx) => {
      canRead(ctx.principal);
      const v: { field: string; description: string; rule: string }[] = [];
      const dataset = analytics.exportDatasetToJSON(req.dataset);
      let csv: string;
      let name: string;
      if (dataset === 'EXPORT_DATASET_KPI' || dataset === 'EXPORT_DATASET_KPI_SERIES') {
        const kpi = kpiOf(req.kpi, 'kpi', v);
        const scope = scopeOf(req.scope, v);
        const statistic = statisticOf(req.statistic, 'statistic', v);
        if (dataset === 'EXPORT_DATASET_KPI') {
          const groupBy = req.groupBy.map((d, i) => dimensionOf(d, `group_by[${i}]`, v));
          throwIf(v);
          const res = await app.queryKpi(kpi, scope, groupBy, statistic);
          csv = app.toCsv([...groupBy.map((d) => d.toLowerCase()), 'kpi', 'unit', 'value', 'sample_size'], res.values.map((r) => [...r.group, kpi, res.unit, r.value, r.sampleSize]));
          name = `kpi-${kpi.toLowerCase()}.csv`;
        } else {
          const g = granularityOf(req.granularity, 'granularity', v);
          throwIf(v);
          const res = await app.querySeries(kpi, scope, g, statistic, 0);
          csv = app.toCsv(
            ['period_start_date', 'kpi', 'unit', 'value', 'sample_size', 'week_over_week_change_pct', 'moving_average'],
            res.points.map((p) => [p.period, kpi, res.unit, p.value, p.sampleSize, p.weekOverWeekChangePct, p.movingAverage]),
          );
          name = `series-${kpi.toLowerCase()}-${g.toLowerCase()}.csv`;
        }
      } else if (dataset === 'EXPORT_DATASET_ALERTS') {
        const alerts = await app.listAlerts({ states: [], kinds: [], severities: [], from: req.scope?.timeRange?.startTime, to: req.scope?.timeRange?.endTime, limit: 100_000 });
        csv = app.toCsv(
          ['alert_id', 'kind', 'severity', 'state', 'title', 'kpi', 'observed_value', 'threshold', 'scope', 'raise_time', 'acknowledge_time', 'acknowledged_by'],
          alerts.map((a) => [a.id, a.kind, a.severity, a.state, a.title, a.kpi, a.observedValue, a.threshold, a.scope.map((s) => `${s.dimension}=${s.values.join('|')}`).join(';'), a.raiseTime, a.acknowledgeTime, a.acknowledgedBy]),
        );
        name = 'alerts.csv';
      } else if (dataset === 'EXPORT_DATASET_CHURN_RISKS') {
        const risks = await app.listChurnRisks({ highValueOnly: false, limit: 1_000_000 });
        csv = app.toCsv(
          ['passenger_id', 'score', 'level', 'high_value', 'segment_id', 'recommended_intervention', 'top_factors'],
          risks.map((r) => [r.passengerId, r.score, r.level, r.highValue, r.segmentId, r.intervention, r.factors.map((f) => `${f.code}:${f.weight}`).join(';')]),
        );
        name = 'churn-risks.csv';
      } else if (dataset === 'EXPORT_DATASET_SEGMENTS') {
        const segs = await app.listSegments();
        csv = app.toCsv(
          ['segment_id', 'name', 'size', 'mean_recency_days', 'mean_frequency', 'mean_monetary_miles', 'definition', 'update_time'],
          segs.map((s) => [s.id, s.name, s.size, s.meanRecencyDays, s.meanFrequency, s.meanMonetaryMiles, s.definition, s.updateTime]),
        );
        name = 'segments.csv';
      } else {
        v.push({ field: 'dataset', description: req.dataset === 0 ? 'is required' : `unknown dataset ${req.dataset}`, rule: req.dataset === 0 ? 'required' : 'enum' });
        throwIf(v);
        return;
      }
      const bytes = Buffer.from(csv, 'utf8');
      for (let off = 0; off === 0 || off < bytes.length; off += CHUNK) {
        await send({ chunk: bytes.subarray(off, off + CHUNK), contentType: off === 0 ? 'text/csv; charset=utf-8' : '', fileName: off === 0 ? name : '' });
      }
    }),

    rebuildProjections: unary(async (_req, ctx) => {
      requireRole(ctx.principal, ...OPERATORS);
      return { generation: await app.rebuild() };
    }),

    getProjectionStatus: unary(async (_req, ctx) => {
      canRead(ctx.principal);
      const s = await app.projectionStatus();
      return { generation: s.generation, consumers: s.consumers };
    }),

    evaluateAlerts: unary(async (req, ctx) => {
      requireRole(ctx.principal, ...OPERATORS);
      return { raised: (await app.evaluateAlerts(req.dates?.startDate, req.dates?.endDate)).map(alertToProto) };
    }),

    runSegmentation: unary(async (_req, ctx) => {
      requireRole(ctx.principal, ...OPERATORS);
      const res = await app.runSegmentation();
      return { segments: res.segments.map(segmentToProto), passengers: res.passengers };
    }),
  };
}
