import { createInProcessEventBus } from '@csm/platform/events';
import { createPgliteDb } from '@csm/platform/stores';
import { runServiceLifecycle } from '@csm/platform/testing';
import { configSchema } from '../src/config';
import * as service from '../src/service';

describe(`${service.SERVICE_NAME} service (embedded: PGlite)`, () => {
  it('opens its store and consumers on the shared in-process bus, answers health SERVING, and is gone after stop', async () => {
    // Embedded mode: the launcher hands every service one in-process bus.
    const busDb = await createPgliteDb();
    const bus = await createInProcessEventBus({ db: busDb });
    try {
      const result = await runServiceLifecycle(service, configSchema, { CSM_MODE: 'embedded' }, undefined, bus);
      expect(result.afterStart).toBe('SERVING');
      expect(result.afterStop).toBe('UNREACHABLE');
    } finally {
      await bus.close();
      await busDb.close();
    }
  }, 120_000); // PGlite boots in seconds alone, far slower while other suites share the 2 cores
});
