// `npm start`: the whole platform in one Node process (embedded mode). Every service still serves gRPC on its own
// port and the gateway calls them over gRPC, exactly as in a cluster; PostgreSQL is PGlite and data is kept under
// CSM_DATA_DIR (default ./.csm-data). Flags: --reset deletes the data first.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { loadConfigOrExit, serviceConfigSchema } = require('@csm/platform/config');
const { createLogger } = require('@csm/platform/logging');
const { startTelemetry, startMetricsServer } = require('@csm/platform/telemetry');
const { installSignalHandlers, onShutdown, ShutdownOrder } = require('@csm/platform/lifecycle');
// Loaded lazily below (after telemetry): they pull in pg/kafkajs modules the instrumentation patches.
const late = () => ({
  stores: require('@csm/platform/stores'),
  events: require('@csm/platform/events'),
  security: require('@csm/platform/security'),
});

const args = new Set(process.argv.slice(2));
const shared = { CSM_MODE: 'embedded', CSM_GRPC_HOST: '127.0.0.1', CSM_HTTP_HOST: '127.0.0.1', ...process.env };
const launcher = loadConfigOrExit(serviceConfigSchema, shared);
const dataDir = path.resolve(process.env.CSM_DATA_DIR ?? '.csm-data');
const logger = createLogger({ service: 'embedded', level: launcher.CSM_LOG_LEVEL });
// Telemetry first, before any service module loads grpc-js, http, express or pg.
const telemetry = startTelemetry({ serviceName: 'csm-embedded', enabled: launcher.CSM_TELEMETRY_ENABLED, otlpEndpoint: launcher.OTEL_EXPORTER_OTLP_ENDPOINT });

if (args.has('--reset')) {
  rmSync(dataDir, { recursive: true, force: true });
  logger.info({ dataDir }, 'data reset');
}

// Backends first (the gateway calls them); fixed local ports unless overridden, e.g. CSM_CASES_GRPC_PORT.
const backends = [
  ['profile', 50051],
  ['cases', 50052],
  ['loyalty', 50053],
  ['flight-info', 50054],
  ['analytics', 50055],
];
const portVar = (name) => `CSM_${name.toUpperCase().replace('-', '_')}_GRPC_PORT`;

let startFailed = false;
const signals = installSignalHandlers({
  logger,
  graceMs: launcher.CSM_SHUTDOWN_GRACE_MS,
  exit: (code) => process.exit(startFailed ? 1 : code),
});
onShutdown(() => telemetry.shutdown(), ShutdownOrder.telemetry, 'telemetry');

async function startOne(name, env, shared) {
  const { configSchema } = require(`@csm/${name}/dist/config.js`);
  const { start } = require(`@csm/${name}/dist/service.js`);
  const config = loadConfigOrExit(configSchema, env);
  return start({ config, logger: logger.child({ svc: name }), ...shared });
}

/**
 * The built-in dev token issuer (embedded mode only): its RSA key is kept in the data dir so demo tokens survive a
 * restart. Every service verifies tokens against it, as they would against the airline's OIDC provider's JWKS.
 */
async function openDevIssuer() {
  const { security } = late();
  const keyPath = path.join(dataDir, 'dev-issuer-key.pem');
  if (!existsSync(keyPath)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const issuer = await security.createDevIssuer({ issuer: 'csm-embedded-dev', audience: 'csm', kid: 'embedded-dev', privateKeyPem: readFileSync(keyPath, 'utf8') });
  const verifier = issuer.verifier();
  return { issuer, verifyToken: (token) => verifier.verify(token) };
}

/** One demo token per role (12 h), written next to the data so a newcomer can call the API right away. */
async function writeDemoTokens(issuer) {
  const roles = {
    passenger: { sub: 'demo-passenger', roles: ['passenger'], profileId: 'pax_DEMO' },
    agent_l1: { sub: 'demo-agent-l1', roles: ['agent_l1'] },
    agent_l2: { sub: 'demo-agent-l2', roles: ['agent_l2'] },
    agent_l3: { sub: 'demo-agent-l3', roles: ['agent_l3'] },
    supervisor: { sub: 'demo-supervisor', roles: ['supervisor'], scopes: ['pii:read'] },
    analyst: { sub: 'demo-analyst', roles: ['analyst'] },
    partner: { sub: 'demo-partner', roles: ['partner'], partnerCode: 'DEMO' },
    ops: { sub: 'demo-ops', roles: ['ops'] },
    admin: { sub: 'demo-admin', roles: ['admin'], scopes: ['pii:read'] },
  };
  const tokens = {};
  for (const [role, req] of Object.entries(roles)) tokens[role] = await issuer.issue({ ...req, ttlSec: 12 * 3600 });
  const file = path.join(dataDir, 'demo-tokens.json');
  writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** One in-process event bus for the whole process, its log and offsets kept in its own PGlite database. */
async function openSharedBus() {
  const { stores, events } = late();
  const db = await stores.createPgliteDb({ dataDir: path.join(dataDir, 'event-bus', 'pg') });
  const bus = await events.createInProcessEventBus({ db, logger: logger.child({ component: 'event-bus' }) });
  onShutdown(() => db.close(), ShutdownOrder.stores, 'event-bus store');
  onShutdown(() => bus.close(), ShutdownOrder.consumers, 'event bus');
  return bus;
}

try {
  const metrics = await startMetricsServer({ port: launcher.CSM_METRICS_PORT, host: '127.0.0.1' });
  onShutdown(() => metrics.close(), ShutdownOrder.telemetry, 'metrics endpoint');
  const bus = await openSharedBus();
  const { issuer, verifyToken } = await openDevIssuer();
  const tokensFile = await writeDemoTokens(issuer);
  const addresses = {};
  for (const [index, [name, defaultPort]] of backends.entries()) {
    const port = Number(process.env[portVar(name)] ?? defaultPort);
    const svc = await startOne(name, { ...shared, CSM_GRPC_PORT: String(port), CSM_DATA_DIR: dataDir }, { bus, verifyToken });
    // Registered as soon as it runs (a SIGTERM during start-up still closes its store); later backends stop first.
    onShutdown(() => svc.stop(), ShutdownOrder.server + 50 - index, name);
    addresses[name] = `127.0.0.1:${svc.port}`;
  }
  const gateway = await startOne('gateway', {
    ...shared,
    CSM_HTTP_PORT: process.env.CSM_HTTP_PORT ?? '8080',
    CSM_PROFILE_ADDR: addresses.profile,
    CSM_CASES_ADDR: addresses.cases,
    CSM_LOYALTY_ADDR: addresses.loyalty,
    CSM_FLIGHT_INFO_ADDR: addresses['flight-info'],
    CSM_ANALYTICS_ADDR: addresses.analytics,
  }, { bus, verifyToken });
  onShutdown(() => gateway.stop(), ShutdownOrder.server, 'gateway');

  const url = `http://127.0.0.1:${gateway.port}`;
  process.stdout.write(
    [
      '',
      `CSM platform running (embedded mode), data in ${dataDir}`,
      `  gateway   ${url}   (status: ${url}/api/v1/status)`,
      ...backends.map(([name]) => `  ${name.padEnd(12)}grpc ${addresses[name]}`),
      `  metrics   http://127.0.0.1:${metrics.port}/metrics`,
      `  demo tokens (one per role, 12 h): ${tokensFile}`,
      'Stop with Ctrl+C (SIGINT/SIGTERM drain every service). `npm start -- --reset` starts from empty data.',
      '',
    ].join('\n') + '\n',
  );
} catch (err) {
  logger.fatal({ err }, 'embedded platform failed to start');
  startFailed = true;
  await signals.shutdown('start-up failed');
}
