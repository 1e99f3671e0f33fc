// Cases benchmark: intake through gRPC (real PostgreSQL + transactional outbox + relay to Kafka) against a bare INSERT
// of the same row measured in the same run, and the team-queue query p99 with N cases stored (default 1,000,000).
//   node --require ./scripts/dev/ts-register.cjs bench/cases/intake.ts [--cases 1000000] [--intake 3000] [--concurrency 16]
// Needs the real infrastructure (npm run infra:up). Prints a JSON summary and a markdown section for docs/benchmarks.md.
import { credentials } from '@grpc/grpc-js';
import { cases } from '@csm/contracts';
import { loadConfig } from '@csm/platform/config';
import { callUnary } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import { createDevIssuer } from '@csm/platform/security';
import { createPgDb } from '@csm/platform/stores';
import { createTestDatabase, testInfra } from '@csm/platform/testing';
import { performance } from 'node:perf_hooks';
import { configSchema } from '../../services/cases/src/config';
import * as service from '../../services/cases/src/service';
import { CasesApp } from '../../services/cases/src/app/cases-app';
import { settingsFromConfig } from '../../services/cases/src/app/settings';
import { systemClock } from '../../services/cases/src/domain/clock';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const TOTAL_CASES = arg('cases', 1_000_000);
const INTAKE = arg('intake', 3000);
const CONCURRENCY = arg('concurrency', 16);
const QUERIES = arg('queries', 500);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

async function runConcurrent(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies };
}

async function main() {
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const db = await createTestDatabase('cases_bench');
  const sql = createPgDb({ url: db.url, max: 10 });
  const issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const token = await issuer.issue({ sub: 'bench-agent', roles: ['agent_l1'] });
  const config = loadConfig(configSchema, {
    CSM_MODE: 'cluster',
    CSM_PG_URL: db.url,
    CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CSM_GRPC_HOST: '127.0.0.1',
    CSM_GRPC_PORT: '0',
    CSM_METRICS_PORT: '0',
    CSM_LOG_LEVEL: 'warn',
    CSM_CASES_FLIGHT_CONSUMER_GROUP: `cases.bench.${Date.now()}`,
  });
  const running = await service.start({ config, logger, verifyToken: (t) => verifier.verify(t), slaScheduler: false, flightConsumer: false });
  const client = new cases.CaseServiceClient(`127.0.0.1:${running.port}`, credentials.createInsecure());
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
  const summary: Record<string, unknown> = { date: new Date().toISOString(), machine: '2 cores shared', concurrency: CONCURRENCY };
  try {
    // Warm-up (JIT, connection pools, prepared paths) — not measured.
    await runConcurrent(200, CONCURRENCY, async (i) => void (await callUnary(client, 'openCase', request(i, 'warm'), { authorization: token })));
    const tmpl = (await sql.query<Record<string, unknown>>(`SELECT * FROM cases LIMIT 1`)).rows[0]!;

    // Baseline: a bare INSERT of the same row (same columns, same jsonb doc, same indexes), same concurrency.
    const cols = Object.keys(tmpl).filter((k) => k !== 'id' && k !== 'case_number' && k !== 'idempotency_key');
    const insertSql = `INSERT INTO cases (id, case_number, idempotency_key, ${cols.join(', ')}) VALUES ($1, $2, $3, ${cols.map((_, j) => `$${j + 4}`).join(', ')})`;
    const values = cols.map((c) => (c === 'doc' ? JSON.stringify(tmpl[c]) : tmpl[c]));
    const baseline = await runConcurrent(INTAKE, CONCURRENCY, async (i) => {
      await sql.query(insertSql, [`case_bare${String(i).padStart(21, '0')}`, `CS-1999-${String(i).padStart(6, '0')}`, `bare-${i}`, ...values]);
    });
    // Intake through gRPC: auth, validation, case number, aggregate + timeline + outbox in one transaction; relay running.
    const intake = await runConcurrent(INTAKE, CONCURRENCY, async (i) => void (await callUnary(client, 'openCase', request(i, 'run'), { authorization: token })));
    // Diagnostic: the same intake through the use case directly (no gRPC hop, no token check) on its own pool.
    const appDb = createPgDb({ url: db.url, max: 10 });
    const app = new CasesApp({ db: appDb, clock: systemClock, rules: settingsFromConfig(config).rules, milesLimits: {}, moneyLimits: {}, caseNumberBlock: config.CSM_CASES_NUMBER_BLOCK });
    const principal = await verifier.verify(token);
    const direct = await runConcurrent(INTAKE, CONCURRENCY, async (i) => void (await app.openCase(request(i, 'app'), principal)));
    await appDb.close();
    const bTput = INTAKE / baseline.seconds;
    const iTput = INTAKE / intake.seconds;
    const aTput = INTAKE / direct.seconds;
    summary.intake = {
      n: INTAKE,
      grpcIntake: { perSecond: r2(iTput), medianMs: r2(pct(intake.latencies, 50)), p99Ms: r2(pct(intake.latencies, 99)) },
      bareInsert: { perSecond: r2(bTput), medianMs: r2(pct(baseline.latencies, 50)), p99Ms: r2(pct(baseline.latencies, 99)) },
      useCaseWithoutGrpc: { perSecond: r2(aTput), medianMs: r2(pct(direct.latencies, 50)), p99Ms: r2(pct(direct.latencies, 99)), ratio: r2(aTput / bTput) },
      ratio: r2(iTput / bTput),
      target: '>= 0.5',
      met: iTput / bTput >= 0.5,
    };
    console.log(JSON.stringify(summary.intake));

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
    await running.stop();
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
