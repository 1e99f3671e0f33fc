// The whole platform in one Node process (embedded mode): what `npm start` runs and what end-to-end tests boot.
// Every service still serves gRPC on its own port and the gateway calls them over gRPC, exactly as in a cluster;
// PostgreSQL is PGlite (one database per service plus one for the shared event bus) under `dataDir`.
// Require this module only AFTER the launcher started telemetry (it loads grpc-js, pg, express through the services).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Env } from '@csm/platform/config';
import { createInProcessEventBus, type EventBus } from '@csm/platform/events';
import { createLogger, type Logger } from '@csm/platform/logging';
import type { RunningService } from '@csm/platform/runtime';
import type { DevIssuer } from '@csm/platform/security';
import { createPgliteDb, type SqlDb } from '@csm/platform/stores';
import { seedDemoData } from './demo/seed';
import { readMarker, type DemoManifest } from './demo/manifest';
import { openDevIssuer, ISSUER_KEY_FILE } from './dev-issuer';
import { casesDevKeyRing } from './dev-pii-keys';
import { seedEmptyClusters } from './pglite-template';
import { DEFAULT_TOKEN_TTL_SEC, issueDemoTokens, type DemoTokens } from './demo-tokens';
import { demoDataEnabled, grpcPortOf, httpPortOf, sharedEnv, type PortMode } from './environment';
import { BACKENDS, loadService, type BackendName, type ServiceName } from './service-loader';

export interface EmbeddedPlatformOptions {
  /** Where every embedded store, the event-bus log, the dev issuer's key and the demo marker live. */
  readonly dataDir: string;
  /**
   * `fixed` (default): gRPC 50051–50055 and HTTP 8080, each overridable (CSM_<SVC>_GRPC_PORT, CSM_HTTP_PORT).
   * `ephemeral`: port 0 everywhere, so several platforms (parallel tests) can run on one machine.
   */
  readonly ports?: PortMode;
  /** Load the demo data set when the data dir has none yet. Default: true unless CSM_DEMO_DATA=false. */
  readonly seed?: boolean;
  /** Delete `dataDir` first (start empty). */
  readonly reset?: boolean;
  readonly logger?: Logger;
  /** Variables on top of process.env, for every service (e.g. CSM_CASES_SLA_SCAN_INTERVAL_MS). */
  readonly env?: Env;
  /** Lifetime of the printed demo tokens. Default 12 h. */
  readonly tokenTtlSec?: number;
  /**
   * Aborts a start in progress (SIGTERM during start-up): checked between steps; what already runs is stopped and the
   * returned promise rejects.
   */
  readonly signal?: AbortSignal;
}

export interface EmbeddedPlatform {
  readonly dataDir: string;
  /** `http://127.0.0.1:<port>` of the gateway. */
  readonly gatewayUrl: string;
  /** `127.0.0.1:<port>` of each backend's gRPC server. */
  readonly grpcAddresses: Readonly<Record<BackendName, string>>;
  /** One token per role (passenger and partner only with the demo data: they must name a real profile / partner). */
  readonly tokens: DemoTokens;
  /** The file the tokens were written to (0600). */
  readonly tokensFile: string;
  /** The dev issuer every service trusts: mint tokens with specific claims in tests. */
  readonly issuer: DevIssuer;
  /** What the demo seed created (undefined when the data dir has no demo data). */
  readonly demo: DemoManifest | undefined;
  /** Whether this start loaded the demo data (false when it was there already or seeding is off). */
  readonly seededNow: boolean;
  /** Stops the gateway, then the backends (last started first), then the event bus. Idempotent. */
  stop(): Promise<void>;
}

/** Lifetime of the token cases presents to loyalty and flight-info when acting on its own (proactive care). */
const SERVICE_TOKEN_TTL_SEC = 365 * 24 * 3600;
/** Start waves: cases calls loyalty and flight-info, so their (possibly ephemeral) ports must be known first. */
const START_WAVES: readonly (readonly BackendName[])[] = [['profile', 'loyalty', 'flight-info', 'analytics'], ['cases']];

export async function startEmbeddedPlatform(options: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> {
  const dataDir = path.resolve(options.dataDir);
  const baseEnv: Env = { ...process.env, ...options.env };
  const mode: PortMode = options.ports ?? 'fixed';
  const logger = options.logger ?? createLogger({ service: 'embedded', level: logLevel(baseEnv.CSM_LOG_LEVEL) });
  const seed = options.seed ?? demoDataEnabled(baseEnv);
  if (options.reset) resetDataDir(dataDir, logger);

  const env = sharedEnv(baseEnv, dataDir);
  // Everything opened so far, closed in reverse on stop() or on a failed start.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  const checkAborted = () => {
    if (options.signal?.aborted) throw new Error('embedded platform start aborted');
  };
  const stopAll = async () => {
    for (const c of closers.splice(0).reverse()) {
      try {
        await c.close();
      } catch (err) {
        logger.error({ err, component: c.name }, 'embedded platform: stop step failed');
      }
    }
  };

  try {
    await seedEmptyClusters([path.join(dataDir, 'event-bus', 'pg'), ...BACKENDS.map((b) => path.join(dataDir, b, 'pg'))]);
    checkAborted();
    const bus = await openSharedBus(dataDir, logger, closers);
    const { issuer, verifyToken } = await openDevIssuer(dataDir);
    const serviceToken = await issuer.issue({ sub: 'cases', roles: ['service'], ttlSec: SERVICE_TOKEN_TTL_SEC });

    const addresses: Partial<Record<BackendName, string>> = {};
    const start = async (name: ServiceName, vars: Env, extra: Record<string, unknown> = {}): Promise<RunningService> => {
      const t0 = Date.now();
      const svc = loadService(name);
      const loadedMs = Date.now() - t0;
      const config = loadConfig(svc.configSchema, { ...env, ...vars });
      const context = { config, logger: logger.child({ svc: name }), bus, verifyToken, ...extra };
      const running = await svc.start(context);
      closers.push({ name, close: () => running.stop() });
      logger.debug({ svc: name, port: running.port, loadMs: loadedMs, startMs: Date.now() - t0 - loadedMs }, 'embedded service started');
      return running;
    };
    const startBackend = async (name: BackendName) => {
      const vars: Env = { CSM_GRPC_PORT: grpcPortOf(name, mode, baseEnv) };
      const extra: Record<string, unknown> = {};
      if (name === 'cases') {
        // Explicit upstreams from the actual ports (never the fixed-port fallbacks), and the service's own token.
        vars.CSM_LOYALTY_ADDR = addresses.loyalty;
        vars.CSM_FLIGHT_INFO_ADDR = addresses['flight-info'];
        vars.CSM_CASES_SERVICE_TOKEN = serviceToken;
        const keyRing = casesDevKeyRing(dataDir, baseEnv);
        if (keyRing) extra.keyRing = keyRing;
      }
      const running = await start(name, vars, extra);
      addresses[name] = `127.0.0.1:${running.port}`;
    };
    // Independent services boot side by side (each PGlite boot takes seconds); then those that call them.
    for (const wave of START_WAVES) {
      const results = await Promise.allSettled(wave.map(startBackend));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      checkAborted();
    }
    const grpcAddresses = Object.fromEntries(BACKENDS.map((n) => [n, addresses[n] ?? ''])) as Record<BackendName, string>;

    let demo = readMarker(dataDir);
    let seededNow = false;
    if (seed && demo === undefined) {
      const t0 = Date.now();
      demo = await seedDemoData({ dataDir, issuer, addresses: grpcAddresses, logger: logger.child({ component: 'demo-seed' }) });
      seededNow = true;
      logger.info({ ms: Date.now() - t0, passengers: demo.passengers.length, flights: demo.flights.count, cases: demo.cases.length }, 'demo data loaded');
    }

    checkAborted();
    const gateway = await start('gateway', {
      CSM_HTTP_PORT: httpPortOf(mode, baseEnv),
      CSM_PROFILE_ADDR: grpcAddresses.profile,
      CSM_CASES_ADDR: grpcAddresses.cases,
      CSM_LOYALTY_ADDR: grpcAddresses.loyalty,
      CSM_FLIGHT_INFO_ADDR: grpcAddresses['flight-info'],
      CSM_ANALYTICS_ADDR: grpcAddresses.analytics,
    });
    checkAborted();
    const { tokens, file: tokensFile } = await issueDemoTokens(issuer, demo, dataDir, options.tokenTtlSec ?? DEFAULT_TOKEN_TTL_SEC);

    let stopping: Promise<void> | undefined;
    return {
      dataDir,
      gatewayUrl: `http://127.0.0.1:${gateway.port}`,
      grpcAddresses,
      tokens,
      tokensFile,
      issuer,
      demo,
      seededNow,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** One in-process event bus for the whole process, its log and offsets kept in its own PGlite database. */
async function openSharedBus(dataDir: string, logger: Logger, closers: { name: string; close: () => Promise<void> }[]): Promise<EventBus> {
  const db: SqlDb = await createPgliteDb({ dataDir: path.join(dataDir, 'event-bus', 'pg') });
  closers.push({ name: 'event-bus store', close: () => db.close() });
  const bus = await createInProcessEventBus({ db, logger: logger.child({ component: 'event-bus' }) });
  closers.push({ name: 'event bus', close: () => bus.close() });
  return bus;
}

/** What a CSM data dir holds; `reset` refuses to wipe a non-empty directory holding none of it (a mistyped path). */
const DATA_DIR_ENTRIES = new Set([ISSUER_KEY_FILE, 'event-bus', ...BACKENDS, 'demo-seed.json', 'demo-tokens.json']);

function resetDataDir(dataDir: string, logger: Logger): void {
  if (existsSync(dataDir)) {
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !entries.some((e) => DATA_DIR_ENTRIES.has(e))) {
      throw new Error(`refusing to reset ${dataDir}: it is not empty and does not look like a CSM data directory`);
    }
    // Never pull the files from under a running platform: its databases hold lock files with their owner's pid.
    for (const store of ['event-bus', ...BACKENDS]) {
      const owner = lockOwner(path.join(dataDir, store, 'pg.lock'));
      if (owner !== undefined) throw new Error(`refusing to reset ${dataDir}: it is in use by process ${owner}`);
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  logger.info({ dataDir }, 'data reset');
}

/** The pid in a live database lock file (see the kit's PGlite dir lock), or undefined when free or stale. */
function lockOwner(lockFile: string): number | undefined {
  if (!existsSync(lockFile)) return undefined;
  const pid = Number(readFileSync(lockFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
function logLevel(v: string | undefined): 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' {
  return v !== undefined && LEVELS.has(v) ? (v as 'info') : 'info';
}
