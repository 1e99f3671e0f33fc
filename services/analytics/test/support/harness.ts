import { analytics } from '@csm/contracts';
import { createInProcessEventBus, type EventBus, type PublishRecord } from '@csm/platform/events';
import { callUnary, createGrpcClient } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import type { RunningService } from '@csm/platform/runtime';
import { createDevIssuer, type Role } from '@csm/platform/security';
import { createPgliteDb, type SqlDb } from '@csm/platform/stores';
import { loadConfig, type Env } from '@csm/platform/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnalyticsApp } from '../../src/app/analytics-app';
import { configSchema } from '../../src/config';
import { startAnalytics } from '../../src/service';

export interface Harness {
  readonly client: analytics.AnalyticsServiceClient;
  readonly app: AnalyticsApp;
  readonly bus: EventBus;
  readonly token: (roles?: Role[]) => Promise<string>;
  call<Req, Res>(method: string, req: Req, roles?: Role[]): Promise<Res>;
  publish(records: readonly PublishRecord[]): Promise<void>;
  /** Waits until the current generation's consumers applied `count` distinct events and saw `deliveries` in all (duplicates included). */
  waitApplied(count: number, deliveries?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Embedded analytics (PGlite) fed by an in-process bus, called over real gRPC with dev-issuer tokens. */
export async function startHarness(env: Env = {}, bus?: EventBus): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'csm-analytics-'));
  let busDb: SqlDb | undefined;
  let theBus = bus;
  const cluster = env.CSM_MODE === 'cluster';
  if (!theBus && !cluster) {
    busDb = await createPgliteDb();
    theBus = await createInProcessEventBus({ db: busDb, retry: { maxAttempts: 3, initialBackoffMs: 20 } });
  }
  const issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const config = loadConfig(configSchema, {
    CSM_MODE: 'embedded', CSM_GRPC_PORT: '0', CSM_GRPC_HOST: '127.0.0.1', CSM_METRICS_PORT: '0', CSM_DATA_DIR: dir,
    CSM_SHUTDOWN_GRACE_MS: '1000', CSM_ANALYTICS_ALERT_INTERVAL_MS: '0', CSM_ANALYTICS_SEGMENT_INTERVAL_MS: '0',
    CSM_ANALYTICS_GENERATION_POLL_MS: '200', ...env,
  });
  let app: AnalyticsApp | undefined;
  const running: RunningService = await startAnalytics(
    cluster ? { config, logger: createLogger({ service: 'analytics-test', level: (process.env.ANALYTICS_TEST_LOG ?? 'silent') as 'silent' }) } : { config, logger: createLogger({ service: 'analytics-test', level: (process.env.ANALYTICS_TEST_LOG ?? 'silent') as 'silent' }), ...(theBus ? { bus: theBus } : {}) },
    { verifyToken: (t) => verifier.verify(t), now: () => new Date(process.env.ANALYTICS_TEST_NOW ?? Date.now()), onReady: (a) => (app = a) },
  );
  if (!theBus) throw new Error('cluster mode needs a bus to publish the test events with');
  const publisher: EventBus = theBus;
  const client = createGrpcClient(analytics.AnalyticsServiceClient, `127.0.0.1:${running.port}`, { deadlineMs: 30_000 });
  const token = (roles: Role[] = ['analyst', 'admin']) => issuer.issue({ sub: 'usr_test', roles });
  const h: Harness = {
    client,
    app: app as unknown as AnalyticsApp,
    bus: publisher,
    token,
    call: async <Req, Res>(method: string, req: Req, roles?: Role[]) =>
      callUnary(client, method as never, req as never, { authorization: `Bearer ${await token(roles)}` }) as Promise<Res>,
    publish: (records) => publisher.publish(records),
    waitApplied: async (count, deliveries = count, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await h.app.projectionStatus();
        const applied = s.consumers.filter((c) => c.consumer.endsWith(`.g${s.generation}`)).reduce((n, c) => n + c.eventsApplied, 0);
        const seen = h.app.deliveries();
        if (applied >= count && seen >= deliveries) return;
        if (Date.now() > deadline) throw new Error(`only ${applied} of ${count} events applied, ${seen} of ${deliveries} delivered`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: async () => {
      client.close();
      await running.stop();
      if (busDb) {
        await publisher.close();
        await busDb.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
