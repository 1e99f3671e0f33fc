import { checkGrpcHealth } from '@csm/platform/grpc';
import { Router } from 'express';

export interface HealthRouteOptions {
  readonly upstreams: Record<string, string>;
  readonly timeoutMs: number;
  /** False while draining: readiness fails first so the load balancer stops sending traffic. */
  readonly isAccepting: () => boolean;
}

/**
 * /livez: the process answers. /readyz: the gateway takes traffic — it does not fail when a backend is down,
 * because the gateway degrades per dependency instead. /api/v1/status: each backend's gRPC health, for operators.
 */
export function healthRoutes(options: HealthRouteOptions): Router {
  const router = Router();
  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (options.isAccepting()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'draining' });
  });
  router.get('/api/v1/status', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(options.upstreams).map(async ([name, address]) => [name, await checkGrpcHealth(address, { timeoutMs: options.timeoutMs })] as const),
    );
    const services = Object.fromEntries(entries);
    const allServing = entries.every(([, s]) => s === 'SERVING');
    res.status(allServing ? 200 : 503).json({ status: allServing ? 'ok' : 'degraded', services });
  });
  return router;
}
