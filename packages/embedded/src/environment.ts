import type { Env } from '@csm/platform/config';
import type { BackendName } from './service-loader';

/** The fixed local ports of `npm start` (each overridable with CSM_<SVC>_GRPC_PORT / CSM_HTTP_PORT). */
export const FIXED_GRPC_PORTS: Readonly<Record<BackendName, number>> = {
  profile: 50051,
  cases: 50052,
  loyalty: 50053,
  'flight-info': 50054,
  analytics: 50055,
};
export const FIXED_HTTP_PORT = 8080;

export type PortMode = 'fixed' | 'ephemeral';

/** `CSM_FLIGHT_INFO_GRPC_PORT` for `flight-info`. */
export function grpcPortVar(name: BackendName): string {
  return `CSM_${name.toUpperCase().replace(/-/g, '_')}_GRPC_PORT`;
}

export function grpcPortOf(name: BackendName, mode: PortMode, env: Env): string {
  if (mode === 'ephemeral') return '0';
  return nonEmpty(env[grpcPortVar(name)]) ?? String(FIXED_GRPC_PORTS[name]);
}

export function httpPortOf(mode: PortMode, env: Env): string {
  if (mode === 'ephemeral') return '0';
  return nonEmpty(env.CSM_HTTP_PORT) ?? String(FIXED_HTTP_PORT);
}

/**
 * Variables that would point a service at cluster infrastructure or at one fixed port for every service. Embedded
 * mode must never pick them up from the caller's shell (a stray CSM_PG_URL would send one service to a real database).
 */
const CLUSTER_ONLY = [
  'CSM_PG_URL',
  'CSM_MONGO_URL',
  'CSM_KAFKA_BROKERS',
  'CSM_GRPC_PORT',
  'CSM_HTTP_PORT',
  'CSM_DATA_DIR',
  // Embedded mode gives cases its own token from the dev issuer; a provider's client credentials would conflict.
  'CSM_CASES_SERVICE_TOKEN',
  'CSM_CASES_OAUTH_TOKEN_URL',
  'CSM_CASES_OAUTH_CLIENT_ID',
  'CSM_CASES_OAUTH_CLIENT_SECRET',
];
const PER_SERVICE_ADDRESSES = ['CSM_PROFILE_ADDR', 'CSM_CASES_ADDR', 'CSM_LOYALTY_ADDR', 'CSM_FLIGHT_INFO_ADDR', 'CSM_ANALYTICS_ADDR'];

/** The environment every service in the process is configured from: the caller's, embedded mode forced. */
export function sharedEnv(base: Env, dataDir: string): Env {
  const env: Env = { ...base };
  for (const key of [...CLUSTER_ONLY, ...PER_SERVICE_ADDRESSES]) delete env[key];
  env.CSM_MODE = 'embedded';
  env.CSM_GRPC_HOST = nonEmpty(base.CSM_GRPC_HOST) ?? '127.0.0.1';
  env.CSM_HTTP_HOST = nonEmpty(base.CSM_HTTP_HOST) ?? '127.0.0.1';
  env.CSM_DATA_DIR = dataDir;
  return env;
}

/** `CSM_DEMO_DATA=false|0|no|off` turns the demo data set off. */
export function demoDataEnabled(env: Env): boolean {
  const v = nonEmpty(env.CSM_DEMO_DATA)?.toLowerCase();
  return !(v === 'false' || v === '0' || v === 'no' || v === 'off');
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
