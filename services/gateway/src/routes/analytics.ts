import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { analytics } from '@csm/contracts';
import { fromGrpcError, ValidationError } from '@csm/platform/errors';
import { callUnary, type UnaryCallOptions } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { ids, isoDate, isoInstant, pageOf, pageQuery, protoEnum, text } from './schemas';
import { JOB_DEADLINE_MS, loyaltyIds, repeated } from './schemas-loyalty';

/*
 * analytics' AnalyticsService. Roles mirror the service: READERS (analyst, supervisor, admin, ops) read KPIs, alerts,
 * churn risk and segments, acknowledge alerts and export CSV; OPERATORS (admin, ops) rebuild projections and run the
 * alert rules and the clustering on demand.
 */

const READERS = ['analyst', 'supervisor', 'admin', 'ops'] as const;
const OPERATORS = ['admin', 'ops'] as const;

/** Largest CSV the gateway buffers for one export; bigger ones are refused (narrow the scope) rather than streamed. */
export const CSV_EXPORT_MAX_BYTES = 8 * 1024 * 1024;

const kpi = protoEnum(analytics.Kpi);
const dimension = protoEnum(analytics.Dimension);
const dimensionNames = new Set(dimension.options as readonly string[]);
const timeZone = z.string().regex(/^[A-Za-z]+(\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/, { message: 'must be an IANA time zone like Asia/Shanghai' }).max(64);

/** `DIMENSION_X:value1,value2` — one dimension filter as a query value. */
const filter = z
  .string()
  .max(600)
  .transform((s, ctx) => {
    const m = /^([A-Z_]+):(.+)$/.exec(s);
    const values = m?.[2]?.split(',') ?? [];
    if (!m || !dimensionNames.has(m[1] ?? '') || values.length > 20 || values.some((v) => v.length === 0 || v.length > 64)) {
      ctx.addIssue({ code: 'custom', message: 'must be DIMENSION_NAME:value[,value…] with a known dimension and at most 20 values of 1-64 characters' });
      return z.NEVER;
    }
    return { dimension: analytics.dimensionFromJSON(m[1]), values };
  });

/** The KpiScope of every KPI query: time range, filters and zone. */
const scopeQuery = {
  from: isoInstant.optional().describe('range start (UTC instant, inclusive)'),
  to: isoInstant.optional().describe('range end (UTC instant, exclusive)'),
  timeZone: timeZone.optional().describe('zone of day/week boundaries; default Asia/Shanghai'),
  filter: repeated(filter, 12).optional().describe('repeatable: DIMENSION_CHANNEL:PHONE,WEB'),
};
type ScopeQuery = { from?: string | undefined; to?: string | undefined; timeZone?: string | undefined; filter?: { dimension: analytics.Dimension; values: string[] }[] | undefined };

function scopeOf(q: ScopeQuery): analytics.KpiScope {
  return analytics.KpiScope.fromPartial({
    ...(q.from !== undefined || q.to !== undefined ? { timeRange: { startTime: q.from ? new Date(q.from) : undefined, endTime: q.to ? new Date(q.to) : undefined } } : {}),
    filters: q.filter ?? [],
    timeZone: q.timeZone ?? '',
  });
}

const statistic = protoEnum(analytics.Statistic).optional().describe('distribution KPIs; default STATISTIC_MEDIAN');
const granularity = protoEnum(analytics.Granularity);
const enumOr0 = <T>(value: string | undefined, fromJSON: (v: string) => T): T | 0 => (value === undefined ? 0 : fromJSON(value));

/**
 * Collects a server-streaming ExportCsv call (with the caller's token, deadline and request id) into one document,
 * refusing one over the cap. The router answers JSON, so the CSV travels as a string member of a JSON envelope.
 */
async function collectCsv(stream: ClientReadableStream<analytics.ExportCsvResponse>, maxBytes: number): Promise<{ csv: string; contentType: string; fileName: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let contentType = '';
  let fileName = '';
  try {
    for await (const message of stream as AsyncIterable<analytics.ExportCsvResponse>) {
      if (message.contentType) contentType = message.contentType;
      if (message.fileName) fileName = message.fileName;
      size += message.chunk.length;
      if (size > maxBytes) {
        stream.cancel();
        throw new ValidationError({ field: 'query.from', description: `the export exceeds ${maxBytes} bytes; narrow the time range or filters`, rule: 'MAX_SIZE' });
      }
      chunks.push(Buffer.from(message.chunk));
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw fromGrpcError(err);
  }
  return { csv: Buffer.concat(chunks).toString('utf8'), contentType: contentType || 'text/csv; charset=utf-8', fileName: fileName || 'export.csv' };
}

function streamCallOf(call: UnaryCallOptions): { metadata: Metadata; deadline: Date | number | undefined } {
  const metadata = call.metadata?.clone() ?? new Metadata();
  if (call.authorization !== undefined) metadata.set('authorization', /^bearer\s/i.test(call.authorization) ? call.authorization : `Bearer ${call.authorization}`);
  return { metadata, deadline: call.deadline };
}

/** KPIs, trends, early-warning alerts, churn risk, segments, CSV export and the warehouse's admin jobs. */
export const analyticsRoutes: AnyRoute[] = [
  route({
    method: 'get',
    path: '/analytics/kpis/{kpi}',
    operationId: 'queryKpi',
    summary: 'One KPI over a time range, optionally filtered and grouped by dimensions',
    tag: 'analytics',
    access: { roles: [...READERS] },
    params: z.strictObject({ kpi }),
    query: z.strictObject({ ...scopeQuery, groupBy: repeated(dimension, 4).optional().describe('repeatable'), statistic }),
    responseDescription: 'csm.analytics.v1.QueryKpiResponse',
    handler: async ({ params, query, backends, call }) => {
      const req = analytics.QueryKpiRequest.fromPartial({
        kpi: analytics.kpiFromJSON(params.kpi),
        scope: scopeOf(query),
        groupBy: (query.groupBy ?? []).map((d) => analytics.dimensionFromJSON(d)),
        statistic: enumOr0(query.statistic, analytics.statisticFromJSON),
      });
      const res = await callUnary(backends.analytics, 'queryKpi', req, call);
      return { body: analytics.QueryKpiResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/kpis/{kpi}/series',
    operationId: 'queryKpiSeries',
    summary: 'A KPI as a time series with week-over-week change and a moving average',
    tag: 'analytics',
    access: { roles: [...READERS] },
    params: z.strictObject({ kpi }),
    query: z.strictObject({ ...scopeQuery, granularity, statistic, movingAveragePeriods: z.coerce.number().int().min(0).max(52).optional().describe('0 = default') }),
    responseDescription: 'csm.analytics.v1.QueryKpiSeriesResponse',
    handler: async ({ params, query, backends, call }) => {
      const req = analytics.QueryKpiSeriesRequest.fromPartial({
        kpi: analytics.kpiFromJSON(params.kpi),
        scope: scopeOf(query),
        granularity: analytics.granularityFromJSON(query.granularity),
        statistic: enumOr0(query.statistic, analytics.statisticFromJSON),
        movingAveragePeriods: query.movingAveragePeriods ?? 0,
      });
      const res = await callUnary(backends.analytics, 'queryKpiSeries', req, call);
      return { body: analytics.QueryKpiSeriesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/alerts',
    operationId: 'listAlerts',
    summary: 'Early-warning alerts, newest first, by state, kind, severity and raise time',
    tag: 'analytics',
    access: { roles: [...READERS] },
    query: z.strictObject({
      state: repeated(protoEnum(analytics.AlertState), 8).optional().describe('repeatable'),
      kind: repeated(protoEnum(analytics.AlertKind), 16).optional().describe('repeatable'),
      severity: repeated(protoEnum(analytics.AlertSeverity), 8).optional().describe('repeatable'),
      from: isoInstant.optional(),
      to: isoInstant.optional(),
      ...pageQuery,
    }),
    responseDescription: 'csm.analytics.v1.ListAlertsResponse',
    handler: async ({ query, backends, call }) => {
      const req = analytics.ListAlertsRequest.fromPartial({
        states: (query.state ?? []).map((s) => analytics.alertStateFromJSON(s)),
        kinds: (query.kind ?? []).map((k) => analytics.alertKindFromJSON(k)),
        severities: (query.severity ?? []).map((s) => analytics.alertSeverityFromJSON(s)),
        ...(query.from !== undefined || query.to !== undefined
          ? { raiseTime: { startTime: query.from ? new Date(query.from) : undefined, endTime: query.to ? new Date(query.to) : undefined } }
          : {}),
        page: pageOf(query),
      });
      const res = await callUnary(backends.analytics, 'listAlerts', req, call);
      return { body: analytics.ListAlertsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/analytics/alerts/{alertId}/acknowledge',
    operationId: 'acknowledgeAlert',
    summary: 'Acknowledge an alert with an optional comment',
    tag: 'analytics',
    access: { roles: [...READERS] },
    params: z.strictObject({ alertId: loyaltyIds.alert }),
    body: z.strictObject({ comment: text(1000).optional() }),
    responseDescription: 'csm.analytics.v1.AcknowledgeAlertResponse',
    handler: async ({ params, body, backends, call }) => {
      const res = await callUnary(backends.analytics, 'acknowledgeAlert', analytics.AcknowledgeAlertRequest.fromPartial({ alertId: params.alertId, comment: body.comment ?? '' }), call);
      return { body: analytics.AcknowledgeAlertResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/churn-risks/{passengerId}',
    operationId: 'getChurnRisk',
    summary: "A passenger's churn-risk score, level, factors and recommended intervention",
    tag: 'analytics',
    access: { roles: [...READERS] },
    params: z.strictObject({ passengerId: ids.passenger }),
    responseDescription: 'csm.analytics.v1.GetChurnRiskResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.analytics, 'getChurnRisk', analytics.GetChurnRiskRequest.fromPartial({ passengerId: params.passengerId }), call);
      return { body: analytics.GetChurnRiskResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/churn-risks',
    operationId: 'listChurnRisks',
    summary: 'Churn risks, highest first (highValueOnly=true: the intervention list)',
    tag: 'analytics',
    access: { roles: [...READERS] },
    query: z.strictObject({
      minLevel: protoEnum(analytics.RiskLevel).optional(),
      segmentId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be a segment id like seg_1' }).optional(),
      highValueOnly: z.enum(['true', 'false']).optional(),
      ...pageQuery,
    }),
    responseDescription: 'csm.analytics.v1.ListChurnRisksResponse',
    handler: async ({ query, backends, call }) => {
      const req = analytics.ListChurnRisksRequest.fromPartial({
        minLevel: enumOr0(query.minLevel, analytics.riskLevelFromJSON),
        segmentId: query.segmentId ?? '',
        highValueOnly: query.highValueOnly === 'true',
        page: pageOf(query),
      });
      const res = await callUnary(backends.analytics, 'listChurnRisks', req, call);
      return { body: analytics.ListChurnRisksResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/segments',
    operationId: 'listSegments',
    summary: 'Passenger segments (clusters) with their size and centroid profile',
    tag: 'analytics',
    access: { roles: [...READERS] },
    query: z.strictObject({ ...pageQuery }),
    responseDescription: 'csm.analytics.v1.ListSegmentsResponse',
    handler: async ({ query, backends, call }) => {
      const res = await callUnary(backends.analytics, 'listSegments', analytics.ListSegmentsRequest.fromPartial({ page: pageOf(query) }), call);
      return { body: analytics.ListSegmentsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/segments/{segmentId}',
    operationId: 'getSegment',
    summary: 'One passenger segment',
    tag: 'analytics',
    access: { roles: [...READERS] },
    params: z.strictObject({ segmentId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be a segment id like seg_1' }) }),
    responseDescription: 'csm.analytics.v1.GetSegmentResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.analytics, 'getSegment', analytics.GetSegmentRequest.fromPartial({ segmentId: params.segmentId }), call);
      return { body: analytics.GetSegmentResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/exports/{dataset}',
    operationId: 'exportCsv',
    summary: `A dataset as CSV (RFC 4180, UTF-8, header row), answered as text/csv with Content-Disposition; at most ${CSV_EXPORT_MAX_BYTES} bytes (400 naming query.from beyond: narrow the scope)`,
    tag: 'analytics',
    access: { roles: [...READERS] },
    params: z.strictObject({ dataset: protoEnum(analytics.ExportDataset) }),
    query: z.strictObject({
      ...scopeQuery,
      kpi: kpi.optional().describe('for EXPORT_DATASET_KPI and EXPORT_DATASET_KPI_SERIES'),
      granularity: granularity.optional().describe('for EXPORT_DATASET_KPI_SERIES'),
      groupBy: repeated(dimension, 4).optional().describe('for EXPORT_DATASET_KPI; repeatable'),
      statistic,
    }),
    deadlineMs: 60_000,
    responseDescription: 'The CSV collected from the ExportCsv stream',
    responseContentType: 'text/csv',
    handler: async ({ params, query, backends, call }) => {
      const req = analytics.ExportCsvRequest.fromPartial({
        dataset: analytics.exportDatasetFromJSON(params.dataset),
        kpi: enumOr0(query.kpi, analytics.kpiFromJSON),
        granularity: enumOr0(query.granularity, analytics.granularityFromJSON),
        scope: scopeOf(query),
        groupBy: (query.groupBy ?? []).map((d) => analytics.dimensionFromJSON(d)),
        statistic: enumOr0(query.statistic, analytics.statisticFromJSON),
      });
      const { metadata, deadline } = streamCallOf(call);
      const stream = backends.analytics.exportCsv(req, metadata, deadline !== undefined ? { deadline } : {});
      const out = await collectCsv(stream, CSV_EXPORT_MAX_BYTES);
      return { body: out.csv, contentType: out.contentType, headers: { 'Content-Disposition': `attachment; filename="${out.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"` } };
    },
  }),
  route({
    method: 'post',
    path: '/analytics/projections/rebuild',
    operationId: 'rebuildProjections',
    summary: 'Reset every projection and replay all domain topics through a fresh consumer group generation',
    tag: 'analytics',
    access: { roles: [...OPERATORS] },
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.analytics.v1.RebuildProjectionsResponse',
    handler: async ({ backends, call }) => {
      const res = await callUnary(backends.analytics, 'rebuildProjections', analytics.RebuildProjectionsRequest.fromPartial({}), call);
      return { body: analytics.RebuildProjectionsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/analytics/projections/status',
    operationId: 'getProjectionStatus',
    summary: "The projection generation and each consumer's progress",
    tag: 'analytics',
    access: { roles: [...READERS] },
    responseDescription: 'csm.analytics.v1.GetProjectionStatusResponse',
    handler: async ({ backends, call }) => {
      const res = await callUnary(backends.analytics, 'getProjectionStatus', analytics.GetProjectionStatusRequest.fromPartial({}), call);
      return { body: analytics.GetProjectionStatusResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/analytics/alert-evaluations',
    operationId: 'evaluateAlerts',
    summary: 'Run the early-warning rules over business dates now (default yesterday and today); answers the newly raised alerts',
    tag: 'analytics',
    access: { roles: [...OPERATORS] },
    body: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }),
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.analytics.v1.EvaluateAlertsResponse',
    handler: async ({ body, backends, call }) => {
      const req = analytics.EvaluateAlertsRequest.fromPartial({ dates: { startDate: body.from ?? '', endDate: body.to ?? '' } });
      const res = await callUnary(backends.analytics, 'evaluateAlerts', req, call);
      return { body: analytics.EvaluateAlertsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/analytics/segmentations',
    operationId: 'runSegmentation',
    summary: 'Re-cluster passengers now; answers the new segments',
    tag: 'analytics',
    access: { roles: [...OPERATORS] },
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.analytics.v1.RunSegmentationResponse',
    handler: async ({ backends, call }) => {
      const res = await callUnary(backends.analytics, 'runSegmentation', analytics.RunSegmentationRequest.fromPartial({}), call);
      return { body: analytics.RunSegmentationResponse.toJSON(res) };
    },
  }),
];
