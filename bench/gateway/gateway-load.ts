// Gateway latency and throughput with autocannon: GET passenger 360 and POST case through the gateway of the embedded
// platform (one process, as `npm start`), next to a baseline measured in the same run — a bare express route making
// one grpc-js call (echo-baseline.ts, also its own process) — and the 360's floor: the same four calls it makes, to an
// echo server in a second process. Target (issue 8): 360 p99 < 30 ms at 300 requests/s.
//
//   npm run build && node --require ./scripts/dev/ts-register.cjs bench/gateway/gateway-load.ts
//   BENCH_RATE=300 BENCH_SECONDS=20 node --require ./scripts/dev/ts-register.cjs bench/gateway/gateway-load.ts
//   BENCH_PHASES=baseline,floor node ...   (only the floors: the platform is not started)
//
// Needs nothing installed (embedded mode). Each phase: 5 s warm-up, then BENCH_SECONDS at a fixed BENCH_RATE
// (autocannon's overallRate), then 10 s as fast as 10 connections go (throughput).
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';

const RATE = Number(process.env.BENCH_RATE ?? 300);
/** A lower rate measured too, to show latency below saturation (embedded mode saturates far below 300/s). */
const LOW_RATE = Number(process.env.BENCH_LOW_RATE ?? 40);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const root = path.resolve(__dirname, '../..');
/** Which phases to run (comma-separated): baseline, floor, 360, cases. The platform is started only for 360 / cases. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'baseline,floor,360,cases').split(','));

function startChild(script: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--require', path.join(root, 'scripts/dev/ts-register.cjs'), path.join(__dirname, script)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve({ child, ready: JSON.parse(line) as Record<string, unknown> });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

interface Phase {
  readonly name: string;
  readonly median: number;
  readonly p99: number;
  readonly rps: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function run(name: string, opts: autocannon.Options): Promise<Phase> {
  const r = await autocannon(opts);
  if (r.non2xx > 0) console.error(`${name}: status codes ${JSON.stringify(r.statusCodeStats)}`);
  return { name, median: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** Warm-up, fixed-rate run (latency), then unthrottled run (throughput). */
async function measure(name: string, base: autocannon.Options): Promise<Phase[]> {
  await autocannon({ ...base, duration: 5, connections: 10 });
  const atRate = await run(`${name} @ ${RATE}/s`, { ...base, duration: SECONDS, connections: 10, overallRate: RATE });
  const atLow = await run(`${name} @ ${LOW_RATE}/s`, { ...base, duration: SECONDS, connections: 10, overallRate: LOW_RATE });
  const max = await run(`${name} max`, { ...base, duration: 10, connections: 10 });
  return [atRate, atLow, max];
}

async function main(): Promise<void> {
  const baseline = await startChild('echo-baseline.ts');
  // The 360's floor: its four calls, echoed by another process (see echo-baseline.ts).
  const echoServer = await startChild('echo-baseline.ts', { BENCH_ECHO_ROLE: 'server' });
  const fanout = await startChild('echo-baseline.ts', { BENCH_ECHO_UPSTREAM: String(echoServer.ready.grpcPort) });
  // The embedded platform runs schedulers and relays in the background: not started when only the floors are measured.
  const platform = PHASES.has('360') || PHASES.has('cases') ? await startChild('platform-server.ts') : undefined;
  try {
    const url = String(platform?.ready.url);
    const tokens = (platform?.ready.tokens ?? {}) as Record<string, string>;
    const demo = (platform?.ready.demo ?? {}) as Record<string, unknown>;
    const passengerId = String(demo.demoPassengerId ?? 'pax_01JD0000000000000000000001');
    const agent = { authorization: `Bearer ${tokens.agent_l1}` };
    const results: Phase[] = [];
    results.push(...(await measure('baseline express→grpc echo', { url: `${String(baseline.ready.url)}/echo/${passengerId}` })));
    if (PHASES.has('floor')) results.push(...(await measure('floor: the 360\'s four calls to an echo process', { url: `${String(fanout.ready.url)}/fanout/${passengerId}` })));
    if (PHASES.has('360')) results.push(...(await measure('GET /passengers/{id}/360', { url: `${url}/api/v1/passengers/${passengerId}/360`, headers: agent })));
    if (PHASES.has('cases')) results.push(
      ...(await measure('POST /cases', {
        url: `${url}/api/v1/cases`,
        method: 'POST',
        headers: { ...agent, 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, 'idempotency-key': `bench-${randomUUID()}` },
              body: JSON.stringify({ channel: 'CHANNEL_PHONE', kind: 'CASE_KIND_INQUIRY', subject: 'Baggage allowance', description: 'How many bags may I check on my flight?', language: 'en', passengerId }),
            }),
          },
        ],
      })),
    );
    const byName = new Map(results.map((r) => [r.name, r]));
    const baseAt = (rate: string) => byName.get(`baseline express→grpc echo ${rate}`)!;
    console.log(`\n| measure | median ms | p99 ms | req/s | non-2xx | errors | p99 ratio vs baseline |`);
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      const base = baseAt(r.name.slice(r.name.lastIndexOf(' ') + 1) === 'max' ? 'max' : r.name.slice(r.name.indexOf('@')));
      console.log(`| ${r.name} | ${r.median} | ${r.p99} | ${Math.round(r.rps)} | ${r.non2xx} | ${r.errors} | ${(r.p99 / Math.max(base.p99, 1)).toFixed(1)}× |`);
    }
    const pax = byName.get(`GET /passengers/{id}/360 @ ${RATE}/s`);
    if (pax) console.log(`\n360 p99 at ${RATE}/s: ${pax.p99} ms (target < 30 ms: ${pax.p99 < 30 && pax.non2xx === 0 ? 'met' : 'NOT met'})`);
  } finally {
    for (const c of [baseline, echoServer, fanout, platform]) c?.child.kill('SIGTERM');
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
