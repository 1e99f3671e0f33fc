import { TOPICS } from '@csm/contracts';
import { createOutboxRelay } from '@csm/platform/events';
import type { VerifyToken } from '@csm/platform/grpc';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { migrateServiceDb, openServiceDb, openServiceEventBus, serviceTokenVerifier, startService } from '@csm/platform/service';
import { CargoApp } from './app/cargo-app';
import { FlightApp } from './app/flight-app';
import { ManifestApp } from './app/manifest-app';
import type { Config } from './config';
import { airportDirectory } from './domain/airports';
import { startRcfScanner } from './events/rcf-scanner';
import { cargoService } from './grpc/cargo-handlers';
import { flightInfoService } from './grpc/flight-handlers';
import { migrations } from './store/migrations';

export const SERVICE_NAME = 'flight-info';

export interface StartOptions {
  /** Verifies callers' bearer tokens; without it every call is ANONYMOUS (public reads only). */
  readonly verifyToken?: VerifyToken;
}

/**
 * Flight and cargo information: database (migrations applied) → event bus (topics ensured) → outbox relay →
 * missing-RCF scanner → gRPC. Stop drains gRPC first, then closes those in reverse order.
 */
export function start(
  { config, logger, bus: injected, verifyToken: injectedVerifier }: ServiceContext<Config>,
  options: StartOptions = {},
): Promise<RunningService> {
  const verifyToken = options.verifyToken ?? serviceTokenVerifier({ config, logger, injected: injectedVerifier });
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    ...(verifyToken ? { verifyToken } : {}),
    open: async () => {
      const db = await openServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
      const closables: { close(): Promise<void> }[] = [db];
      try {
        const bus = await openServiceEventBus({ name: SERVICE_NAME, config, logger, injected });
        closables.push(bus);
        await bus.ensureTopics([TOPICS.flight, TOPICS.cargo]);
        const relay = createOutboxRelay({ db, publisher: bus, logger: logger.child({ component: 'outbox-relay' }) });
        relay.start();
        closables.push({ close: () => relay.stop() });
        const airports = airportDirectory();
        const onEventsWritten = () => relay.notify();
        const flights = new FlightApp({ db, airports, delayThresholds: config.CSM_FLIGHT_DELAY_THRESHOLDS_MIN, onEventsWritten });
        const manifests = new ManifestApp(db);
        const cargo = new CargoApp({
          db,
          airports,
          rateTable: config.CSM_CARGO_RATE_TABLE,
          volumeDivisor: config.CSM_CARGO_VOLUME_DIVISOR,
          awbPrefix: config.CSM_CARGO_AWB_PREFIX,
          rcfTimeoutMinutes: config.CSM_CARGO_RCF_TIMEOUT_MIN,
          quoteValidityHours: config.CSM_CARGO_QUOTE_VALIDITY_HOURS,
          onEventsWritten,
        });
        closables.push(startRcfScanner(cargo, config.CSM_CARGO_RCF_SCAN_INTERVAL_MS, logger.child({ component: 'rcf-scanner' })));
        return { db, flights, manifests, cargo, closables };
      } catch (err) {
        for (const c of closables.reverse()) await c.close();
        throw err;
      }
    },
    register: ({ flights, manifests, cargo }) => [flightInfoService(flights, manifests), cargoService(cargo)],
  });
}

/** `--migrate-only` (Helm pre-install/pre-upgrade Job): apply the migrations and close. */
export function migrate({ config, logger }: ServiceContext<Config>): Promise<void> {
  return migrateServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
}
