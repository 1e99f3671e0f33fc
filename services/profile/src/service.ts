import type { EventBus } from '@csm/platform/events';
import type { VerifyToken } from '@csm/platform/grpc';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import type { KeyRing } from '@csm/platform/security';
import { migrateServiceDb, openServiceDb, openServiceEventBus, serviceTokenVerifier, startService, type Closable } from '@csm/platform/service';
import { connectMongo, type MongoStore } from '@csm/platform/stores/mongo';
import type { SqlDb } from '@csm/platform/stores';
import { profile } from '@csm/contracts';
import { ProfileApp } from './app/profile-app';
import type { Config } from './config';
import { CONSUMED_TOPICS, subscribeProfileConsumers } from './events/consumers';
import { createDocumentOutboxRelay } from './events/document-outbox-relay';
import { PROFILE_TOPIC } from './events/event-builders';
import { profileHandlers } from './grpc/profile-handlers';
import { settingsFrom } from './settings';
import { embeddedMigrations, createEmbeddedProfileStore } from './store/embedded-profile-store';
import { profileKeyRing } from './store/key-ring';
import { createMongoProfileStore } from './store/mongo-profile-store';
import type { ProfileStore } from './store/profile-store';

export const SERVICE_NAME = 'profile';

/** The underlying database handle (tests scan it raw; benchmarks load it). */
export type RawHandle = { kind: 'mongo'; mongo: MongoStore } | { kind: 'embedded'; db: SqlDb };

export interface ProfileOverrides {
  /** Tests: a verifier from `createDevIssuer()`. Otherwise the shared CSM_AUTH_* / injected verifier. */
  readonly verifyToken?: VerifyToken;
  readonly keyRing?: KeyRing;
  /** Called with the app once started (tests and benchmarks drive the relay/store directly). */
  readonly onStarted?: (parts: { app: ProfileApp; store: ProfileStore; relay: { drain(): Promise<number> }; bus: EventBus; raw: RawHandle }) => void;
}

/**
 * Cluster: MongoDB (mongoose) + Kafka. Embedded: the PGlite/JSONB profile store + the launcher's in-process bus (or
 * its own on the same PGlite database when started alone). Either way: outbox-in-document relay, idempotent consumers.
 */
export function start(ctx: ServiceContext<Config>, overrides: ProfileOverrides = {}): Promise<RunningService> {
  const { config, logger } = ctx;
  const verifyToken = overrides.verifyToken ?? serviceTokenVerifier({ config, logger, injected: ctx.verifyToken });
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    ...(verifyToken ? { verifyToken } : {}),
    open: async () => {
      const closables: Closable[] = [];
      try {
        const ring = overrides.keyRing ?? profileKeyRing(config);
        let store: ProfileStore;
        let bus: EventBus;
        let raw: RawHandle;
        if (config.CSM_MONGO_URL !== undefined) {
          const mongo = await connectMongo({ url: config.CSM_MONGO_URL, appName: 'csm-profile', logger });
          closables.push(mongo);
          await mongo.ping();
          store = await createMongoProfileStore(mongo);
          raw = { kind: 'mongo', mongo };
          bus = await openServiceEventBus({ name: SERVICE_NAME, config, logger, injected: ctx.bus });
        } else {
          const db = await openServiceDb({ service: SERVICE_NAME, dataDir: config.CSM_DATA_DIR, migrations: embeddedMigrations, logger });
          closables.push(db);
          store = createEmbeddedProfileStore(db);
          raw = { kind: 'embedded', db };
          bus = await openServiceEventBus({ name: SERVICE_NAME, config, logger, injected: ctx.bus, embeddedDb: db });
        }
        closables.push(bus);
        await bus.ensureTopics([PROFILE_TOPIC, ...CONSUMED_TOPICS]);
        const relay = createDocumentOutboxRelay({ store, publisher: bus, logger, pollIntervalMs: config.CSM_PROFILE_RELAY_POLL_MS });
        const app = new ProfileApp({ store, ring, settings: settingsFrom(config), logger, onPending: () => relay.notify() });
        relay.start();
        closables.push({ close: () => relay.stop() });
        const subscription = await subscribeProfileConsumers(bus, app, logger, config.CSM_PROFILE_CONSUMER_GROUP, config.CSM_PROFILE_CONSUMER_FROM_BEGINNING);
        closables.push({ close: () => subscription.stop() });
        overrides.onStarted?.({ app, store, relay, bus, raw });
        return { closables, app };
      } catch (err) {
        for (const c of [...closables].reverse()) await c.close().catch(() => undefined);
        throw err;
      }
    },
    register: ({ app }) => [{ definition: profile.ProfileServiceService, implementation: profileHandlers(app) }],
  });
}

/** `--migrate-only` (Helm pre-install/pre-upgrade Job): MongoDB indexes (cluster) or the embedded store's migrations. */
export async function migrate({ config, logger }: ServiceContext<Config>): Promise<void> {
  if (config.CSM_MONGO_URL === undefined) {
    await migrateServiceDb({ service: SERVICE_NAME, dataDir: config.CSM_DATA_DIR, migrations: embeddedMigrations, logger });
    return;
  }
  const mongo = await connectMongo({ url: config.CSM_MONGO_URL, appName: 'csm-profile-migrate', logger });
  try {
    await createMongoProfileStore(mongo);
  } finally {
    await mongo.close();
  }
}
