// Analytics projection benchmark on real Kafka + PostgreSQL (npm run infra:up first):
//   node --require ./scripts/dev/ts-register.cjs bench/analytics/projection.ts [cases=3000] [lagSeconds=20] [rate=1000]
// 1. Sustained throughput: `cases` × 6 case events published at once into csm.cases.v1, time until all projected.
//    Baseline IN THE SAME RUN: the same events consumed through the kit's Kafka bus in batches (batchHandler) by
//    createIdempotentBatchHandler with an empty effect (bus + processed_events only) — the projection's own consumption
//    path — so the ratio isolates the cost of the star-schema projection itself. For reference, the same with the
//    per-message handler (createIdempotentHandler, the consumption path before batches).
// 2. End-to-end lag at a steady `rate` events/s for `lagSeconds`: event time (CloudEvents `time`, set when published)
//    → projection committed, p50/p99 from every event.
import { eventCodec, type EventType } from '@csm/contracts';
import { loadConfig } from '@csm/platform/config';
import { createEvent, createIdempotentBatchHandler, createIdempotentHandler, createKafkaEventBus, processedEventsMigration, sourceForDomain, type EventData, type PublishRecord } from '@csm/platform/events';
import { createLogger } from '@csm/platform/logging';
import { migrate, openSqlDb } from '@csm/platform/stores';
import { createTestDatabase, testInfra } from '@csm/platform/testing';
import { configSchema } from '../../services/analytics/src/config';
import { startAnalytics } from '../../services/analytics/src/service';

const CASES = Number(process.argv[2] ?? 3000);
const LAG_SECONDS = Number(process.argv[3] ?? 20);
const RATE = Number(process.argv[4] ?? 1000);
const runId = Date.now().toString(36);

function record(type: EventType, payload: Record<string, unknown>): PublishRecord {
  const spec = eventCodec(type);
  const msg = (spec.codec as { fromPartial(x: unknown): unknown }).fromPartial(payload);
  return {
    topic: spec.topic,
    event: createEvent({ source: sourceForDomain(spec.domain), type: spec.type, subject: String(payload.caseId), data: spec.toJSON(msg as never) as EventData }),
  };
}

/** The six events of one case's life. */
function caseLife(i: number): PublishRecord[] {
  const caseId = `case_bench_${runId}_${i}`;
  const open = new Date(Date.now() - 3_600_000);
  return [
    record('csm.cases.case.opened.v1', { caseId, kind: 1 + (i % 4), channel: 1 + (i % 10), passengerId: `pax_bench_${i % 500}`, categoryCode: 'baggage.delayed', openTime: open, flight: { carrier: 'CA', number: String(1000 + (i % 50)), date: '2026-03-02' } }),
    record('csm.cases.case.classified.v1', { caseId, categoryCode: 'baggage.delayed', severity: 1 + (i % 4) }),
    record('csm.cases.case.state_changed.v1', { caseId, fromState: 1, toState: 2 }),
    record('csm.cases.case.resolved.v1', { caseId, resolutionCode: 'explained', resolveTime: new Date(), handlingSeconds: 600 + i, severity: 1, kind: 1 }),
    record('csm.cases.case.closed.v1', { caseId, closeTime: new Date(), kind: 1, channel: 1, severity: 1, slaBreached: i % 7 === 0 }),
    record('csm.cases.case.survey_recorded.v1', { caseId, passengerId: `pax_bench_${i % 500}`, csat: 1 + (i % 5), nps: i % 11, comment: i % 2 ? '服务很好，非常满意' : 'the delay was terrible', channel: 1, recordTime: new Date() }),
  ];
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN; // nearest rank
};

async function publishAll(bus: ReturnType<typeof createKafkaEventBus>, records: PublishRecord[]) {
  for (let i = 0; i < records.length; i += 500) await bus.publish(records.slice(i, i + 500));
}

async function main() {
  const brokers = testInfra().kafkaBrokers;
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const producer = createKafkaEventBus({ brokers, clientId: `bench-producer-${runId}` });
  await producer.ensureTopics(['csm.cases.v1']);
  const baseDb = await createTestDatabase('bench_baseline');
  const svcDb = await createTestDatabase('bench_analytics');
  const events = Array.from({ length: CASES }, (_, i) => caseLife(i)).flat();

  // --- baselines: the kit's Kafka bus + idempotent handlers with an empty effect, per message and in batches -------
  const bdb = await openSqlDb({ url: baseDb.url });
  await migrate(bdb, { service: 'bench', migrations: [processedEventsMigration(1)] });
  const wanted = new Set(events.map((r) => r.event.id));
  /** Consumes `events` (published after the group joined) through one subscription; returns the elapsed ms. */
  const baseline = async (mode: 'per-message' | 'batch'): Promise<number> => {
    const consumerBus = createKafkaEventBus({ brokers, clientId: `bench-baseline-${mode}-${runId}` });
    let seen = 0;
    let done: () => void = () => undefined;
    const allSeen = new Promise<void>((r) => (done = r));
    const count = (e: { id: string }) => {
      if (wanted.has(e.id) && ++seen === events.length) done();
    };
    const consumer = `bench.baseline.${mode}`;
    const single = createIdempotentHandler(bdb, consumer, async () => undefined);
    const batched = createIdempotentBatchHandler(bdb, consumer, async () => undefined);
    await consumerBus.subscribe({
      groupId: `${consumer}.${runId}`,
      topics: ['csm.cases.v1'],
      fromBeginning: false,
      ...(mode === 'batch'
        ? {
            handler: async (e, ctx) => {
              await batched.handler(e, ctx);
              count(e);
            },
            batchHandler: async (batch) => {
              await batched.batchHandler(batch);
              batch.forEach((d) => count(d.event));
            },
          }
        : {
            handler: async (e, ctx) => {
              await single(e, ctx);
              count(e);
            },
          }),
    });
    const started = Date.now();
    await publishAll(producer, events);
    await allSeen;
    const ms = Date.now() - started;
    await consumerBus.close();
    return ms;
  };
  const perMessageMs = await baseline('per-message');
  await bdb.query(`TRUNCATE processed_events`);
  const baselineMs = await baseline('batch');
  await bdb.close();

  // --- analytics projection -----------------------------------------------------------------------------------------
  let projected = 0;
  let target = Number.POSITIVE_INFINITY;
  const lags: number[] = [];
  let recording = false;
  let reached: () => void = () => undefined;
  let reachedP = new Promise<void>((r) => (reached = r));
  const config = loadConfig(configSchema, {
    CSM_MODE: 'cluster', CSM_PG_URL: svcDb.url, CSM_KAFKA_BROKERS: brokers.join(','), CSM_GRPC_PORT: '0', CSM_GRPC_HOST: '127.0.0.1',
    CSM_ANALYTICS_ALERT_INTERVAL_MS: '0', CSM_ANALYTICS_SEGMENT_INTERVAL_MS: '0', CSM_LOG_LEVEL: 'warn',
  });
  const svc = await startAnalytics({ config, logger }, {
    onProjected: (domain, lagMs) => {
      if (domain !== 'cases') return;
      projected += 1;
      if (recording) lags.push(lagMs);
      if (projected >= target) reached();
    },
  });
  // Catch up on whatever the shared topic already holds (other tests' events), then measure.
  for (let last = -1; last !== projected; ) {
    last = projected;
    await new Promise((r) => setTimeout(r, 3_000));
  }
  const backlog = projected;
  target = backlog + events.length;
  const fresh = Array.from({ length: CASES }, (_, i) => caseLife(CASES + i)).flat();
  const t0 = Date.now();
  await publishAll(producer, fresh);
  await reachedP;
  const projectionMs = Date.now() - t0;

  // --- steady rate: lag ---------------------------------------------------------------------------------------------
  const total = RATE * LAG_SECONDS;
  const steady = Array.from({ length: Math.ceil(total / 6) }, (_, i) => caseLife(10 * CASES + i)).flat().slice(0, total);
  reachedP = new Promise<void>((r) => (reached = r));
  target = projected + steady.length;
  recording = true;
  const tick = 50;
  const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
  const start = Date.now();
  for (let i = 0, k = 0; i < steady.length; i += perTick, k++) {
    const wait = start + k * tick - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = steady.slice(i, i + perTick).map((r) => ({ ...r, event: { ...r.event, time: new Date().toISOString() } }));
    await producer.publish(batch);
  }
  const publishSeconds = (Date.now() - start) / 1000;
  await Promise.race([reachedP, new Promise((r) => setTimeout(r, 120_000))]);
  await svc.stop();
  await producer.close();
  await baseDb.drop();
  await svcDb.drop();

  const result = {
    date: new Date().toISOString(),
    machine: '2 cores shared',
    events: events.length,
    baselinePerMessageEventsPerSec: Math.round(events.length / (perMessageMs / 1000)),
    baselineEventsPerSec: Math.round(events.length / (baselineMs / 1000)),
    projectionEventsPerSec: Math.round(events.length / (projectionMs / 1000)),
    ratioProjectionToBaseline: Number((baselineMs / projectionMs).toFixed(2)),
    caughtUpBacklog: backlog,
    steadyRateTarget: RATE,
    steadyRateAchieved: Math.round(steady.length / publishSeconds),
    lagSamples: lags.length,
    lagP50Ms: pct(lags, 50),
    lagP99Ms: pct(lags, 99),
    lagMaxMs: Math.max(...lags),
    lagTargetMet: pct(lags, 99) < 500,
  };
  console.log(JSON.stringify(result, null, 2));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
