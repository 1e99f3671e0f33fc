import type { VerifyToken } from '@csm/platform/grpc';
import type { Logger } from '@csm/platform/logging';
import express, { type Express } from 'express';
import type { Backends } from '../backends/clients';
import type { Config } from '../config';
import { healthRoutes } from './health-routes';
import { authenticate } from './middleware/authenticate';
import { httpMetrics } from './middleware/metrics';
import { rateLimitPerClient } from './middleware/rate-limit';
import { requestId } from './middleware/request-id';
import { corsPolicy, securityHeaders } from './middleware/security';
import { notFound } from './not-found';
import { problemHandler } from './problem';
import type { AnyRoute } from './route';
import { mountRoutes } from './router';

export const API_PREFIX = '/api/v1';

export interface AppOptions {
  readonly config: Pick<Config, 'CSM_HTTP_BODY_LIMIT_BYTES' | 'CSM_RATE_LIMIT_MAX' | 'CSM_RATE_LIMIT_WINDOW_MS' | 'CSM_CORS_ORIGINS' | 'CSM_TRUST_PROXY_HOPS' | 'CSM_UPSTREAM_DEADLINE_MS'>;
  readonly routes: readonly AnyRoute[];
  readonly backends: Backends;
  readonly verifyToken: VerifyToken | undefined;
  readonly logger: Logger;
  /** False while draining: readiness fails first so the load balancer stops sending traffic. */
  readonly isAccepting: () => boolean;
}

/**
 * The express app. Order matters: request id and metrics see every request; security headers and CORS apply to
 * errors too; the caller is authenticated before the rate limiter (which counts per caller) and before the body is
 * parsed (an anonymous flood never costs JSON parsing); every failure leaves through the problem handler.
 */
export function createApp(options: AppOptions): Express {
  const { config } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.CSM_TRUST_PROXY_HOPS);
  app.use(requestId(), httpMetrics(), ...securityHeaders(), corsPolicy(config.CSM_CORS_ORIGINS));
  app.use(healthRoutes({ isAccepting: options.isAccepting }));
  app.use(
    API_PREFIX,
    authenticate(options.verifyToken),
    rateLimitPerClient({ max: config.CSM_RATE_LIMIT_MAX, windowMs: config.CSM_RATE_LIMIT_WINDOW_MS }),
    express.json({ limit: config.CSM_HTTP_BODY_LIMIT_BYTES, strict: true, type: ['application/json', 'application/*+json'] }),
    mountRoutes(options.routes, { backends: options.backends, deadlineMs: config.CSM_UPSTREAM_DEADLINE_MS }),
  );
  app.use(notFound(options.routes, API_PREFIX));
  app.use(problemHandler(options.logger));
  return app;
}
