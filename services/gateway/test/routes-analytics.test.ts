import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { analytics } from '@csm/contracts';
import { PermissionDeniedError, UnimplementedError } from '@csm/platform/errors';
import { createGrpcServer, serverStream, unary, type GrpcServer } from '@csm/platform/grpc';
import { CSV_EXPORT_MAX_BYTES } from '../src/routes/analytics';
import { fields, logger, send, startGateway, type Gateway } from './support/routes-fake-backend';

// Analytics routes against a canned AnalyticsService (its own fake: ExportCsv is server-streaming): KPI queries with
// filters, alerts, churn, segments, the CSV export collected from the stream, the admin jobs, and the roles.
const PAX = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const ALERT = 'alr_01HZY3K6W0Q8X2N4M5P7R9T1VB';

interface Call {
  readonly method: string;
  readonly request: unknown;
  readonly authorization: string | undefined;
}
const calls: Call[] = [];
/** What the fake's ExportCsv streams: the chunks of the current test. */
let csvChunks: Buffer[] = [];

const answers: Record<string, (req: never) => unknown> = {
  queryKpi: () => analytics.QueryKpiResponse.fromPartial({ kpi: analytics.Kpi.KPI_CSAT, unit: '%', values: [{ group: ['PHONE'], value: 87.5, sampleSize: 40 }] }),
  queryKpiSeries: () => analytics.QueryKpiSeriesResponse.fromPartial({ kpi: analytics.Kpi.KPI_NPS, unit: 'score', granularity: analytics.Granularity.GRANULARITY_WEEKLY, points: [{ periodStartDate: '2026-11-23', value: 31, sampleSize: 12 }] }),
  listAlerts: () => analytics.ListAlertsResponse.fromPartial({ alerts: [{ id: ALERT, kind: analytics.AlertKind.ALERT_KIND_COMPLAINT_SPIKE }], page: { nextPageToken: '' } }),
  acknowledgeAlert: () => analytics.AcknowledgeAlertResponse.fromPartial({ alert: { id: ALERT, state: analytics.AlertState.ALERT_STATE_ACKNOWLEDGED } }),
  getChurnRisk: () => analytics.GetChurnRiskResponse.fromPartial({ churnRisk: { passengerId: PAX, score: 0.82, level: analytics.RiskLevel.RISK_LEVEL_HIGH } }),
  listChurnRisks: () => analytics.ListChurnRisksResponse.fromPartial({ churnRisks: [{ passengerId: PAX, score: 0.82 }] }),
  listSegments: () => analytics.ListSegmentsResponse.fromPartial({ segments: [{ id: 'seg_1', name: 'Frequent business', size: 120 }] }),
  getSegment: () => analytics.GetSegmentResponse.fromPartial({ segment: { id: 'seg_1', size: 120 } }),
  rebuildProjections: () => analytics.RebuildProjectionsResponse.fromPartial({ generation: 4 }),
  getProjectionStatus: () => analytics.GetProjectionStatusResponse.fromPartial({ generation: 4, consumers: [{ consumer: 'analytics.cases.g4', topic: 'csm.cases', eventsApplied: 10 }] }),
  evaluateAlerts: () => analytics.EvaluateAlertsResponse.fromPartial({ raised: [] }),
  runSegmentation: () => analytics.RunSegmentationResponse.fromPartial({ segments: [{ id: 'seg_1' }], passengers: 500 }),
};

let server: GrpcServer;
let gw: Gateway;
let analyst: string;
let supervisor: string;
let ops: string;
let agent: string;
let pax: string;
let partner: string;

beforeAll(async () => {
  const implementation: UntypedServiceImplementation = {};
  for (const name of Object.keys(analytics.AnalyticsServiceService)) {
    if (name === 'exportCsv') continue;
    implementation[name] = unary(async (request: unknown, ctx) => {
      calls.push({ method: name, request, authorization: ctx.authorization });
      const answer = answers[name];
      if (!answer) throw new UnimplementedError(name);
      return answer(request as never) as object;
    });
  }
  implementation['exportCsv'] = serverStream(async (request: analytics.ExportCsvRequest, sendChunk, ctx) => {
    calls.push({ method: 'exportCsv', request, authorization: ctx.authorization });
    if (request.dataset === analytics.ExportDataset.EXPORT_DATASET_CHURN_RISKS) throw new PermissionDeniedError('not for you');
    for (const [i, chunk] of csvChunks.entries()) {
      await sendChunk(analytics.ExportCsvResponse.fromPartial({ chunk, contentType: i === 0 ? 'text/csv; charset=utf-8' : '', fileName: i === 0 ? 'kpi-csat.csv' : '' }));
    }
  });
  server = await createGrpcServer({ serviceName: 'analytics', logger, host: '127.0.0.1', port: 0, services: [{ definition: analytics.AnalyticsServiceService, implementation }] });
  server.markServing();
  gw = await startGateway({ analytics: `127.0.0.1:${server.port}` });
  analyst = await gw.token(['analyst']);
  supervisor = await gw.token(['supervisor']);
  ops = await gw.token(['ops']);
  agent = await gw.token(['agent_l3']);
  pax = await gw.token(['passenger'], { profileId: PAX });
  partner = await gw.token(['partner'], { partnerCode: 'HOTEL1' });
});
afterAll(async () => {
  await gw.close();
  await server.shutdown({ graceMs: 50 });
});
beforeEach(() => {
  calls.length = 0;
});

const requestOf = <T>(method: string) => calls.find((c) => c.method === method)?.request as T;

describe('KPIs', () => {
  it('queries a KPI with time range, filters, grouping and statistic; answers proto3 JSON', async () => {
    const res = await send(gw, 'get', '/analytics/kpis/KPI_CSAT?from=2026-11-01T00:00:00Z&to=2026-11-29T00:00:00Z&filter=DIMENSION_CHANNEL:PHONE,WEB&filter=DIMENSION_TIER:GOLD&groupBy=DIMENSION_CHANNEL&statistic=STATISTIC_MEAN&timeZone=Asia/Shanghai', { token: analyst });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kpi: 'KPI_CSAT', unit: '%', values: [{ group: ['PHONE'], value: 87.5, sampleSize: 40 }] });
    const req = requestOf<analytics.QueryKpiRequest>('queryKpi');
    expect(req).toMatchObject({
      kpi: analytics.Kpi.KPI_CSAT,
      groupBy: [analytics.Dimension.DIMENSION_CHANNEL],
      statistic: analytics.Statistic.STATISTIC_MEAN,
      scope: { timeZone: 'Asia/Shanghai', filters: [{ dimension: analytics.Dimension.DIMENSION_CHANNEL, values: ['PHONE', 'WEB'] }, { dimension: analytics.Dimension.DIMENSION_TIER, values: ['GOLD'] }] },
    });
    expect(req.scope?.timeRange?.startTime?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(calls[0]?.authorization).toBe(`Bearer ${analyst}`);
  });

  it('names every bad query field; unknown KPI in the path', async () => {
    const res = await send(gw, 'get', '/analytics/kpis/CSAT?from=yesterday&filter=CHANNEL:PHONE&groupBy=DIMENSION_NOPE&statistic=MEAN', { token: analyst });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(expect.arrayContaining(['path.kpi', 'query.from', 'query.filter', 'query.groupBy', 'query.statistic']));
    expect(calls).toHaveLength(0);
  });

  it('series: granularity required, moving average bounded', async () => {
    const res = await send(gw, 'get', '/analytics/kpis/KPI_NPS/series?granularity=GRANULARITY_WEEKLY&movingAveragePeriods=4', { token: supervisor });
    expect(res.body).toMatchObject({ kpi: 'KPI_NPS', granularity: 'GRANULARITY_WEEKLY', points: [{ periodStartDate: '2026-11-23', value: 31 }] });
    expect(requestOf<analytics.QueryKpiSeriesRequest>('queryKpiSeries')).toMatchObject({ granularity: analytics.Granularity.GRANULARITY_WEEKLY, movingAveragePeriods: 4, statistic: 0 });
    expect(fields(await send(gw, 'get', '/analytics/kpis/KPI_NPS/series?movingAveragePeriods=99', { token: supervisor }))).toEqual(expect.arrayContaining(['query.granularity', 'query.movingAveragePeriods']));
  });

  it('readers are analyst, supervisor, ops, admin: agents, passengers and partners get 403, anonymous 401', async () => {
    for (const token of [agent, pax, partner]) expect((await send(gw, 'get', '/analytics/kpis/KPI_CSAT', { token })).status).toBe(403);
    expect((await send(gw, 'get', '/analytics/kpis/KPI_CSAT')).status).toBe(401);
    expect((await send(gw, 'get', '/analytics/kpis/KPI_CSAT', { token: ops })).status).toBe(200);
  });
});

describe('alerts, churn and segments', () => {
  it('lists alerts by repeated filters and acknowledges one', async () => {
    const res = await send(gw, 'get', '/analytics/alerts?state=ALERT_STATE_OPEN&severity=ALERT_SEVERITY_CRITICAL&severity=ALERT_SEVERITY_WARNING&pageSize=5', { token: supervisor });
    expect(res.body).toMatchObject({ alerts: [{ id: ALERT, kind: 'ALERT_KIND_COMPLAINT_SPIKE' }] });
    expect(requestOf<analytics.ListAlertsRequest>('listAlerts')).toMatchObject({ states: [analytics.AlertState.ALERT_STATE_OPEN], severities: [analytics.AlertSeverity.ALERT_SEVERITY_CRITICAL, analytics.AlertSeverity.ALERT_SEVERITY_WARNING], kinds: [], page: { pageSize: 5 } });
    const ack = await send(gw, 'post', `/analytics/alerts/${ALERT}/acknowledge`, { token: supervisor, body: { comment: 'on it' } });
    expect(ack.body).toMatchObject({ alert: { state: 'ALERT_STATE_ACKNOWLEDGED' } });
    expect(requestOf<analytics.AcknowledgeAlertRequest>('acknowledgeAlert')).toEqual({ alertId: ALERT, comment: 'on it' });
    expect(fields(await send(gw, 'post', '/analytics/alerts/alert-1/acknowledge', { token: supervisor, body: {} }))).toEqual(['path.alertId']);
    expect((await send(gw, 'post', `/analytics/alerts/${ALERT}/acknowledge`, { token: agent, body: {} })).status).toBe(403);
  });

  it('churn risk of one passenger and the intervention list; segments', async () => {
    expect((await send(gw, 'get', `/analytics/churn-risks/${PAX}`, { token: analyst })).body).toMatchObject({ churnRisk: { passengerId: PAX, level: 'RISK_LEVEL_HIGH' } });
    expect((await send(gw, 'get', `/analytics/churn-risks/${PAX}`, { token: pax })).status).toBe(403);
    await send(gw, 'get', '/analytics/churn-risks?minLevel=RISK_LEVEL_MEDIUM&highValueOnly=true&segmentId=seg_1', { token: analyst });
    expect(requestOf<analytics.ListChurnRisksRequest>('listChurnRisks')).toMatchObject({ minLevel: analytics.RiskLevel.RISK_LEVEL_MEDIUM, highValueOnly: true, segmentId: 'seg_1' });
    expect(fields(await send(gw, 'get', '/analytics/churn-risks?highValueOnly=yes', { token: analyst }))).toEqual(['query.highValueOnly']);
    expect((await send(gw, 'get', '/analytics/segments', { token: analyst })).body).toMatchObject({ segments: [{ id: 'seg_1', size: 120 }] });
    expect(requestOf<analytics.GetSegmentRequest>('getSegment')).toBeUndefined();
    expect((await send(gw, 'get', '/analytics/segments/seg_1', { token: analyst })).status).toBe(200);
    expect(requestOf<analytics.GetSegmentRequest>('getSegment')).toEqual({ segmentId: 'seg_1' });
  });
});

describe('CSV export', () => {
  it('collects the stream into one CSV document (multi-byte text split across chunks stays intact)', async () => {
    const whole = 'channel,kpi,unit,value,sample_size\r\n电话,KPI_CSAT,%,87.5,40\r\n';
    const bytes = Buffer.from(whole, 'utf8');
    // Split inside the first Chinese character's UTF-8 bytes (the header row is 36 bytes).
    csvChunks = [bytes.subarray(0, 37), bytes.subarray(37)];
    const res = await send(gw, 'get', '/analytics/exports/EXPORT_DATASET_KPI?kpi=KPI_CSAT&groupBy=DIMENSION_CHANNEL', { token: analyst });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/csv; charset=utf-8');
    expect(res.disposition).toBe('attachment; filename="kpi-csat.csv"');
    expect(res.body).toEqual({ text: whole });
    expect(requestOf<analytics.ExportCsvRequest>('exportCsv')).toMatchObject({ dataset: analytics.ExportDataset.EXPORT_DATASET_KPI, kpi: analytics.Kpi.KPI_CSAT, groupBy: [analytics.Dimension.DIMENSION_CHANNEL] });
    expect(calls[0]?.authorization).toBe(`Bearer ${analyst}`);
  });

  it('refuses an export over the cap with a 400 naming the scope; the stream’s error status is mapped', async () => {
    const big = Buffer.alloc(1024 * 1024, 'x');
    csvChunks = Array.from({ length: Math.ceil(CSV_EXPORT_MAX_BYTES / big.length) + 1 }, () => big);
    const res = await send(gw, 'get', '/analytics/exports/EXPORT_DATASET_ALERTS', { token: analyst });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['query.from']);
    csvChunks = [];
    const denied = await send(gw, 'get', '/analytics/exports/EXPORT_DATASET_CHURN_RISKS', { token: analyst });
    expect(denied.status).toBe(403);
    expect(fields(await send(gw, 'get', '/analytics/exports/ALERTS', { token: analyst }))).toEqual(['path.dataset']);
    expect((await send(gw, 'get', '/analytics/exports/EXPORT_DATASET_ALERTS', { token: agent })).status).toBe(403);
  });
});

describe('admin jobs', () => {
  it('rebuild, alert evaluation and segmentation are admin/ops only; projection status is readable by readers', async () => {
    expect((await send(gw, 'post', '/analytics/projections/rebuild', { token: analyst })).status).toBe(403);
    expect((await send(gw, 'post', '/analytics/projections/rebuild', { token: ops })).body).toEqual({ generation: 4 });
    expect((await send(gw, 'get', '/analytics/projections/status', { token: analyst })).body).toMatchObject({ generation: 4, consumers: [{ topic: 'csm.cases', eventsApplied: 10 }] });
    expect((await send(gw, 'post', '/analytics/alert-evaluations', { token: supervisor, body: {} })).status).toBe(403);
    expect((await send(gw, 'post', '/analytics/alert-evaluations', { token: ops, body: { from: '2026-11-27', to: '2026-11-28' } })).status).toBe(200);
    expect(requestOf<analytics.EvaluateAlertsRequest>('evaluateAlerts')).toEqual({ dates: { startDate: '2026-11-27', endDate: '2026-11-28' } });
    expect(fields(await send(gw, 'post', '/analytics/alert-evaluations', { token: ops, body: { from: '27.11.2026' } }))).toEqual(['body.from']);
    expect((await send(gw, 'post', '/analytics/segmentations', { token: ops })).body).toMatchObject({ passengers: 500, segments: [{ id: 'seg_1' }] });
  });
});
