import { analytics } from '@csm/contracts';
import { createKafkaEventBus, type EventBus } from '@csm/platform/events';
import { metricsRegistry } from '@csm/platform/telemetry';
import { createTestDatabase, testInfra, type TestDatabase } from '@csm/platform/testing';
import { dayRange, fixtureStream } from './support/fixture';
import { startHarness, type Harness } from './support/harness';

const { Kpi, Statistic } = analytics;

/**
 * The must-show on real PostgreSQL + Kafka. The shared topics also hold other services' test events, so the fixture
 * is dated 2019-03-04 (a Monday nobody else uses) and every query is scoped to that Shanghai day.
 */
const DAY_ISO = '2019-03-04';
const range = dayRange(DAY_ISO);
const scope = { timeRange: { startTime: range.start, endTime: range.end } };

let db: TestDatabase;
let producer: EventBus;
let h: Harness;
const stream = fixtureStream(DAY_ISO, '01JG');

beforeAll(async () => {
  db = await createTestDatabase('analytics');
  producer = createKafkaEventBus({ brokers: testInfra().kafkaBrokers, clientId: 'analytics-int-producer' });
  await producer.ensureTopics(['csm.profile.v1', 'csm.cases.v1', 'csm.loyalty.v1', 'csm.flight.v1', 'csm.cargo.v1', 'csm.analytics.v1']);
  h = await startHarness({ CSM_MODE: 'cluster', CSM_PG_URL: db.url, CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','), CSM_ANALYTICS_GENERATION_POLL_MS: '1000' }, producer);
  await h.publish(stream);
}, 180_000);

afterAll(async () => {
  await h?.stop();
  await producer?.close();
  await db?.drop();
});

const one = async (k: analytics.Kpi, statistic = 0) =>
  (await h.call<analytics.QueryKpiRequest, analytics.QueryKpiResponse>('queryKpi', analytics.QueryKpiRequest.fromPartial({ kpi: k, scope, statistic }))).values[0]?.value;

async function snapshot() {
  return {
    handlingMedian: await one(Kpi.KPI_HANDLING_TIME, Statistic.STATISTIC_MEDIAN),
    handlingP90: await one(Kpi.KPI_HANDLING_TIME, Statistic.STATISTIC_P90),
    sla: await one(Kpi.KPI_SLA_COMPLIANCE),
    nps: await one(Kpi.KPI_NPS),
    complaintRate: await one(Kpi.KPI_COMPLAINT_RATE),
    volume: await one(Kpi.KPI_CASE_VOLUME),
  };
}

/** Polls until the fixture's numbers are complete (Kafka delivery is asynchronous; other tests' events share the topics). */
async function settled(): Promise<Awaited<ReturnType<typeof snapshot>>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = await snapshot();
    // Every number must be final: with batch consumption a snapshot can fall between two batches of one case's events.
    if (Object.entries(EXPECTED).every(([k, v]) => s[k as keyof typeof s] === v)) return s;
    if (Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const EXPECTED = { handlingMedian: 2.5, handlingP90: 7.9, sla: 50, nps: 25, complaintRate: 120, volume: 5 };

describe('analytics on real PostgreSQL + Kafka', () => {
  it('projects the fixture stream into the hand-computed KPIs, and reports consumer lag as a histogram', async () => {
    expect(await settled()).toEqual(EXPECTED);
    const metrics = await metricsRegistry.getSingleMetricAsString('csm_analytics_projection_lag_seconds');
    expect(metrics).toMatch(/csm_analytics_projection_lag_seconds_count\{consumer="analytics\.cases"\} [1-9]/);
  }, 150_000);

  it('re-publishing every event (replay) changes nothing', async () => {
    await h.publish(stream);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await snapshot()).toEqual(EXPECTED);
  }, 60_000);

  it('a rebuild replays the topics from the beginning through fresh consumer groups and gives the same numbers', async () => {
    const res = await h.call<analytics.RebuildProjectionsRequest, analytics.RebuildProjectionsResponse>('rebuildProjections', {});
    expect(res.generation).toBe(2);
    const status = await h.call<analytics.GetProjectionStatusRequest, analytics.GetProjectionStatusResponse>('getProjectionStatus', {});
    expect(status.generation).toBe(2);
    expect(await settled()).toEqual(EXPECTED);
    const after = await h.call<analytics.GetProjectionStatusRequest, analytics.GetProjectionStatusResponse>('getProjectionStatus', {});
    expect(after.consumers.length).toBeGreaterThan(0);
    expect(after.consumers.every((c) => /^analytics\.[a-z]+\.[0-9a-f]{8}\.g2$/.test(c.consumer))).toBe(true);
  }, 180_000);
});
