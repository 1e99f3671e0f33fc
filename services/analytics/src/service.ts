import { analytics, TOPICS } from '@csm/contracts';
import { createOutboxRelay, type EventBus } from '@csm/platform/events';
import type { VerifyToken } from '@csm/platform/grpc';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { migrateServiceDb, openServiceDb, openServiceEventBus, serviceTokenVerifier, startService } from '@csm/platform/service';
import { AnalyticsApp } from './app/analytics-app';
import { startJobs } from './app/jobs';
import type { Config } from './config';
import { PROJECTED_DOMAINS, topicOf, type ProjectedDomain } from './events/project';
import { createProjectionRunner } from './events/projection-runner';
import { analyticsHandlers } from './grpc/handlers';
import { migrations } from './store/migrations';

export const SERVICE_NAME = 'analytics';

export interface AnalyticsOptions {
  /** Verifies bearer tokens; default: the shared CSM_AUTH_* / injected dev-issuer verifier (`serviceTokenVerifier`). */
  readonly verifyToken?: VerifyToken;
  /** Tests move time. */
  readonly now?: () => Date;
  /** Receives the app once open (tests drive rules and rebuilds through it). */
  readonly onReady?: (app: AnalyticsApp) => void;
  /** Observes every projected delivery's event → projection lag (benchmarks). */
  readonly onProjected?: (domain: ProjectedDomain, lagMs: number) => void;
}

export function start(context: ServiceContext<Config>): Promise<RunningService> {
  return startAnalytics(context, {});
}

/** `--migrate-only` (Helm pre-install/pre-upgrade Job): apply the migrations and close. */
export function migrate({ config, logger }: ServiceContext<Config>): Promise<void> {
  return migrateServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
}

/**
 * Opens the warehouse (migrations), the bus (topics ensured), the outbox relay for alert events and the projection
 * consumers of every domain topic, then serves gRPC. Stop: server drains, then jobs, consumers, relay, bus, db.
 */
export function startAnalytics(
  { config, logger, bus: injected, verifyToken: injectedVerifier }: ServiceContext<Config>,
  options: AnalyticsOptions,
): Promise<RunningService> {
  const verifyToken = options.verifyToken ?? serviceTokenVerifier({ config, logger, injected: injectedVerifier });
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    ...(verifyToken ? { verifyToken } : {}),
    open: async () => {
      const db = await openServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
      let bus: EventBus | undefined;
      try {
        bus = await openServiceEventBus({ name: SERVICE_NAME, config, logger, injected });
        await bus.ensureTopics([...PROJECTED_DOMAINS.map(topicOf), TOPICS.analytics]);
      } catch (err) {
        await bus?.close();
        await db.close();
        throw err;
      }
      const relay = createOutboxRelay({ db, publisher: bus, logger: logger.child({ component: 'outbox-relay' }) });
      relay.start();
      const runner = createProjectionRunner({
        db,
        bus,
        logger: logger.child({ component: 'projections' }),
        timeZone: config.CSM_ANALYTICS_TIME_ZONE,
        generationPollMs: config.CSM_ANALYTICS_GENERATION_POLL_MS,
        maxBatchSize: config.CSM_ANALYTICS_PROJECTION_BATCH_MAX,
        ...(options.onProjected ? { onApplied: options.onProjected } : {}),
      });
      const app = new AnalyticsApp(db, config, runner, logger, options.now);
      const closables = [db, bus, { close: () => relay.stop() }];
      try {
        await runner.start();
      } catch (err) {
        for (const c of closables.reverse()) await c.close();
        throw err;
      }
      const jobs = startJobs(app, db, config, logger, () => relay.notify());
      options.onReady?.(app);
      // Closed in reverse: jobs, consumers, relay (drains), bus, db.
      return { app, closables: [...closables, { close: () => runner.stop() }, jobs] };
    },
    register: ({ app }) => [{ definition: analytics.AnalyticsServiceService, implementation: analyticsHandlers(app) }],
  });
}
