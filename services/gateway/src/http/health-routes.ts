import { Router } from 'express';

export interface HealthRouteOptions {
  /** False while draining: readiness fails first so the load balancer stops sending traffic. */
  readonly isAccepting: () => boolean;
}

/**
 * /livez: the process answers. /readyz: the gateway takes traffic — it does not fail when a backend is down,
 * because the gateway degrades per dependency instead (each backend's health is at /api/v1/status).
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
  return router;
}
