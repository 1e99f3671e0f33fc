import express, { type Express } from 'express';
import { healthRoutes, type HealthRouteOptions } from './health-routes';

/** The express app: hardened defaults; the channel API under /api/v1 arrives with the gateway issue. */
export function createApp(options: HealthRouteOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(options));
  return app;
}
