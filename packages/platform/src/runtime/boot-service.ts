import type { z } from 'zod';
import { loadConfigOrExit, redactConfig } from '../config/load-config';
import type { ServiceConfig } from '../config/service-config';
import { installSignalHandlers } from '../lifecycle/signals';
import { onShutdown, ShutdownOrder } from '../lifecycle/shutdown-registry';
import { createLogger } from '../logging/logger';
import { logConfig } from '../logging/log-config';
import { startMetricsServer } from '../telemetry/metrics-server';
import { startTelemetry } from '../telemetry/sdk';
import type { ServiceModule } from './service-module';

export interface BootOptions<S extends z.ZodObject> {
  /** Short service name: `cases`, `loyalty`, … */
  readonly name: string;
  readonly configSchema: S;
  /**
   * Loads the service's module. Called only after telemetry started, so the OpenTelemetry instrumentation hooks
   * grpc-js, http, express and pg when the service's imports load them.
   */
  readonly load: () => ServiceModule<z.infer<S>>;
}

/**
 * The fixed start-up order of every service's main.ts: config → logger → telemetry → (load the service) → metrics
 * endpoint → stores and server (inside `start`) → signal handlers drain it all on SIGTERM. A failed start-up logs
 * one fatal line and exits 1. With `--migrate-only` it only runs the module's `migrate` and exits (0, or 1 on failure).
 */
export function bootService<S extends z.ZodObject>(options: BootOptions<S>): void {
  const config = loadConfigOrExit(options.configSchema) as z.infer<S> & ServiceConfig;
  const logger = createLogger({ service: options.name, level: config.CSM_LOG_LEVEL });
  const telemetry = startTelemetry({
    serviceName: `csm-${options.name}`,
    enabled: config.CSM_TELEMETRY_ENABLED,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  });
  logConfig(logger, redactConfig(options.configSchema, config));
  let startFailed = false;
  // A start-up failure still runs the shutdown steps (close what did open), but must exit 1 whatever they return.
  const signals = installSignalHandlers({
    logger,
    graceMs: config.CSM_SHUTDOWN_GRACE_MS,
    exit: (code) => process.exit(startFailed ? 1 : code),
  });
  onShutdown(() => telemetry.shutdown(), ShutdownOrder.telemetry, 'telemetry');

  if (process.argv.includes('--migrate-only')) {
    void (async () => {
      const module = options.load();
      if (module.migrate === undefined) throw new Error(`${options.name} has no store to migrate`);
      await module.migrate({ config, logger });
      logger.info(`${options.name} migrations applied`);
      await signals.shutdown('migrations done');
    })().catch((err: unknown) => {
      logger.fatal({ err }, `${options.name} migrations failed`);
      startFailed = true;
      void signals.shutdown('migrations failed');
    });
    return;
  }

  void (async () => {
    const metrics = await startMetricsServer({ port: config.CSM_METRICS_PORT });
    onShutdown(() => metrics.close(), ShutdownOrder.telemetry, 'metrics endpoint');
    const running = await options.load().start({ config, logger });
    onShutdown(() => running.stop(), ShutdownOrder.server, options.name);
    logger.info({ port: running.port, metricsPort: metrics.port }, `${options.name} started`);
  })().catch((err: unknown) => {
    logger.fatal({ err }, `${options.name} failed to start`);
    startFailed = true;
    void signals.shutdown('start-up failed');
  });
}
