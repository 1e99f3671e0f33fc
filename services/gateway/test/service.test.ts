import { createGrpcServer } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import { loadConfig } from '@csm/platform/config';
import { configSchema } from '../src/config';
import { start } from '../src/service';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('gateway skeleton', () => {
  it('serves liveness, readiness and each backend’s real gRPC health; drains on stop', async () => {
    const backend = await createGrpcServer({ serviceName: 'cases', logger, host: '127.0.0.1', port: 0, services: [] });
    backend.markServing();
    const config = loadConfig(configSchema, {
      CSM_HTTP_PORT: '0',
      CSM_HTTP_HOST: '127.0.0.1',
      CSM_CASES_ADDR: `127.0.0.1:${backend.port}`,
      // Nothing listens on port 1: that backend must show as UNREACHABLE, not hang the call.
      CSM_PROFILE_ADDR: '127.0.0.1:1',
      CSM_LOYALTY_ADDR: '127.0.0.1:1',
      CSM_FLIGHT_INFO_ADDR: '127.0.0.1:1',
      CSM_ANALYTICS_ADDR: '127.0.0.1:1',
      // Generous: the first call opens the channel, and CI runs many suites at once on 2 cores.
      CSM_UPSTREAM_HEALTH_TIMEOUT_MS: '5000',
    });
    const gw = await start({ config, logger });
    const base = `http://127.0.0.1:${gw.port}`;
    try {
      expect((await fetch(`${base}/livez`)).status).toBe(200);
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
      const status = await fetch(`${base}/api/v1/status`);
      expect(status.status).toBe(503);
      expect(await status.json()).toEqual({
        status: 'degraded',
        services: { cases: 'SERVING', profile: 'UNREACHABLE', loyalty: 'UNREACHABLE', 'flight-info': 'UNREACHABLE', analytics: 'UNREACHABLE' },
      });
      expect((await fetch(`${base}/no-such-route`)).status).toBe(404);
    } finally {
      await gw.stop();
      await backend.shutdown({ graceMs: 100 });
    }
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
  });
});
