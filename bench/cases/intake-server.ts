// The cases service for bench/cases/intake.ts, in its own process as in production (the gateway calls it over the
// network): cluster mode on the bench's database, outbox relay publishing to the real Kafka, no SLA scheduler and no
// flight consumer (other paths). Started by intake.ts with fork(); on IPC it reports its own CPU use and event-loop
// delay, so the bench can say what one intake costs the service, apart from the client.
import { loadConfig } from '@csm/platform/config';
import { createLogger } from '@csm/platform/logging';
import { createDevIssuer } from '@csm/platform/security';
import { testInfra } from '@csm/platform/testing';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { configSchema } from '../../services/cases/src/config';
import * as service from '../../services/cases/src/service';

type Request = { op: 'stats-reset' } | { op: 'stats' } | { op: 'prof-start' } | { op: 'prof-stop'; file: string } | { op: 'stop' };

async function main(): Promise<void> {
  const dbUrl = process.env.BENCH_CASES_PG_URL;
  if (!dbUrl) throw new Error('BENCH_CASES_PG_URL is required');
  const logger = createLogger({ service: 'bench-cases', level: 'warn' });
  const issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const token = await issuer.issue({ sub: 'bench-agent', roles: ['agent_l1'] });
  const config = loadConfig(configSchema, {
    CSM_MODE: 'cluster',
    CSM_PG_URL: dbUrl,
    CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CSM_GRPC_HOST: '127.0.0.1',
    CSM_GRPC_PORT: '0',
    CSM_METRICS_PORT: '0',
    CSM_LOG_LEVEL: 'warn',
    CSM_CASES_FLIGHT_CONSUMER_GROUP: `cases.bench.${Date.now()}`,
    // For A/B runs of the intake group commit (1 = one statement per case).
    ...(process.env.CSM_CASES_INTAKE_BATCH_MAX ? { CSM_CASES_INTAKE_BATCH_MAX: process.env.CSM_CASES_INTAKE_BATCH_MAX } : {}),
  });
  const running = await service.start({ config, logger, verifyToken: (t) => verifier.verify(t), slaScheduler: false, flightConsumer: false });

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let cpu = process.cpuUsage();
  const session = new Session();
  session.connect();
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (m: Request) => {
    if (m.op === 'stats-reset') {
      loop.reset();
      cpu = process.cpuUsage();
      send({ op: 'stats-reset' });
    } else if (m.op === 'stats') {
      const used = process.cpuUsage(cpu);
      send({ op: 'stats', cpuMs: (used.user + used.system) / 1000, sysMs: used.system / 1000, loopP50Ms: loop.percentile(50) / 1e6, loopP99Ms: loop.percentile(99) / 1e6 });
    } else if (m.op === 'prof-start') {
      // CPU profile of the measured window only (not start-up or TypeScript transpiling).
      void (async () => {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        send({ op: 'prof-start' });
      })();
    } else if (m.op === 'prof-stop') {
      void (async () => {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(m.file, JSON.stringify(profile));
        send({ op: 'prof-stop' });
      })();
    } else {
      void running.stop().then(() => process.exit(0));
    }
  });
  send({ op: 'ready', port: running.port, token });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
