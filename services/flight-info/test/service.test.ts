import { runServiceLifecycle } from '@csm/platform/testing';
import { configSchema } from '../src/config';
import * as service from '../src/service';

describe(`${service.SERVICE_NAME} service (embedded: PGlite)`, () => {
  it('opens its store, answers the standard health check SERVING, and is gone after stop', async () => {
    const result = await runServiceLifecycle(service, configSchema, { CSM_MODE: 'embedded' });
    expect(result.afterStart).toBe('SERVING');
    expect(result.afterStop).toBe('UNREACHABLE');
  }, 120_000); // PGlite boots in seconds alone, far slower while other suites share the 2 cores
});
