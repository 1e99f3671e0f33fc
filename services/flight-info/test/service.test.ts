import { runServiceLifecycle } from '@csm/platform/testing';
import { configSchema } from '../src/config';
import * as service from '../src/service';
import { RecordingBus } from './support/harness';

describe(`${service.SERVICE_NAME} service (embedded: PGlite)`, () => {
  it('opens its store, answers the standard health check SERVING, and is gone after stop', async () => {
    // Embedded mode takes the launcher's shared bus; a recording bus stands in for it here.
    const result = await runServiceLifecycle(service, configSchema, { CSM_MODE: 'embedded' }, undefined, new RecordingBus());
    expect(result.afterStart).toBe('SERVING');
    expect(result.afterStop).toBe('UNREACHABLE');
  }, 120_000); // PGlite boots in seconds alone, far slower while other suites share the 2 cores

  it('refuses to start with a bad delay-threshold list, naming the variable', () => {
    expect(() => configSchema.parse({ CSM_MODE: 'embedded', CSM_FLIGHT_DELAY_THRESHOLDS_MIN: '15,abc' })).toThrow(/CSM_FLIGHT_DELAY_THRESHOLDS_MIN|positive whole minutes/);
    expect(configSchema.parse({ CSM_MODE: 'embedded' }).CSM_FLIGHT_DELAY_THRESHOLDS_MIN).toEqual([15, 60, 180]);
    expect(configSchema.parse({ CSM_MODE: 'embedded', CSM_FLIGHT_DELAY_THRESHOLDS_MIN: '180, 30' }).CSM_FLIGHT_DELAY_THRESHOLDS_MIN).toEqual([30, 180]);
  });
});
