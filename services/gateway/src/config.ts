import { env, serviceConfigSchema, z } from '@csm/platform/config';

/** The gateway's variables: its HTTP port and where each backend service's gRPC endpoint is. */
export const configSchema = serviceConfigSchema.extend({
  CSM_HTTP_PORT: env.port(8080),
  CSM_HTTP_HOST: z.string().default('0.0.0.0'),
  CSM_PROFILE_ADDR: z.string().default('profile:50051'),
  CSM_CASES_ADDR: z.string().default('cases:50051'),
  CSM_LOYALTY_ADDR: z.string().default('loyalty:50051'),
  CSM_FLIGHT_INFO_ADDR: z.string().default('flight-info:50051'),
  CSM_ANALYTICS_ADDR: z.string().default('analytics:50051'),
  CSM_UPSTREAM_HEALTH_TIMEOUT_MS: env.int(1_000, 1),
});
export type Config = z.infer<typeof configSchema>;

export function upstreams(config: Config): Record<string, string> {
  return {
    profile: config.CSM_PROFILE_ADDR,
    cases: config.CSM_CASES_ADDR,
    loyalty: config.CSM_LOYALTY_ADDR,
    'flight-info': config.CSM_FLIGHT_INFO_ADDR,
    analytics: config.CSM_ANALYTICS_ADDR,
  };
}
