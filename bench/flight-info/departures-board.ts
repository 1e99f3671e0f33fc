// Departures-board latency in-service: ListDepartures over gRPC against the running flight-info service (cluster mode,
// real PostgreSQL) holding a year of schedules for two hubs, as median and p99, next to a baseline measured in the
// same run: a GetAirport round trip through the same server (gRPC, auth and interceptors, no database).
//
//   node --require ./scripts/dev/ts-register.cjs bench/flight-info/departures-board.ts
//   BENCH_FLIGHTS=500000 BENCH_QUERIES=3000 node --require ./scripts/dev/ts-register.cjs bench/flight-info/departures-board.ts
//
// Needs PostgreSQL and Kafka (`npm run infra:up`). Creates and drops a throw-away database. Flights are bulk-loaded
// with one INSERT … SELECT (the same columns UpsertSchedule writes; local times derived with AT TIME ZONE), because
// loading half a million flights through the API would dominate the run; the measured queries go through the service.
import { performance } from 'node:perf_hooks';
import { FlightInfoServiceClient } from '@csm/contracts/gen/csm/flightinfo/v1/flight_info_service';
import { loadConfig } from '@csm/platform/config';
import { callUnary, createGrpcClient } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import { createPgDb } from '@csm/platform/stores';
import { createTestDatabase, testInfra } from '@csm/platform/testing';
import { configSchema } from '../../services/flight-info/src/config';
import { start } from '../../services/flight-info/src/service';

const FLIGHTS = Number(process.env.BENCH_FLIGHTS ?? 500_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const HUBS = ['PEK', 'PVG'] as const;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** Process CPU (user + system) per call of the last `timed` run: the client and the service share this process. */
let lastCpuMsPerCall = NaN;

async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t0 = performance.now();
        await op(i);
        lat.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  lastCpuMsPerCall = (cpu.user + cpu.system) / 1000 / n;
  return lat;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_flight_info');
  const config = loadConfig(configSchema, {
    CSM_MODE: 'cluster',
    CSM_PG_URL: db.url,
    CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CSM_GRPC_HOST: '127.0.0.1',
    CSM_GRPC_PORT: '0',
    CSM_METRICS_PORT: '0',
    CSM_CARGO_RCF_SCAN_INTERVAL_MS: '0',
  });
  const running = await start({ config, logger: createLogger({ service: 'bench', level: 'warn' }) });
  const client = createGrpcClient(FlightInfoServiceClient, `127.0.0.1:${running.port}`, { deadlineMs: 30_000 });
  const sql = createPgDb({ url: db.url, max: 1 });
  try {
    const perHubPerDay = Math.ceil(FLIGHTS / HUBS.length / 365);
    const t0 = performance.now();
    // Each hub: perHubPerDay departures a day spread over 06:00-24:00 local, to 12 destinations, for 365 days from 2027-01-01.
    await sql.query(
      `INSERT INTO flights (id, carrier, flight_number, flight_date, service_type, origin, destination, dep_zone, arr_zone,
                            sched_dep_utc, sched_dep_local, sched_arr_utc, sched_arr_local, aircraft_type, distance_km)
       SELECT 'flt_' || lpad(g::text, 26, '0'), v.carrier, (1 + n)::text, d::date, 'PASSENGER', v.hub, v.dest, 'Asia/Shanghai', v.zone,
              (d + make_interval(mins => 360 + (n * 1080 / $1::int))) AT TIME ZONE 'Asia/Shanghai',
              d + make_interval(mins => 360 + (n * 1080 / $1::int)),
              ((d + make_interval(mins => 360 + (n * 1080 / $1::int))) AT TIME ZONE 'Asia/Shanghai') + make_interval(mins => 120 + (n % 9) * 60),
              (((d + make_interval(mins => 360 + (n * 1080 / $1::int))) AT TIME ZONE 'Asia/Shanghai') + make_interval(mins => 120 + (n % 9) * 60)) AT TIME ZONE v.zone,
              '32N', 1000 + (n % 9) * 500
         FROM (SELECT row_number() OVER () AS g, h, d, n
                 FROM generate_series(0, 1) h,
                      generate_series(timestamp '2027-01-01', timestamp '2027-12-31', interval '1 day') d,
                      generate_series(0, $1::int - 1) n) s
         CROSS JOIN LATERAL (SELECT CASE WHEN s.h = 0 THEN 'PEK' ELSE 'PVG' END AS hub,
                                    CASE WHEN s.h = 0 THEN 'CA' ELSE 'MU' END AS carrier,
                                    (ARRAY['CAN','SZX','CTU','CKG','XIY','KMG','HGH','LHR','CDG','FRA','NRT','SIN'])[1 + (s.n % 12)] AS dest,
                                    (ARRAY['Asia/Shanghai','Asia/Shanghai','Asia/Shanghai','Asia/Shanghai','Asia/Shanghai','Asia/Shanghai',
                                           'Asia/Shanghai','Europe/London','Europe/Paris','Europe/Berlin','Asia/Tokyo','Asia/Singapore'])[1 + (s.n % 12)] AS zone) v`,
      [perHubPerDay],
    );
    await sql.query('ANALYZE flights');
    const loadSec = (performance.now() - t0) / 1000;
    const count = Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM flights')).rows[0]?.n);
    console.log(`loaded ${count} flights (${perHubPerDay}/hub/day) in ${loadSec.toFixed(1)} s`);

    const windowFor = (i: number) => {
      const day = new Date(Date.UTC(2027, 0, 1 + ((i * 37) % 365)));
      const hour = 6 + ((i * 5) % 16);
      const date = day.toISOString().slice(0, 10);
      const pad = (h: number) => String(h).padStart(2, '0');
      return { airport: HUBS[i % 2] as string, localStart: `${date}T${pad(hour)}:00`, localEnd: `${date}T${pad(hour + 2)}:00` };
    };
    const board = (i: number) => callUnary(client, 'listDepartures', { ...windowFor(i), window: undefined, carrier: '', page: { pageSize: 50, pageToken: '' } });
    const baseline = (i: number) => callUnary(client, 'getAirport', { code: HUBS[i % 2] as string });
    // Sanity: a 2-hour window holds flights.
    const sample = await board(0);
    if (sample.flights.length === 0) throw new Error('no flights in the sample window');
    console.log(`sample window returned ${sample.flights.length} flights`);
    await timed(300, board); // warm-up
    await timed(300, baseline);
    const baseLat = await timed(QUERIES, baseline);
    const baseCpu = lastCpuMsPerCall;
    const boardLat = await timed(QUERIES, board);
    const boardCpu = lastCpuMsPerCall;
    // The query alone, inside PostgreSQL (EXPLAIN ANALYZE of one representative board query).
    const plan = await sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ANALYZE SELECT id FROM flights WHERE origin = ANY($1::text[]) AND sched_dep_utc >= $2 AND sched_dep_utc < $3 ORDER BY sched_dep_utc, id LIMIT 51`,
      [['PEK'], new Date('2027-06-01T02:00:00Z'), new Date('2027-06-01T04:00:00Z')],
    );
    const result = {
      flights: count,
      queries: QUERIES,
      concurrency: CONCURRENCY,
      board: { medianMs: quantile(boardLat, 0.5), p99Ms: quantile(boardLat, 0.99), nodeCpuMsPerCall: boardCpu },
      baseline: { medianMs: quantile(baseLat, 0.5), p99Ms: quantile(baseLat, 0.99), nodeCpuMsPerCall: baseCpu },
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(1))),
      loadSec,
      plan: plan.rows.map((r) => r['QUERY PLAN']).filter((l) => /Index|Execution Time/.test(l)).map((l) => l.trim()),
    };
    console.log(JSON.stringify({ ...result, ratioMedian: result.board.medianMs / result.baseline.medianMs, ratioP99: result.board.p99Ms / result.baseline.p99Ms, targetMet: result.board.p99Ms < 20 }, null, 2));
  } finally {
    client.close();
    await sql.close();
    await running.stop();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
