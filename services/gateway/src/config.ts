import { env, serviceConfigSchema, z } from '@csm/platform/config';

/** The gateway's variables: its HTTP port, where each backend's gRPC endpoint is, and the request policy. */
export const configSchema = serviceConfigSchema.extend({
  CSM_HTTP_PORT: env.port(8080),
  CSM_HTTP_HOST: z.string().default('0.0.0.0'),
  CSM_PROFILE_ADDR: z.string().default('profile:50051'),
  CSM_CASES_ADDR: z.string().default('cases:50051'),
  CSM_LOYALTY_ADDR: z.string().default('loyalty:50051'),
  CSM_FLIGHT_INFO_ADDR: z.string().default('flight-info:50051'),
  CSM_ANALYTICS_ADDR: z.string().default('analytics:50051'),
  CSM_UPSTREAM_HEALTH_TIMEOUT_MS: env.int(1_000, 1),
  /** Deadline of one backend call unless a route sets its own. */
  CSM_UPSTREAM_DEADLINE_MS: env.int(5_000, 1),
  /** Passenger 360: each section's own deadline; a slower dependency is reported unavailable. */
  CSM_360_SECTION_DEADLINE_MS: env.int(800, 1),
  /** Largest accepted JSON body. */
  CSM_HTTP_BODY_LIMIT_BYTES: env.int(256 * 1024, 1),
  /** Requests per client (token subject, else IP) per window; 0 turns the limiter off. */
  CSM_RATE_LIMIT_MAX: env.int(1_200, 0),
  CSM_RATE_LIMIT_WINDOW_MS: env.int(60_000, 1),
  /** Browser origins allowed by CORS (comma-separated); empty: no cross-origin access. */
  CSM_CORS_ORIGINS: env.list().default([]),
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (express `trust proxy`): a hop count. */
  CSM_TRUST_PROXY_HOPS: env.int(1, 0),
});
export type Config = z.infer<typeof configSchema>;

export function upstreams(config: Config): Record<'profile' | 'cases' | 'loyalty' | 'flight-info' | 'analytics', string> {
  return {
    profile: config.CSM_PROFILE_ADDR,
    cases: config.CSM_CASES_ADDR,
    loyalty: config.CSM_LOYALTY_ADDR,
    'flight-info': config.CSM_FLIGHT_INFO_ADDR,
    analytics: config.CSM_ANALYTICS_ADDR,
  };
}
