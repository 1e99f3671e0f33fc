import type { ServiceConfig } from '../config/service-config';
import type { VerifyToken } from '../grpc/auth-interceptor';
import type { Logger } from '../logging/logger';
import { cachedVerifier } from '../security/cached-verifier';
import { createJwtVerifier } from '../security/jwt-verifier';

export interface ServiceTokenVerifierOptions {
  readonly config: Pick<ServiceConfig, 'CSM_MODE' | 'CSM_AUTH_ISSUER' | 'CSM_AUTH_AUDIENCE' | 'CSM_AUTH_JWKS_URL'>;
  readonly logger: Logger;
  /** Embedded mode: the launcher's dev issuer, shared by every service in the process. */
  readonly injected?: VerifyToken | undefined;
}

/**
 * How a service verifies its callers' bearer tokens: the injected dev issuer in embedded mode, otherwise the OIDC
 * provider's JWKS (CSM_AUTH_ISSUER + CSM_AUTH_JWKS_URL). Without either every call is anonymous, which only a
 * development setup should accept: it is logged as a warning. Either way a token that verified recently is not
 * re-verified on every call (cachedVerifier): the gateway forwards the same user token to several services per request.
 */
export function serviceTokenVerifier(options: ServiceTokenVerifierOptions): VerifyToken | undefined {
  if (options.injected !== undefined) return cachedVerifier(options.injected);
  const { CSM_AUTH_ISSUER: issuer, CSM_AUTH_JWKS_URL: jwksUrl, CSM_AUTH_AUDIENCE: audience } = options.config;
  if (issuer !== undefined && jwksUrl !== undefined) {
    const verifier = createJwtVerifier({ issuer, audience, jwksUrl });
    return cachedVerifier((token) => verifier.verify(token));
  }
  options.logger.warn('CSM_AUTH_ISSUER/CSM_AUTH_JWKS_URL not set: callers are not authenticated (anonymous)');
  return undefined;
}
