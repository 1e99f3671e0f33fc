import { loyalty } from '@csm/contracts';
import { createOutboxRelay } from '@csm/platform/events';
import type { VerifyToken } from '@csm/platform/grpc';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { migrateServiceDb, openServiceDb, openServiceEventBus, serviceTokenVerifier, startService } from '@csm/platform/service';
import { createCreditWriter } from './app/credit-writer';
import type { AppDeps, DistanceLookup } from './app/deps';
import { rulesFromConfig } from './app/rules-from-config';
import { startScheduler } from './app/scheduler';
import type { Config } from './config';
import { PRODUCED_TOPICS } from './events/outbox-events';
import { loyaltyHandlers } from './grpc/loyalty-handlers';
import { partnerHandlers } from './grpc/partner-handlers';
import { airportDistanceKm } from './store/airports';
import { migrations } from './store/migrations';

export const SERVICE_NAME = 'loyalty';

export interface LoyaltyOptions {
  /** Verifies bearer tokens; default: the launcher's (embedded) or the OIDC provider's from CSM_AUTH_* (kit). */
  readonly verifyToken?: VerifyToken;
  /** Tests move time. */
  readonly now?: () => Date;
  readonly distanceKm?: DistanceLookup;
  /** Receives the use-case dependencies once open (tests drive jobs and inspect the ledger through it). */
  readonly onReady?: (deps: AppDeps & { runJobs: () => Promise<void> }) => void;
}

export function start(context: ServiceContext<Config>): Promise<RunningService> {
  return startLoyalty(context, {});
}

/** `main.js --migrate-only` (Helm pre-upgrade Job): apply the migrations and close. */
export function migrate({ config, logger }: ServiceContext<Config>): Promise<void> {
  return migrateServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
}

export function startLoyalty({ config, logger, bus: injected, verifyToken: injectedVerifier }: ServiceContext<Config>, options: LoyaltyOptions): Promise<RunningService> {
  const verifyToken = options.verifyToken ?? serviceTokenVerifier({ config, logger, injected: injectedVerifier });
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    ...(verifyToken ? { verifyToken } : {}),
    open: async () => {
      const db = await openServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
      const bus = await openServiceEventBus({ name: SERVICE_NAME, config, logger, injected });
      try {
        await bus.ensureTopics(PRODUCED_TOPICS);
      } catch (err) {
        await bus.close();
        await db.close();
        throw err;
      }
      const relay = createOutboxRelay({ db, publisher: bus, logger: logger.child({ component: 'outbox-relay' }) });
      relay.start();
      const credits = createCreditWriter(db, logger.child({ component: 'credit-writer' }), {
        windowMs: config.CSM_LOYALTY_CREDIT_BATCH_WINDOW_MS,
        maxItems: config.CSM_LOYALTY_CREDIT_BATCH_MAX,
        maxInFlight: config.CSM_LOYALTY_CREDIT_BATCH_IN_FLIGHT,
      });
      const deps: AppDeps = {
        db,
        rules: rulesFromConfig(config),
        now: options.now ?? (() => new Date()),
        distanceKm: options.distanceKm ?? airportDistanceKm,
        logger,
        notifyOutbox: () => relay.notify(),
        writeCredit: (c) => credits.write(c),
      };
      const scheduler = startScheduler(deps, config.CSM_LOYALTY_JOB_INTERVAL_MS);
      options.onReady?.({ ...deps, runJobs: () => scheduler.runNow() });
      // Closed in reverse: scheduler, credit writer (writes what is queued), relay (drains), bus, db.
      return {
        deps,
        closables: [db, bus, { close: () => relay.stop() }, credits, scheduler],
      };
    },
    register: ({ deps }) => [
      { definition: loyalty.LoyaltyServiceService, implementation: loyaltyHandlers(deps, { maxCompensationMiles: config.CSM_LOYALTY_MAX_COMPENSATION_MILES, maxManualAdjustMiles: config.CSM_LOYALTY_MAX_ADJUST_MILES }) },
      { definition: loyalty.PartnerServiceService, implementation: partnerHandlers(deps) },
    ],
  });
}
