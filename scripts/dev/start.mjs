// `npm start`: the whole platform in one Node process (embedded mode), see docs/operations/embedded.md.
// A thin wrapper around @csm/embedded: flags, telemetry FIRST (before any service module loads grpc-js, http,
// express or pg), the metrics endpoint, signal handling, and what to print.
//   --reset     delete the data dir first (start empty)
//   --no-seed   don't load the demo data set (also CSM_DEMO_DATA=false)
// Data is kept under CSM_DATA_DIR (default ./.csm-data). Ports: gRPC 50051–50055 and HTTP 8080, overridable with
// CSM_<SVC>_GRPC_PORT (e.g. CSM_FLIGHT_INFO_GRPC_PORT) and CSM_HTTP_PORT.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { loadConfigOrExit, serviceConfigSchema } = require('@csm/platform/config');
const { createLogger } = require('@csm/platform/logging');
const { startTelemetry, startMetricsServer } = require('@csm/platform/telemetry');
const { installSignalHandlers, onShutdown, ShutdownOrder } = require('@csm/platform/lifecycle');

const KNOWN_FLAGS = new Set(['--reset', '--no-seed', '--help']);
const args = process.argv.slice(2);
const unknown = args.filter((a) => !KNOWN_FLAGS.has(a));
if (args.includes('--help') || unknown.length > 0) {
  if (unknown.length > 0) process.stderr.write(`unknown option(s): ${unknown.join(' ')}\n`);
  process.stderr.write('usage: npm start [-- --reset] [-- --no-seed]   (env: CSM_DATA_DIR, CSM_HTTP_PORT, CSM_<SVC>_GRPC_PORT, CSM_DEMO_DATA)\n');
  process.exit(unknown.length > 0 ? 2 : 0);
}

const launcher = loadConfigOrExit(serviceConfigSchema, { ...process.env, CSM_MODE: 'embedded' });
const dataDir = path.resolve(process.env.CSM_DATA_DIR ?? '.csm-data');
const logger = createLogger({ service: 'embedded', level: launcher.CSM_LOG_LEVEL });
// Telemetry first: the instrumentation must be in place before @csm/embedded loads the services.
const telemetry = startTelemetry({ serviceName: 'csm-embedded', enabled: launcher.CSM_TELEMETRY_ENABLED, otlpEndpoint: launcher.OTEL_EXPORTER_OTLP_ENDPOINT });

let startFailed = false;
const aborting = new AbortController();
const signals = installSignalHandlers({
  logger,
  graceMs: launcher.CSM_SHUTDOWN_GRACE_MS,
  exit: (code) => process.exit(startFailed ? 1 : code),
});
onShutdown(() => telemetry.shutdown(), ShutdownOrder.telemetry, 'telemetry');

try {
  const metrics = await startMetricsServer({ port: launcher.CSM_METRICS_PORT, host: '127.0.0.1' });
  onShutdown(() => metrics.close(), ShutdownOrder.telemetry, 'metrics endpoint');

  const { startEmbeddedPlatform } = require('@csm/embedded');
  // Registered before the start resolves: a SIGTERM during start-up aborts it and still closes what already runs.
  const starting = startEmbeddedPlatform({
    dataDir,
    ports: 'fixed',
    reset: args.includes('--reset'),
    ...(args.includes('--no-seed') ? { seed: false } : {}),
    logger,
    signal: aborting.signal,
  });
  onShutdown(async () => {
    aborting.abort();
    const running = await starting.catch(() => undefined);
    await running?.stop();
  }, ShutdownOrder.server, 'embedded platform');
  const platform = await starting;

  const url = platform.gatewayUrl;
  const demo = platform.demo;
  // Tokens are long and grant access: printed as a file (0600) to read from, not inline.
  const token = (role) => `$(node -p "require('${platform.tokensFile}').${role}")`;
  process.stdout.write(
    [
      '',
      `CSM platform running (embedded mode), data in ${dataDir}`,
      `  gateway      ${url}   (status: ${url}/api/v1/status)`,
      ...Object.entries(platform.grpcAddresses).map(([name, addr]) => `  ${name.padEnd(13)}grpc ${addr}`),
      `  metrics      http://127.0.0.1:${metrics.port}/metrics`,
      demo
        ? `  demo data    ${platform.seededNow ? 'loaded now' : `loaded ${demo.seededAt}`}: ${demo.passengers.length} passengers, ${demo.members.length} members, ${demo.flights.count} flights (${demo.flights.firstDate} … ${demo.flights.lastDate}, hubs ${demo.hubs.join('/')}), ${demo.cases.length} cases, partner ${demo.demoPartnerCode}`
        : '  demo data    none (started with --no-seed / CSM_DEMO_DATA=false, or not seeded yet)',
      `  demo tokens  ${platform.tokensFile}`,
      `               one per role (${Object.keys(platform.tokens).join(', ')}), valid 12 h`,
      '',
      'Try it:',
      `  curl -s ${url}/api/v1/status`,
      ...(demo
        ? [
            `  curl -s -H "Authorization: Bearer ${token('passenger')}" ${url}/api/v1/passengers/${demo.demoPassengerId}/membership`,
            `  curl -s -H "Authorization: Bearer ${token('agent_l1')}" "${url}/api/v1/airports/PEK/departures"`,
          ]
        : [`  curl -s -H "Authorization: Bearer ${token('agent_l1')}" "${url}/api/v1/airports/PEK/departures"`]),
      '',
      'Stop with Ctrl+C (SIGINT/SIGTERM drain every service). `npm start -- --reset` starts from empty data, `-- --no-seed` without demo data.',
      '',
    ].join('\n') + '\n',
  );
} catch (err) {
  if (!aborting.signal.aborted) {
    logger.fatal({ err }, 'embedded platform failed to start');
    startFailed = true;
    await signals.shutdown('start-up failed');
  }
}
