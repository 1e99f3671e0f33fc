import { analytics } from '@csm/contracts';
import { Metadata } from '@grpc/grpc-js';
import { DAY, ev, fixtureStream } from './support/fixture';
import { startHarness, type Harness } from './support/harness';

const { Kpi, Dimension, Statistic } = analytics;
type Res = analytics.QueryKpiResponse;

/** One PGlite instance (plus the bus's) for the whole file: PGlite boots take seconds. */
let h: Harness;
const stream = fixtureStream();

beforeAll(async () => {
  h = await startHarness({ CSM_ANALYTICS_ALERT_MIN_SAMPLE: '4' });
  await h.publish(stream);
  await h.waitApplied(stream.length);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

const scope = { timeRange: { startTime: DAY.start, endTime: DAY.end } };
const kpi = async (k: analytics.Kpi, extra: Partial<analytics.QueryKpiRequest> = {}) => (await h.call<analytics.QueryKpiRequest, Res>('queryKpi', analytics.QueryKpiRequest.fromPartial({ kpi: k, scope, ...extra }))).values;
const one = async (k: analytics.Kpi, extra: Partial<analytics.QueryKpiRequest> = {}) => (await kpi(k, extra))[0]?.value;

/** Every number the must-show asks for, hand-computed in support/fixture.ts. */
async function snapshot() {
  return {
    handlingMedian: await one(Kpi.KPI_HANDLING_TIME, { statistic: Statistic.STATISTIC_MEDIAN }),
    handlingP90: await one(Kpi.KPI_HANDLING_TIME, { statistic: Statistic.STATISTIC_P90 }),
    firstResponseMedian: await one(Kpi.KPI_FIRST_RESPONSE_TIME),
    firstResponseP90: await one(Kpi.KPI_FIRST_RESPONSE_TIME, { statistic: Statistic.STATISTIC_P90 }),
    sla: await one(Kpi.KPI_SLA_COMPLIANCE),
    nps: await one(Kpi.KPI_NPS),
    satisfaction: await one(Kpi.KPI_SATISFACTION_INDEX),
    csat: await one(Kpi.KPI_CSAT),
    complaintRate: await one(Kpi.KPI_COMPLAINT_RATE),
    complaintRateByRoute: await kpi(Kpi.KPI_COMPLAINT_RATE, { groupBy: [Dimension.DIMENSION_ROUTE] }),
    volume: await one(Kpi.KPI_CASE_VOLUME),
    volumeByChannel: await kpi(Kpi.KPI_CASE_VOLUME, { groupBy: [Dimension.DIMENSION_CHANNEL] }),
    resolution: await one(Kpi.KPI_RESOLUTION_RATE),
    sentiment: await one(Kpi.KPI_NET_SENTIMENT),
  };
}

describe('fixture stream → KPIs (embedded, through gRPC)', () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it('matches the hand-computed KPIs exactly', async () => {
    first = await snapshot();
    expect(first.handlingMedian).toBe(2.5);
    expect(first.handlingP90).toBe(7.9);
    expect(first.firstResponseMedian).toBe(60);
    expect(first.firstResponseP90).toBe(84);
    expect(first.sla).toBe(50);
    expect(first.nps).toBe(25);
    expect(first.satisfaction).toBe(50);
    expect(first.csat).toBe(3.5);
    expect(first.complaintRate).toBe(120);
    expect(first.complaintRateByRoute.map((v) => [v.group[0], v.value, v.sampleSize])).toEqual([
      ['PEK-SHA', 100, 200],
      ['SHA-CAN', 200, 50],
    ]);
    expect(first.volume).toBe(5);
    expect(first.volumeByChannel.map((v) => [v.group[0], v.value])).toEqual([
      ['CHANNEL_APP', 1],
      ['CHANNEL_EMAIL', 1],
      ['CHANNEL_PHONE', 2],
      ['CHANNEL_WEB', 1],
    ]);
    expect(first.resolution).toBe(80);
    // Sentiment: C1 zh positive, C2 zh negative, C3 en positive (C4 has no comment) → (2 − 1)/3 × 100.
    expect(first.sentiment).toBe(33.333333); // values are rounded to 6 decimals
  });

  it('filters by dimension (channel PHONE: C1 + C3 → handling [1, 3], median 2)', async () => {
    const filters = [{ dimension: Dimension.DIMENSION_CHANNEL, values: ['CHANNEL_PHONE'] }];
    const res = await h.call<analytics.QueryKpiRequest, Res>('queryKpi', analytics.QueryKpiRequest.fromPartial({ kpi: Kpi.KPI_HANDLING_TIME, scope: { ...scope, filters } }));
    expect(res.values).toEqual([{ group: [], value: 2, sampleSize: 2 }]);
  });

  it('consuming every event again (replay) leaves every number unchanged', async () => {
    await h.publish(stream); // same event ids: redelivered at-least-once
    await h.publish(stream);
    // The in-process log delivers in order: a marker published after the replay proves the replay was consumed.
    await h.publish([ev('csm.profile.passenger.updated.v1', { passengerId: 'pax_marker', changedFields: ['x'], version: 2 }, new Date('2026-03-02T05:00:00Z'))]);
    await h.waitApplied(stream.length + 1, stream.length * 3 + 1);
    expect(await snapshot()).toEqual(first);
  });

  it('a rebuild from scratch (fresh consumer groups, from the beginning) gives the same numbers', async () => {
    const before = await h.app.projectionStatus();
    const res = await h.call<analytics.RebuildProjectionsRequest, analytics.RebuildProjectionsResponse>('rebuildProjections', analytics.RebuildProjectionsRequest.fromPartial({}));
    expect(res.generation).toBe(before.generation + 1);
    // The replay reads the whole log again (3 copies of the stream + the marker): 27 unique events take effect.
    await h.waitApplied(stream.length + 1, stream.length * 3 + 1);
    expect(await snapshot()).toEqual(first);
    const status = await h.app.projectionStatus();
    expect(status.consumers.every((c) => c.consumer.endsWith(`.g${res.generation}`))).toBe(true);
  }, 120_000);

  it('rejects bad input naming every field, and callers without a reading role', async () => {
    await expect(
      h.call('queryKpi', analytics.QueryKpiRequest.fromPartial({ kpi: 0, scope: { timeZone: 'Mars/Olympus', filters: [{ dimension: 99, values: [] }] }, groupBy: [Dimension.DIMENSION_AGE_BUCKET] })),
    ).rejects.toMatchObject({ violations: expect.arrayContaining([expect.objectContaining({ field: 'kpi' }), expect.objectContaining({ field: 'scope.filters[0].dimension' })]) });
    await expect(h.call('queryKpi', analytics.QueryKpiRequest.fromPartial({ kpi: Kpi.KPI_CSAT, groupBy: [Dimension.DIMENSION_AGE_BUCKET] }))).rejects.toMatchObject({ violations: [expect.objectContaining({ field: 'group_by[0]' })] });
    await expect(h.call('queryKpi', analytics.QueryKpiRequest.fromPartial({ kpi: Kpi.KPI_CSAT }), ['agent_l1'])).rejects.toMatchObject({ name: 'PermissionDeniedError' });
  });
});

/** Loyalty history of pax_P1 (mem_1) for the churn and segmentation checks; "now" is fixed at 2026-03-03T00:00Z. */
function loyaltyStream() {
  const t = (iso: string) => new Date(iso);
  return [
    ev('csm.loyalty.member.enrolled.v1', { memberId: 'mem_1', memberNumber: 'M1', passengerId: 'pax_P1', tier: 3 /* GOLD */ }, t('2025-06-01T00:00:00Z')),
    ...[1, 2, 3].map((i) =>
      ev('csm.loyalty.member.miles_accrued.v1', { memberId: 'mem_1', transactionId: `txn_${i}`, kind: 1 /* FLIGHT_ACCRUAL */, miles: 20_000, flight: { carrier: 'CA', number: `90${i}`, date: '2025-11-01' } }, t(`2025-11-0${i}T00:00:00Z`)),
    ),
    ev('csm.loyalty.member.tier_changed.v1', { memberId: 'mem_1', previousTier: 3, tier: 2, reason: 2 }, t('2026-02-01T00:00:00Z')),
    ev('csm.loyalty.member.miles_redeemed.v1', { memberId: 'mem_1', redemptionId: 'red_1', transactionId: 'txn_r1', miles: 15_000 }, t('2026-03-02T02:00:00Z')),
  ];
}

describe('trends, early warnings, churn, segments and CSV (embedded, through gRPC)', () => {
  beforeAll(async () => {
    process.env.ANALYTICS_TEST_NOW = '2026-03-03T00:00:00Z';
    const extra = loyaltyStream();
    const before = (await h.app.projectionStatus()).consumers.reduce((n, c) => n + c.eventsApplied, 0);
    await h.publish(extra);
    await h.waitApplied(before + extra.length);
  }, 60_000);
  afterAll(() => {
    delete process.env.ANALYTICS_TEST_NOW;
  });

  it('daily and weekly series: empty periods present with sample 0, week-over-week change and moving average', async () => {
    const res = await h.call<analytics.QueryKpiSeriesRequest, analytics.QueryKpiSeriesResponse>(
      'queryKpiSeries',
      analytics.QueryKpiSeriesRequest.fromPartial({ kpi: Kpi.KPI_CASE_VOLUME, granularity: analytics.Granularity.GRANULARITY_DAILY, scope: { timeRange: { startTime: new Date('2026-02-28T16:00:00Z'), endTime: new Date('2026-03-03T16:00:00Z') } } }),
    );
    expect(res.points.map((p) => [p.periodStartDate, p.value, p.sampleSize])).toEqual([
      ['2026-03-01', 0, 0],
      ['2026-03-02', 5, 5],
      ['2026-03-03', 0, 0],
    ]);
    expect(res.points[1]?.movingAverage).toBe(5);
    expect(res.points[1]?.weekOverWeekChangePct).toBeUndefined(); // nothing a week earlier
    const weekly = await h.call<analytics.QueryKpiSeriesRequest, analytics.QueryKpiSeriesResponse>(
      'queryKpiSeries',
      analytics.QueryKpiSeriesRequest.fromPartial({ kpi: Kpi.KPI_MILES_BURNED, granularity: analytics.Granularity.GRANULARITY_WEEKLY, scope: { timeRange: { startTime: new Date('2026-02-22T16:00:00Z'), endTime: new Date('2026-03-08T16:00:00Z') } } }),
    );
    expect(weekly.unit).toBe('miles');
    expect(weekly.points.map((p) => [p.periodStartDate, p.value])).toEqual([
      ['2026-02-23', 0],
      ['2026-03-02', 15_000], // ISO weeks start on Monday
    ]);
  });

  it('raises SLA and satisfaction alerts once, as AlertRaised events on csm.analytics.v1 via the outbox, listed and acknowledged by API', async () => {
    const seen: string[] = [];
    const sub = await h.bus.subscribe({ groupId: 'test.alerts', topics: ['csm.analytics.v1'], handler: async (e) => void seen.push(String((e.data as { kind?: string }).kind)) });
    try {
      const req = analytics.EvaluateAlertsRequest.fromPartial({ dates: { startDate: '2026-03-02', endDate: '2026-03-02' } });
      const raised = await h.call<analytics.EvaluateAlertsRequest, analytics.EvaluateAlertsResponse>('evaluateAlerts', req);
      expect(raised.raised.map((a) => [analytics.alertKindToJSON(a.kind), analytics.alertSeverityToJSON(a.severity), a.observedValue, a.threshold]).sort()).toEqual([
        ['ALERT_KIND_SATISFACTION_DROP', 'ALERT_SEVERITY_WARNING', 50, 90],
        ['ALERT_KIND_SLA_BREACH_RATE', 'ALERT_SEVERITY_CRITICAL', 50, 90],
      ]);
      expect((await h.call<analytics.EvaluateAlertsRequest, analytics.EvaluateAlertsResponse>('evaluateAlerts', req)).raised).toEqual([]); // once per rule and day
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(seen.sort()).toEqual(['ALERT_KIND_SATISFACTION_DROP', 'ALERT_KIND_SLA_BREACH_RATE']);

      const list = await h.call<analytics.ListAlertsRequest, analytics.ListAlertsResponse>('listAlerts', analytics.ListAlertsRequest.fromPartial({ states: [analytics.AlertState.ALERT_STATE_OPEN], page: { pageSize: 1 } }));
      expect(list.alerts).toHaveLength(1);
      expect(list.page?.nextPageToken).not.toBe('');
      const next = await h.call<analytics.ListAlertsRequest, analytics.ListAlertsResponse>('listAlerts', analytics.ListAlertsRequest.fromPartial({ states: [analytics.AlertState.ALERT_STATE_OPEN], page: { pageSize: 1, pageToken: list.page?.nextPageToken ?? '' } }));
      expect(next.alerts).toHaveLength(1);
      expect(next.alerts[0]?.id).not.toBe(list.alerts[0]?.id);
      const ack = await h.call<analytics.AcknowledgeAlertRequest, analytics.AcknowledgeAlertResponse>('acknowledgeAlert', { alertId: list.alerts[0]?.id ?? '', comment: 'on it' });
      expect(ack.alert?.state).toBe(analytics.AlertState.ALERT_STATE_ACKNOWLEDGED);
      expect(ack.alert?.acknowledgedBy).toBe('usr_test');
    } finally {
      await sub.stop();
    }
  });

  it('churn: pax_P1 (complaints, fewer flights, downgraded, high miles) tops the at-risk high-value list with exactly its factors', async () => {
    const res = await h.call<analytics.ListChurnRisksRequest, analytics.ListChurnRisksResponse>('listChurnRisks', analytics.ListChurnRisksRequest.fromPartial({ highValueOnly: true }));
    expect(res.churnRisks.map((r) => r.passengerId)).toEqual(['pax_P1']);
    const p1 = res.churnRisks[0];
    // 2 complaints → 2/3·0.25; 3 flights before, 0 in the window → 0.15; downgraded → 0.15; mean CSAT 4 → 0
    expect(p1?.factors.map((f) => [f.code, f.weight])).toEqual([
      ['frequent_complaints', 0.1667],
      ['declining_flights', 0.15],
      ['tier_downgrade', 0.15],
    ]);
    expect(p1?.score).toBe(0.4667);
    expect(p1?.level).toBe(analytics.RiskLevel.RISK_LEVEL_MEDIUM);
    expect(p1?.recommendedIntervention).toBe(analytics.Intervention.INTERVENTION_CALL_BACK);
    const p2 = await h.call<analytics.GetChurnRiskRequest, analytics.GetChurnRiskResponse>('getChurnRisk', { passengerId: 'pax_P2' });
    expect(p2.churnRisk?.factors.map((f) => f.code)).toEqual(['low_satisfaction', 'frequent_complaints']);
    const all = await h.call<analytics.ListChurnRisksRequest, analytics.ListChurnRisksResponse>('listChurnRisks', analytics.ListChurnRisksRequest.fromPartial({}));
    const scores = all.churnRisks.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('segments members with k-means and exports any KPI query as CSV', async () => {
    const seg = await h.call<analytics.RunSegmentationRequest, analytics.RunSegmentationResponse>('runSegmentation', {});
    expect(seg.passengers).toBe(1);
    expect(seg.segments.map((s) => [s.id, s.size, s.meanFrequency, s.meanMonetaryMiles])).toEqual([['seg_1', 1, 3, 60_000]]); // 3 flight accruals of 20,000 miles in the year before "now"
    const chunks: Buffer[] = [];
    const token = await h.token();
    const md = new Metadata();
    md.set('authorization', `Bearer ${token}`);
    await new Promise<void>((resolve, reject) => {
      const call = h.client.exportCsv(analytics.ExportCsvRequest.fromPartial({ dataset: analytics.ExportDataset.EXPORT_DATASET_KPI, kpi: Kpi.KPI_CASE_VOLUME, groupBy: [Dimension.DIMENSION_CHANNEL], scope }), md);
      call.on('data', (m: analytics.ExportCsvResponse) => chunks.push(Buffer.from(m.chunk)));
      call.on('end', () => resolve());
      call.on('error', reject);
    });
    expect(Buffer.concat(chunks).toString('utf8')).toBe(
      'channel,kpi,unit,value,sample_size\r\nCHANNEL_APP,CASE_VOLUME,count,1,1\r\nCHANNEL_EMAIL,CASE_VOLUME,count,1,1\r\nCHANNEL_PHONE,CASE_VOLUME,count,2,2\r\nCHANNEL_WEB,CASE_VOLUME,count,1,1\r\n',
    );
  });
});
