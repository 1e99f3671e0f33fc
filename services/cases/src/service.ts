import { cases, TOPICS } from '@csm/contracts';
import { createOutboxRelay, type Subscription } from '@csm/platform/events';
import type { VerifyToken } from '@csm/platform/grpc';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { createClientCredentialsTokenSource, keyRingFromEnv, type KeyRing } from '@csm/platform/security';
import { migrateServiceDb, openServiceDb, openServiceEventBus, serviceTokenVerifier, startService } from '@csm/platform/service';
import { hostname } from 'node:os';
import { ulid } from '@csm/platform/ids';
import { CasesApp } from './app/cases-app';
import { KnowledgeApp } from './app/knowledge-app';
import type { LoyaltyPort, ManifestPort } from './app/ports';
import { ProactiveCare } from './app/proactive-care';
import { settingsFromConfig } from './app/settings';
import { createSlaScheduler } from './app/sla-scheduler';
import { grpcLoyalty, grpcManifest } from './app/upstream';
import type { Config } from './config';
import { systemClock, type Clock } from './domain/clock';
import { flightDisruptionHandler, subscribeFlightEvents } from './events/flight-consumer';
import { caseServiceHandlers } from './grpc/handlers';
import { migrations } from './store/migrations';

export const SERVICE_NAME = 'cases';

/** What tests (and the embedded launcher) may inject besides the standard context. */
export interface CasesOverrides {
  readonly verifyToken?: VerifyToken;
  readonly clock?: Clock;
  readonly loyalty?: LoyaltyPort;
  readonly manifest?: ManifestPort;
  readonly keyRing?: KeyRing;
  /** Run the SLA scheduler loop (default true). Tests drive `runOnce` with a controllable clock instead. */
  readonly slaScheduler?: boolean;
  /** Consume csm.flight.v1 for proactive care (default true); benchmarks of other paths turn it off. */
  readonly flightConsumer?: boolean;
}

/** The service's own identity for calls on its own behalf: client credentials from the provider, a static token, or none. */
function serviceTokenOf(config: Config): (() => Promise<string>) | undefined {
  const { CSM_CASES_OAUTH_TOKEN_URL: tokenUrl, CSM_CASES_OAUTH_CLIENT_ID: clientId, CSM_CASES_OAUTH_CLIENT_SECRET: clientSecret } = config;
  if (tokenUrl !== undefined && clientId !== undefined && clientSecret !== undefined) {
    const source = createClientCredentialsTokenSource({ tokenUrl, clientId, clientSecret, scope: config.CSM_CASES_OAUTH_SCOPE, audience: config.CSM_CASES_OAUTH_AUDIENCE });
    return () => source.token();
  }
  const fixed = config.CSM_CASES_SERVICE_TOKEN;
  return fixed === undefined ? undefined : () => Promise.resolve(fixed);
}

function defaultAddress(config: Config, embeddedPortVar: string, embeddedPort: number, clusterHost: string): string {
  if (config.CSM_MODE === 'embedded') return `127.0.0.1:${process.env[embeddedPortVar] ?? embeddedPort}`;
  return `${clusterHost}:50051`;
}

/** Cases: intake, classification, SLAs (scheduler), routing, workflow, compensation, knowledge, proactive care. */
export function start(ctx: ServiceContext<Config> & CasesOverrides): Promise<RunningService> {
  const { config, logger } = ctx;
  const settings = settingsFromConfig(config);
  const clock = ctx.clock ?? systemClock;
  const upstream = { deadlineMs: config.CSM_CASES_UPSTREAM_DEADLINE_MS, serviceToken: serviceTokenOf(config) };
  // The launcher's dev issuer (embedded) or the OIDC provider's JWKS (CSM_AUTH_*); anonymous callers are refused by
  // every use case. The kit caches a verified token for a minute (hot paths see the same bearer token per request).
  const verifyToken = serviceTokenVerifier({ config, logger, injected: ctx.verifyToken });
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    ...(verifyToken ? { verifyToken } : {}),
    open: async () => {
      const db = await openServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
      const closables: { close(): Promise<void> }[] = [db];
      try {
        const bus = await openServiceEventBus({ name: SERVICE_NAME, config, logger, injected: ctx.bus, embeddedDb: db });
        closables.push(bus);
        await bus.ensureTopics([TOPICS.cases, TOPICS.flight]);
        const relay = createOutboxRelay({ db, publisher: bus, logger: logger.child({ component: 'outbox-relay' }) });
        relay.start();
        closables.push({ close: () => relay.stop() });
        // Publish soon after a commit, but coalesce a burst of commits into one relay cycle (bigger batches, fewer
        // round trips to Kafka and PostgreSQL than a cycle per commit).
        let pending: NodeJS.Timeout | undefined;
        const notify = () => {
          pending ??= setTimeout(() => {
            pending = undefined;
            relay.notify();
          }, 20);
        };
        closables.push({ close: async () => (pending === undefined ? undefined : clearTimeout(pending)) });

        let loyalty = ctx.loyalty;
        if (!loyalty) {
          const client = grpcLoyalty(config.CSM_LOYALTY_ADDR ?? defaultAddress(config, 'CSM_LOYALTY_GRPC_PORT', 50053, 'loyalty'), upstream);
          closables.push({ close: () => Promise.resolve(client.close()) });
          loyalty = client;
        }
        let manifest = ctx.manifest;
        if (!manifest) {
          const client = grpcManifest(config.CSM_FLIGHT_INFO_ADDR ?? defaultAddress(config, 'CSM_FLIGHT_INFO_GRPC_PORT', 50054, 'flight-info'), upstream);
          closables.push({ close: () => Promise.resolve(client.close()) });
          manifest = client;
        }
        const keyRing = ctx.keyRing ?? (process.env.CSM_PII_KEYS ? keyRingFromEnv(process.env) : undefined);
        const app = new CasesApp({ db, clock, rules: settings.rules, keyRing, loyalty, milesLimits: settings.milesLimits, moneyLimits: settings.moneyLimits, caseNumberBlock: config.CSM_CASES_NUMBER_BLOCK, intakeBatchMax: config.CSM_CASES_INTAKE_BATCH_MAX, intakeBatchWindowMs: config.CSM_CASES_INTAKE_BATCH_WINDOW_MS, onCommitted: notify });
        closables.push({ close: () => app.close() });
        const kb = new KnowledgeApp(db, clock);

        const scheduler = createSlaScheduler({
          db,
          clock,
          rules: settings.rules,
          replica: `${hostname()}:${process.pid}:${ulid().slice(-6)}`,
          batchSize: config.CSM_CASES_SLA_SCAN_BATCH,
          intervalMs: config.CSM_CASES_SLA_SCAN_INTERVAL_MS,
          logger: logger.child({ component: 'sla-scheduler' }),
          onCommitted: notify,
        });
        if (ctx.slaScheduler !== false) scheduler.start();
        closables.push({ close: () => scheduler.stop() });

        const care = new ProactiveCare(db, clock, settings.rules, settings.regulations);
        const group = config.CSM_CASES_FLIGHT_CONSUMER_GROUP;
        if (ctx.flightConsumer === false) return { db, app, kb, scheduler, clock, closables };
        const subscription: Subscription = await subscribeFlightEvents(
          bus,
          flightDisruptionHandler({ db, care, manifest, group, minDelayMinutes: config.CSM_CASES_DISRUPTION_MIN_DELAY_MINUTES, logger: logger.child({ component: 'proactive-care' }), onCommitted: notify }),
          group,
        );
        closables.push({ close: () => subscription.stop() });
        return { db, app, kb, scheduler, clock, closables };
      } catch (err) {
        for (const c of closables.reverse()) await c.close().catch(() => undefined);
        throw err;
      }
    },
    register: ({ app, kb, clock: c }) => [{ definition: cases.CaseServiceService, implementation: caseServiceHandlers(app, kb, c) }],
  });
}

/** `--migrate-only` (Helm pre-install/pre-upgrade Job): apply the migrations and close. */
export function migrate({ config, logger }: ServiceContext<Config>): Promise<void> {
  return migrateServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
}
