import { z } from 'zod';
import { env } from './fields';

/**
 * Variables every service reads. A service extends this with its own (`serviceConfigSchema.extend({...})`).
 * CSM_MODE selects the adapters: `embedded` (PGlite, in-process bus) or `cluster` (PostgreSQL, Kafka, MongoDB).
 */
export const serviceConfigSchema = z.object({
  CSM_MODE: env.oneOf(['embedded', 'cluster'] as const).default('cluster'),
  CSM_LOG_LEVEL: env.logLevel(),
  CSM_GRPC_HOST: z.string().default('0.0.0.0'),
  CSM_GRPC_PORT: env.port(50051),
  CSM_METRICS_PORT: env.port(9464),
  CSM_SHUTDOWN_GRACE_MS: env.int(20_000, 0),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
  CSM_TELEMETRY_ENABLED: env.bool(true),
});

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
