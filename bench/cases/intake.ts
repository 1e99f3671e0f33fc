// Cases benchmark: intake through gRPC (real PostgreSQL + transactional outbox + relay to Kafka) against a bare INSERT
// of the same row measured in the same run, and the team-queue query p99 with N cases stored (default 1,000,000).
//   node --require ./scripts/dev/ts-register.cjs bench/cases/intake.ts [--cases 1000000] [--intake 3000] [--concurrency 16] [--rounds 6]
// Needs the real infrastructure (npm run infra:up). Prints a JSON summary for docs/benchmarks.md.
// The service runs in a child process (intake-server.ts), as in production where the gateway is another process; this
// process is the client: it drives OpenCase over gRPC and issues the bare INSERTs, in alternating rounds after a
// warm-up, so both see the same machine load. `--cpu-prof` writes a CPU profile of the service process
// during the measured rounds to $TMPDIR (path in the summary). Then, unless `--no-floor`, the same rounds against the
// transport floor (floor-server.ts: a bare gRPC server answering with a stored OpenCase response, no work at all).
import { credentials } from '@grpc/grpc-js';
import { cases } from '@csm/contracts';
import { callUnary } from '@csm/platform/grpc';
import { createPgDb } from '@csm/platform/stores';
import { createTestDatabase } from '@csm/platform/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const TOTAL_CASES = arg('cases', 1_000_000);
const INTAKE = arg('intake', 3000);
const CONCURRENCY = arg('concurrency', 16);
const QUERIES = arg('queries', 500);
const ROUNDS = arg('rounds', 6);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

async function runConcurrent(from: number, n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = from;
  const end = from + n;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= end) return;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies };
}

interface ServerStats {
  cpuMs: number;
  sysMs: number;
  loopP50Ms: number;
  loopP99Ms: number;
}

type Child = { child: ChildProcess; port: number; token: string; ask: <T>(op: string, extra?: Record<string, unknown>) => Promise<T> };

/** A bench server (`file`, beside this one) in its own process; resolves once it serves gRPC. */
function startServer(file: string, dbUrl: string): Promise<Child> {
  const root = path.resolve(__dirname, '../..');
  const child = fork(path.join(__dirname, file), [], {
    cwd: root,
    execArgv: ['--require', path.join(root, 'scripts/dev/ts-register.cjs')],
    env: { ...process.env, BENCH_CASES_PG_URL: dbUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(op: string, extra: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      const on = (m: { op: string }) => {
        if (m.op !== op) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      child.send({ op, ...extra });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.on('message', (m: { op: string; port: number; token: string }) => {
      if (m.op === 'ready') resolve({ child, port: m.port, token: m.token, ask });
    });
  });
}

async function stopServer(s: Child): Promise<void> {
  s.child.removeAllListeners('exit');
  s.child.send({ op: 'stop' });
  await new Promise((resolve) => (s.child.exitCode === null ? s.child.once('exit', resolve) : resolve(undefined)));
}

/** CPU ticks per live process with one of these command names (PostgreSQL backends, Kafka's JVM): diagnosis only. */
function cpuTicksOf(names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.includes(comm)) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, Number(f[11]) + Number(f[12])); // utime + stime
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** Starts counting the CPU of those processes; the returned function gives the seconds used since (by processes still alive). */
function cpuMeter(names: readonly string[]): () => number {
  const before = cpuTicksOf(names);
  return () => {
    let ticks = 0;
    for (const [pid, t] of cpuTicksOf(names)) ticks += t - (before.get(pid) ?? 0);
    return ticks / 100; // USER_HZ
  };
}

type Op = (i: number) => Promise<void>;

/**
 * Alternating rounds of `bare` and `viaGrpc` (bare first in even rounds, gRPC first in odd ones), so both see the same
 * machine load; with the CPU each side costs per operation: the gRPC server (`server`, its own process), this client
 * process, and all PostgreSQL and Kafka processes (machine-wide: indicative). `from` keeps bare ids unique per phase.
 */
async function compareInRounds(server: Child, viaGrpc: Op, bare: Op, from: number) {
  const per = Math.ceil(INTAKE / ROUNDS);
  const acc = { bare: { seconds: 0, latencies: [] as number[] }, grpc: { seconds: 0, latencies: [] as number[] } };
  const roundRatios: number[] = [];
  let serviceCpuMs = 0;
  let serviceSysMs = 0;
  const clientCpu = { bare: 0, grpc: 0 };
  const pgCpu = { bare: 0, grpc: 0 };
  const kafkaCpu = { bare: 0, grpc: 0 };
  const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const loopP99: number[] = [];
  const measured = async (side: 'bare' | 'grpc', op: Op, start: number) => {
    const c = process.cpuUsage();
    const pgUsed = cpuMeter(['postgres']);
    const kafkaUsed = cpuMeter(['java']);
    const res = await runConcurrent(start, per, CONCURRENCY, op);
    clientCpu[side] += cpuOf(process.cpuUsage(c));
    pgCpu[side] += pgUsed();
    kafkaCpu[side] += kafkaUsed();
    return res;
  };
  for (let round = 0; round < ROUNDS; round++) {
    const runBare = () => measured('bare', bare, from + round * per);
    const runGrpc = async () => {
      await server.ask('stats-reset');
      const res = await measured('grpc', viaGrpc, from + round * per);
      const st = await server.ask<ServerStats>('stats');
      serviceCpuMs += st.cpuMs;
      serviceSysMs += st.sysMs;
      loopP99.push(st.loopP99Ms);
      return res;
    };
    let b: Awaited<ReturnType<typeof runBare>>;
    let g: Awaited<ReturnType<typeof runGrpc>>;
    if (round % 2 === 0) {
      b = await runBare();
      g = await runGrpc();
    } else {
      g = await runGrpc();
      b = await runBare();
    }
    acc.bare.seconds += b.seconds;
    acc.bare.latencies.push(...b.latencies);
    acc.grpc.seconds += g.seconds;
    acc.grpc.latencies.push(...g.latencies);
    roundRatios.push(b.seconds / g.seconds);
  }
  const n = per * ROUNDS;
  const bTput = n / acc.bare.seconds;
  const gTput = n / acc.grpc.seconds;
  return {
    n,
    rounds: ROUNDS,
    grpcIntake: { perSecond: r2(gTput), medianMs: r2(pct(acc.grpc.latencies, 50)), p99Ms: r2(pct(acc.grpc.latencies, 99)) },
    bareInsert: { perSecond: r2(bTput), medianMs: r2(pct(acc.bare.latencies, 50)), p99Ms: r2(pct(acc.bare.latencies, 99)) },
    ratio: r2(gTput / bTput),
    roundRatios: roundRatios.map(r2),
    medianRoundRatio: r2(pct(roundRatios, 50)),
    serviceCpuMsPerIntake: r2(serviceCpuMs / n),
    serviceSysCpuMsPerIntake: r2(serviceSysMs / n),
    clientCpuMsPerOp: { grpcIntake: r2(clientCpu.grpc / n), bareInsert: r2(clientCpu.bare / n) },
    // All PostgreSQL / Kafka processes on the machine (other benches' too): indicative only.
    postgresCpuMsPerOp: { grpcIntake: r2((pgCpu.grpc * 1000) / n), bareInsert: r2((pgCpu.bare * 1000) / n) },
    kafkaCpuMsPerOp: { grpcIntake: r2((kafkaCpu.grpc * 1000) / n), bareInsert: r2((kafkaCpu.bare * 1000) / n) },
    serviceLoopDelayP99Ms: r2(pct(loopP99, 50)),
    target: '>= 0.5',
    met: gTput / bTput >= 0.5,
    loadavgEnd: loadavg().map(r2),
  };
}

async function main() {
  const db = await createTestDatabase('cases_bench');
  const sql = createPgDb({ url: db.url, max: 10 });
  const server = await startServer('intake-server.ts', db.url);
  const token = server.token;
  const client = new cases.CaseServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
  const request = (i: number, tag: string) =>
    cases.OpenCaseRequest.fromPartial({
      channel: cases.Channel.CHANNEL_PHONE,
      kind: cases.CaseKind.CASE_KIND_COMPLAINT,
      subject: `Baggage delayed on arrival ${i}`,
      description: '行李没有到达,请尽快处理。My bag did not arrive at PEK.',
      language: 'zh-CN',
      passengerId: 'pax_01JD0000000000000000000001',
      categoryCode: 'baggage.delayed',
      idempotencyKey: `${tag}-${i}`,
    });
  const summary: Record<string, unknown> = { date: new Date().toISOString(), machine: '2 cores shared', loadavgStart: loadavg().map(r2), concurrency: CONCURRENCY };
  try {
    // Warm-up (JIT, connection pools, prepared paths) of both paths — not measured.
    await runConcurrent(0, 300, CONCURRENCY, async (i) => void (await callUnary(client, 'openCase', request(i, 'warm'), { authorization: token })));
    const tmpl = (await sql.query<Record<string, unknown>>(`SELECT * FROM cases LIMIT 1`)).rows[0]!;

    // Baseline: a bare INSERT of the same row (same columns, same jsonb doc, same indexes), same concurrency.
    const cols = Object.keys(tmpl).filter((k) => k !== 'id' && k !== 'case_number' && k !== 'idempotency_key');
    const insertSql = `INSERT INTO cases (id, case_number, idempotency_key, ${cols.join(', ')}) VALUES ($1, $2, $3, ${cols.map((_, j) => `$${j + 4}`).join(', ')})`;
    const values = cols.map((c) => (c === 'doc' ? JSON.stringify(tmpl[c]) : tmpl[c]));
    const bare = async (i: number) => {
      await sql.query(insertSql, [`case_bare${String(i).padStart(21, '0')}`, `CS-1999-${String(i).padStart(6, '0')}`, `bare-${i}`, ...values]);
    };
    // Intake through gRPC: auth, validation, case number, aggregate + timeline + outbox in one statement; relay running.
    const intake = async (i: number) => void (await callUnary(client, 'openCase', request(i, 'run'), { authorization: token }));
    await runConcurrent(1_000_000, 300, CONCURRENCY, bare);

    const profileFile = process.argv.includes('--cpu-prof') ? path.join(tmpdir(), `csm-bench-cases-${Date.now()}.cpuprofile`) : undefined;
    if (profileFile) await server.ask('prof-start');
    summary.intake = await compareInRounds(server, intake, bare, 0);
    if (profileFile) {
      await server.ask('prof-stop', { file: profileFile });
      summary.serviceCpuProfile = profileFile;
    }
    console.log(JSON.stringify(summary.intake));

    if (!process.argv.includes('--no-floor')) {
      // The transport floor: the same rounds against a gRPC server that does nothing but answer with this service's
      // own OpenCase response (no kit, no database, no Kafka). No intake can beat it, whatever the service does.
      const floor = await startServer('floor-server.ts', db.url);
      const floorClient = new cases.CaseServiceClient(`127.0.0.1:${floor.port}`, credentials.createInsecure());
      try {
        const sample = await callUnary(client, 'openCase', request(0, 'floor-sample'), { authorization: token });
        await floor.ask('response', { base64: Buffer.from(cases.OpenCaseResponse.encode(sample).finish()).toString('base64') });
        const viaFloor = async (i: number) => void (await callUnary(floorClient, 'openCase', request(i, 'floor'), { authorization: token }));
        await runConcurrent(0, 300, CONCURRENCY, viaFloor);
        summary.floor = { ...(await compareInRounds(floor, viaFloor, bare, 2_000_000)), target: undefined, met: undefined };
        console.log(JSON.stringify(summary.floor));
        // The insert floor: the same server, now storing the bare INSERT's row before it answers — the least an intake
        // can do. Its ratio bounds what any service can reach here.
        await floor.ask('insert', { sql: insertSql, values });
        await runConcurrent(0, 300, CONCURRENCY, viaFloor);
        summary.insertFloor = { ...(await compareInRounds(floor, viaFloor, bare, 3_000_000)), target: undefined, met: undefined };
        console.log(JSON.stringify(summary.insertFloor));
        // The batched insert floor: those rows group-committed as the service does (one multi-row INSERT per batch).
        await floor.ask('insert', { sql: insertSql, values, batched: true });
        await runConcurrent(10_000, 300, CONCURRENCY, viaFloor);
        summary.batchedInsertFloor = { ...(await compareInRounds(floor, viaFloor, bare, 4_000_000)), target: undefined, met: undefined };
        console.log(JSON.stringify(summary.batchedInsertFloor));
      } finally {
        floorClient.close();
        await stopServer(floor);
      }
    }

    // Bulk-load cases (server-side generate_series from the template row), spread over 200 teams, 70 % open.
    const loadStart = performance.now();
    const have = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM cases`)).rows[0]?.n);
    const batch = 100_000;
    for (let from = have; from < TOTAL_CASES; from += batch) {
      const to = Math.min(TOTAL_CASES, from + batch);
      await sql.query(
        `INSERT INTO cases (id, case_number, idempotency_key, doc, version, state, is_open, kind, channel, severity, category_code, passenger_id, owner_agent_id, team_id,
                            flight_key, open_time, sla_urgency, next_sla_check, sla_breached, search_tokens)
         SELECT 'case_bulk' || lpad(g::text, 21, '0'), 'CS-2000-' || lpad(g::text, 7, '0'), NULL, t.doc, 1,
                CASE WHEN g % 10 < 7 THEN 3 ELSE 7 END, g % 10 < 7, t.kind, t.channel, 1 + g % 4, t.category_code, t.passenger_id, 'agent-' || (g % 2000), 'team-' || (g % 200),
                '', t.open_time - (g || ' seconds')::interval, now() + (((g::bigint * 7919) % 172800) || ' seconds')::interval, NULL, false, t.search_tokens
           FROM generate_series($1::int, $2::int - 1) g, (SELECT * FROM cases LIMIT 1) t`,
        [from, to],
      );
      process.stderr.write(`loaded ${to}/${TOTAL_CASES}\r`);
    }
    await sql.query('ANALYZE cases');
    const stored = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM cases`)).rows[0]?.n);
    summary.loadSeconds = r2((performance.now() - loadStart) / 1000);

    // Team queue: open cases of one team, most urgent SLA first, 50 per page, through gRPC (first pages and deeper pages).
    const lat: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const team = `team-${q % 200}`;
      const t = performance.now();
      const first = await callUnary(client, 'listCases', cases.ListCasesRequest.fromPartial({ teamId: team, orderBy: 'due_time', states: [cases.CaseState.CASE_STATE_INVESTIGATING], page: { pageSize: 50 } }), { authorization: token });
      lat.push(performance.now() - t);
      if (q % 5 === 0 && first.page?.nextPageToken) {
        const t2 = performance.now();
        await callUnary(client, 'listCases', cases.ListCasesRequest.fromPartial({ teamId: team, orderBy: 'due_time', states: [cases.CaseState.CASE_STATE_INVESTIGATING], page: { pageSize: 50, pageToken: first.page.nextPageToken } }), { authorization: token });
        lat.push(performance.now() - t2);
      }
    }
    const plan = await sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT doc, id FROM cases WHERE state = ANY('{3}'::smallint[]) AND is_open AND team_id = 'team-7' ORDER BY sla_urgency, id LIMIT 51`,
    );
    summary.teamQueue = { casesStored: stored, queries: lat.length, medianMs: r2(pct(lat, 50)), p99Ms: r2(pct(lat, 99)), plan: plan.rows.map((r) => r['QUERY PLAN'].trim())[0] };
    console.log(JSON.stringify(summary.teamQueue));
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    client.close();
    await stopServer(server);
    await sql.close();
    if (!process.argv.includes('--keep')) await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
