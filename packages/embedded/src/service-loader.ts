// Loads a service's compiled entry points by package path (`@csm/<svc>/dist/service.js`), the way the launcher always
// has: services are separate packages with no `exports` map, and jest maps these paths to the sources
// (jest.preset.cjs) so tests run without a build. Plain `require` on purpose: it runs after the launcher started
// telemetry, so the instrumentation hooks grpc-js, http, express and pg as the services load them.
import type { z } from '@csm/platform/config';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';

export const BACKENDS = ['profile', 'cases', 'loyalty', 'flight-info', 'analytics'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type ServiceName = BackendName | 'gateway';

export interface LoadedService {
  readonly configSchema: z.ZodObject;
  start(context: ServiceContext<unknown>): Promise<RunningService>;
}

export function loadService(name: ServiceName): LoadedService {
  /* eslint-disable @typescript-eslint/no-require-imports -- path-based load of a sibling package's build (see above) */
  const { configSchema } = require(`@csm/${name}/dist/config.js`) as { configSchema: z.ZodObject };
  const { start } = require(`@csm/${name}/dist/service.js`) as { start: LoadedService['start'] };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { configSchema, start };
}
