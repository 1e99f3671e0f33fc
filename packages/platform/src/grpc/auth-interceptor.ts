import { ServerInterceptingCall, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';
import { DomainError, UnauthenticatedError } from '../errors/domain-errors';
import { toGrpcStatus } from '../errors/grpc-status';
import type { Logger } from '../logging/logger';
import { ANONYMOUS, type Principal } from '../security/principal';
import { attachScope } from './call-scope';
import { isInfrastructureMethod } from './method';

/** Verifies a bearer token (the security kit's JWT verifier); rejects (ideally with UnauthenticatedError) if invalid. */
export type VerifyToken = (token: string) => Promise<Principal>;

export interface AuthInterceptorOptions {
  readonly verifyToken?: VerifyToken;
  readonly logger: Logger;
  readonly domain: string;
}

/** The token in `authorization: Bearer <token>`, or undefined. */
export function bearerToken(metadata: Metadata): string | undefined {
  const value = metadata.get('authorization')[0];
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

/**
 * Establishes who is calling before the handler runs: no token → ANONYMOUS (each handler/authorizer decides what
 * anonymous callers may do); a valid token → its Principal; an invalid one → UNAUTHENTICATED without running the
 * handler. Health and reflection skip verification. Handlers read the result with `principalOf(call)` / `ctx.principal`.
 */
export function authInterceptor(options: AuthInterceptorOptions): ServerInterceptor {
  const { verifyToken, logger, domain } = options;
  return (definition, call) => {
    const intercepted: ServerInterceptingCall = new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const proceed = (principal: Principal) => {
              attachScope(metadata, { principal, logger, domain });
              nextMetadata(metadata);
            };
            const token = bearerToken(metadata);
            if (token === undefined || verifyToken === undefined || isInfrastructureMethod(definition.path)) {
              proceed(ANONYMOUS);
              return;
            }
            verifyToken(token).then(proceed, (err: unknown) => {
              const rejection = err instanceof DomainError ? err : new UnauthenticatedError('invalid bearer token');
              if (!(err instanceof DomainError)) logger.warn({ method: definition.path, err }, 'token verification failed');
              intercepted.sendStatus(toGrpcStatus(rejection, { domain }));
            });
          },
        }),
    });
    return intercepted;
  };
}
