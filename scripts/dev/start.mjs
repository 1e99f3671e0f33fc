// `npm start`: the whole platform in one Node process (embedded mode). Every service still serves gRPC on its own
// port and the gateway calls them over gRPC, exactly as in a cluster; PostgreSQL is PGlite and data is kept under
// CSM_DATA_DIR (default ./.csm-data). Flags: --reset deletes the data first.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { loadConfigOrExit, serviceConfigSchema } = require('@csm/platform/config');
const { createLogger } = require('@csm/platform/logging');
const { startTelemetry, startMetricsServer } = require('@csm/platform/telemetry');
const { installSignalHandlers, onShutdown, ShutdownOrder } = require('@csm/platform/lifecycle');
// Loaded lazily below (after telemetry): they pull in pg/kafkajs modules the instrumentation patches.
const late = () => ({ stores: require('@csm/platform/stores'), events: require('@csm/platform/events') });

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

async function startOne(name, env, bus) {
  const { configSchema } = require(`@csm/${name}/dist/config.js`);
  const { start } = require(`@csm/${name}/dist/service.js`);
  const config = loadConfigOrExit(configSchema, env);
  return start({ config, logger: logger.child({ svc: name }), bus });
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
  const running = [];
  const addresses = {};
  for (const [name, defaultPort] of backends) {
    const port = Number(process.env[portVar(name)] ?? defaultPort);
    const svc = await startOne(name, { ...shared, CSM_GRPC_PORT: String(port), CSM_DATA_DIR: dataDir }, bus);
    running.push(svc);
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
  }, bus);
  running.unshift(gateway);
  for (const svc of running) onShutdown(() => svc.stop(), ShutdownOrder.server, svc.name);

  const url = `http://127.0.0.1:${gateway.port}`;
  process.stdout.write(
    [
      '',
      `CSM platform running (embedded mode), data in ${dataDir}`,
      `  gateway   ${url}   (status: ${url}/api/v1/status)`,
      ...backends.map(([name]) => `  ${name.padEnd(12)}grpc ${addresses[name]}`),
      `  metrics   http://127.0.0.1:${metrics.port}/metrics`,
      'Stop with Ctrl+C (SIGINT/SIGTERM drain every service). `npm start -- --reset` starts from empty data.',
      '',
    ].join('\n') + '\n',
  );
} catch (err) {
  logger.fatal({ err }, 'embedded platform failed to start');
  startFailed = true;
  await signals.shutdown('start-up failed');
}
