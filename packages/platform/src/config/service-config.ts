import { z } from 'zod';
import { env } from './fields';
import { secret } from './load-config';

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
  // Caller authentication: JWTs from the airline's OIDC provider (the gateway forwards the caller's token).
  CSM_AUTH_ISSUER: z.string().optional(),
  CSM_AUTH_AUDIENCE: z.string().default('csm'),
  CSM_AUTH_JWKS_URL: env.url().optional(),
});

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

/** Where embedded-mode data lives (PGlite files, embedded profile store); one sub-folder per service. */
const dataDir = z.string().default('./.csm-data');

/** Kafka (cluster mode): comma-separated brokers; the client id defaults to the service name. */
const kafkaShape = {
  CSM_KAFKA_BROKERS: env.list().optional(),
  CSM_KAFKA_CLIENT_ID: z.string().optional(),
  CSM_KAFKA_SSL: env.bool(false),
  CSM_KAFKA_SASL_MECHANISM: env.oneOf(['plain', 'scram-sha-256', 'scram-sha-512'] as const).optional(),
  CSM_KAFKA_SASL_USERNAME: z.string().optional(),
  CSM_KAFKA_SASL_PASSWORD: secret(z.string()).optional(),
};

function requireInCluster(parsed: unknown, ctx: z.RefinementCtx, keys: readonly string[]): void {
  const c = parsed as Record<string, unknown>;
  if (c.CSM_MODE !== 'cluster') return;
  for (const key of keys) {
    if (c[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in cluster mode' });
  }
  // SASL needs all three; a half-configured SASL would fail later with an opaque broker error.
  if (c.CSM_KAFKA_SASL_MECHANISM !== undefined) {
    for (const key of ['CSM_KAFKA_SASL_USERNAME', 'CSM_KAFKA_SASL_PASSWORD']) {
      if (c[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required with CSM_KAFKA_SASL_MECHANISM' });
    }
  }
}

/**
 * Services on PostgreSQL: a URL in cluster mode, PGlite under CSM_DATA_DIR in embedded mode. A function rather than a
 * schema because zod cannot extend a refined object: pass the service's own variables as `extra`.
 */
export function sqlServiceConfigSchema<T extends z.ZodRawShape = Record<never, never>>(extra: T = {} as T) {
  return serviceConfigSchema
    .extend({ CSM_PG_URL: secret(env.url()).optional(), CSM_DATA_DIR: dataDir, ...kafkaShape })
    .extend(extra)
    .superRefine((parsed, ctx) => requireInCluster(parsed, ctx, ['CSM_PG_URL', 'CSM_KAFKA_BROKERS']));
}

/** Services on MongoDB (profile): a URL in cluster mode, the embedded store under CSM_DATA_DIR otherwise. */
export function mongoServiceConfigSchema<T extends z.ZodRawShape = Record<never, never>>(extra: T = {} as T) {
  return serviceConfigSchema
    .extend({ CSM_MONGO_URL: secret(env.url()).optional(), CSM_DATA_DIR: dataDir, ...kafkaShape })
    .extend(extra)
    .superRefine((parsed, ctx) => requireInCluster(parsed, ctx, ['CSM_MONGO_URL', 'CSM_KAFKA_BROKERS']));
}
