import type { VerifyToken } from '@csm/platform/grpc';
import { UnauthenticatedError } from '@csm/platform/errors';
import { ANONYMOUS } from '@csm/platform/security';
import type { RequestHandler } from 'express';

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

/**
 * Establishes the caller: no Authorization header → anonymous (routes decide; all but health and the API document
 * refuse anonymous callers); a bearer token → its verified principal; anything else → 401 without running the route.
 * The raw token is kept to forward to the services, which re-check it.
 */
export function authenticate(verifyToken: VerifyToken | undefined): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    res.locals.principal = ANONYMOUS;
    if (header === undefined) {
      next();
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      next(new UnauthenticatedError('the Authorization header must be "Bearer <token>"', { reason: 'MALFORMED_AUTHORIZATION', metadata: { field: 'header.authorization' } }));
      return;
    }
    if (verifyToken === undefined) {
      next(new UnauthenticatedError('this gateway has no token issuer configured', { reason: 'NO_ISSUER' }));
      return;
    }
    verifyToken(token).then(
      (principal) => {
        res.locals.principal = principal;
        res.locals.token = token;
        next();
      },
      (err: unknown) => next(err instanceof UnauthenticatedError ? err : new UnauthenticatedError('invalid bearer token', { reason: 'INVALID_TOKEN', cause: err })),
    );
  };
}
