// Starts ONE service the way the embedded launcher does (its built config.js + service.js, a metrics endpoint, an
// in-process event bus on PGlite) with the ports taken from the chart, then acts as the kubelet: runs each probe the
// chart configures (grpc: grpc.health.v1 Check; httpGet: status 200-399) until it succeeds or the deadline passes,
// prints one JSON line with the outcome, stops the service and exits. deploy/test/probes.test.ts runs it inside a
// private network namespace (`unshare -n`), so the chart's fixed ports (50051, 8080, 9464) never clash with anything.
// Usage: node probe-runner.cjs '<json {service, env, probes:[{kind,type,port,path?,grpcService?}], timeoutMs}>'
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const spec = JSON.parse(process.argv[2]);
const repoRoot = path.resolve(__dirname, '../..');

async function main() {
  const { loadConfigOrExit } = require('@csm/platform/config');
  const { createLogger } = require('@csm/platform/logging');
  const { startMetricsServer } = require('@csm/platform/telemetry');
  const { checkGrpcHealth } = require('@csm/platform/grpc');
  const { createPgliteDb } = require('@csm/platform/stores');
  const { createInProcessEventBus } = require('@csm/platform/events');

  const dataDir = mkdtempSync(path.join(os.tmpdir(), `csm-probe-${spec.service}-`));
  const env = { ...process.env, ...spec.env, CSM_MODE: 'embedded', CSM_DATA_DIR: dataDir, CSM_LOG_LEVEL: 'warn', CSM_TELEMETRY_ENABLED: 'false' };
  const svcDir = path.join(repoRoot, 'services', spec.service, 'dist');
  const { configSchema } = require(path.join(svcDir, 'config.js'));
  const { start } = require(path.join(svcDir, 'service.js'));
  const config = loadConfigOrExit(configSchema, env);
  const logger = createLogger({ service: spec.service, level: 'warn' });

  const metrics = await startMetricsServer({ port: config.CSM_METRICS_PORT });
  const db = await createPgliteDb({ dataDir: path.join(dataDir, 'event-bus', 'pg') });
  const bus = await createInProcessEventBus({ db, logger });
  const running = await start({ config, logger, bus });

  const httpStatus = (port, p) =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.on('timeout', () => req.destroy());
    });

  const deadline = Date.now() + (spec.timeoutMs ?? 30_000);
  const results = [];
  for (const probe of spec.probes) {
    let outcome = 'never tried';
    let ok = false;
    while (!ok && Date.now() < deadline) {
      if (probe.type === 'grpc') {
        outcome = await checkGrpcHealth(`127.0.0.1:${probe.port}`, { service: probe.grpcService ?? '', timeoutMs: 2000 });
        ok = outcome === 'SERVING';
      } else if (probe.type === 'httpGet') {
        const status = await httpStatus(probe.port, probe.path);
        outcome = `HTTP ${status}`;
        ok = status >= 200 && status < 400;
      } else {
        outcome = `unsupported probe type ${probe.type}`;
        break;
      }
      if (!ok) await new Promise((r) => setTimeout(r, 250));
    }
    results.push({ ...probe, ok, outcome });
  }
  await running.stop();
  await bus.close();
  await db.close();
  await metrics.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`PROBE-RESULT ${JSON.stringify({ service: spec.service, boundPort: running.port, results })}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`PROBE-RESULT ${JSON.stringify({ service: spec.service, error: String(err && err.stack ? err.stack : err) })}\n`);
    process.exit(1);
  },
);
