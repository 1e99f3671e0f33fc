import { ResourceExhaustedError } from '@csm/platform/errors';
import type { Principal } from '@csm/platform/security';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

export interface RateLimitOptions {
  readonly max: number;
  readonly windowMs: number;
}

/**
 * Requests per client per window (express-rate-limit, IETF RateLimit headers). A client is the token's subject when
 * authenticated, else the address — so one busy agent desk never throttles another behind the same NAT.
 */
export function rateLimitPerClient(options: RateLimitOptions): RequestHandler {
  if (options.max === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const principal = res.locals.principal as Principal | undefined;
      return principal && principal.roles.length > 0 ? `sub:${principal.subject}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next, opts) => {
      next(new ResourceExhaustedError(`rate limit of ${opts.limit} requests per ${Math.round(opts.windowMs / 1000)} s exceeded`, { reason: 'RATE_LIMITED', retryAfterMs: opts.windowMs }));
    },
  });
}
