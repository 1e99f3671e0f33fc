import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { principalFromClaims, type ClaimsMapping } from './claims';
import { keysUnavailable, UnauthenticatedError, unauthenticated, type UnavailableError } from './errors';
import type { Principal } from './principal';

/** Asymmetric algorithms only: an HS* token signed with our public key as the "secret" must never verify. */
export type JwtAlgorithm = 'RS256' | 'ES256';
export const DEFAULT_JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'ES256'];

export interface JwtVerifierOptions extends ClaimsMapping {
  /** Expected `iss` (one or several accepted values). */
  issuer: string | readonly string[];
  /** Expected `aud` (the token must name at least one). */
  audience: string | readonly string[];
  /** Key source — exactly one of jwksUrl / jwks / publicKeyPem. The IdP's JWKS endpoint, fetched and cached. */
  jwksUrl?: string | URL;
  /** A JWKS held locally (e.g. the dev issuer's). */
  jwks?: JSONWebKeySet;
  /** A single SPKI PEM public key (RSA → RS256, P-256 → ES256). */
  publicKeyPem?: string;
  /** Allowed clock skew for exp/nbf/iat. Default 30 s. */
  clockToleranceSec?: number;
  /** Allowed `alg` values; default RS256 and ES256. */
  algorithms?: readonly JwtAlgorithm[];
  /** Reject tokens whose `iat` is older than this, whatever their `exp`. Off by default. */
  maxTokenAgeSec?: number;
  /** Remote JWKS tuning: HTTP timeout (default 5 s), minimum gap between refetches on an unknown `kid` (default 30 s), max cache age (default 10 min). */
  remoteJwks?: { timeoutMs?: number; cooldownMs?: number; cacheMaxAgeMs?: number };
}

export interface JwtVerifier {
  /**
   * Verifies signature, alg, iss, aud, exp/nbf (with tolerance) and maps claims. Throws UnauthenticatedError (with a
   * `reason` such as TOKEN_EXPIRED, WRONG_AUDIENCE, BAD_SIGNATURE) for a bad token, and UnavailableError
   * (reason JWKS_UNAVAILABLE) when the remote key set cannot be fetched.
   */
  verify(token: string): Promise<Principal>;
}

/** Tokens far beyond any real JWT are refused before any parsing work. */
const MAX_TOKEN_LENGTH = 16 * 1024;

const ALG_FOR_KEY_TYPE: Record<string, JwtAlgorithm> = { rsa: 'RS256', ec: 'ES256' };

type KeySource = KeyObject | JWTVerifyGetKey;

function keySource(opts: JwtVerifierOptions, algorithms: readonly JwtAlgorithm[]): KeySource {
  const given = [opts.jwksUrl, opts.jwks, opts.publicKeyPem].filter((v) => v !== undefined).length;
  if (given !== 1) throw new Error('createJwtVerifier: give exactly one key source: jwksUrl, jwks or publicKeyPem');
  if (opts.jwksUrl !== undefined) {
    const url = new URL(opts.jwksUrl);
    // jose keeps the fetched set in memory and refetches only on an unknown kid (rate-limited) or when it is stale.
    return createRemoteJWKSet(url, {
      timeoutDuration: opts.remoteJwks?.timeoutMs ?? 5_000,
      cooldownDuration: opts.remoteJwks?.cooldownMs ?? 30_000,
      cacheMaxAge: opts.remoteJwks?.cacheMaxAgeMs ?? 600_000,
    });
  }
  if (opts.jwks !== undefined) return createLocalJWKSet(opts.jwks);
  const key = createPublicKey(opts.publicKeyPem as string);
  const alg = ALG_FOR_KEY_TYPE[key.asymmetricKeyType ?? ''];
  if (alg === undefined || !algorithms.includes(alg)) {
    throw new Error(`createJwtVerifier: publicKeyPem is a ${key.asymmetricKeyType ?? 'unknown'} key, which none of the allowed algorithms (${algorithms.join(', ')}) uses`);
  }
  return key;
}

/** Translates jose's failures into domain errors with a stable, loggable reason (never token content). */
function toDomainError(err: unknown): UnauthenticatedError | UnavailableError {
  if (err instanceof UnauthenticatedError) return err;
  if (err instanceof joseErrors.JWTExpired) return unauthenticated('token expired', 'TOKEN_EXPIRED', err);
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    const byClaim: Record<string, [string, string]> = {
      iss: ['token issuer is not trusted', 'WRONG_ISSUER'],
      aud: ['token audience does not include this service', 'WRONG_AUDIENCE'],
      nbf: ['token is not valid yet', 'TOKEN_NOT_YET_VALID'],
      iat: ['token is too old or issued in the future', 'BAD_IAT'],
    };
    const [message, reason] = byClaim[err.claim] ?? [`token claim "${err.claim}" is missing or invalid`, 'BAD_CLAIMS'];
    return unauthenticated(message, reason, err);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return unauthenticated('token algorithm not allowed', 'ALG_NOT_ALLOWED', err);
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return unauthenticated('token signature is invalid', 'BAD_SIGNATURE', err);
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return unauthenticated('token was signed by an unknown key', 'UNKNOWN_SIGNING_KEY', err);
  }
  // jose raises its generic JOSEError (ERR_JOSE_GENERIC) for a non-200 JWKS response, and plain Node errors for network failures.
  if (
    err instanceof joseErrors.JWKSTimeout ||
    err instanceof joseErrors.JWKSInvalid ||
    !(err instanceof joseErrors.JOSEError) ||
    err.code === 'ERR_JOSE_GENERIC'
  ) {
    // The IdP's key set could not be fetched or read: nobody can be authenticated until it can (503, not 401).
    return keysUnavailable('token signing keys are unavailable', err);
  }
  return unauthenticated('token is malformed', 'MALFORMED_TOKEN', err);
}

export function createJwtVerifier(opts: JwtVerifierOptions): JwtVerifier {
  const algorithms = opts.algorithms ?? DEFAULT_JWT_ALGORITHMS;
  if (algorithms.length === 0) throw new Error('createJwtVerifier: algorithms must not be empty');
  const key = keySource(opts, algorithms);
  const verifyOptions = {
    issuer: typeof opts.issuer === 'string' ? opts.issuer : [...opts.issuer],
    audience: typeof opts.audience === 'string' ? opts.audience : [...opts.audience],
    algorithms: [...algorithms],
    clockTolerance: opts.clockToleranceSec ?? 30,
    // jose accepts a token without exp unless told otherwise; a bearer token that never expires is not acceptable.
    requiredClaims: ['exp', 'sub'],
    ...(opts.maxTokenAgeSec !== undefined ? { maxTokenAge: opts.maxTokenAgeSec } : {}),
  };
  const mapping: ClaimsMapping = { ...(opts.rolesClaim !== undefined ? { rolesClaim: opts.rolesClaim } : {}), ...(opts.unknownRoles ? { unknownRoles: opts.unknownRoles } : {}) };

  return {
    async verify(token: string): Promise<Principal> {
      if (typeof token !== 'string' || token.length === 0) throw unauthenticated('no bearer token', 'MISSING_TOKEN');
      if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('token is too large', 'MALFORMED_TOKEN');
      let payload: JWTPayload;
      try {
        // Two call shapes because jose types a KeyObject and a key-resolver function as different overloads.
        payload = typeof key === 'function' ? (await jwtVerify(token, key, verifyOptions)).payload : (await jwtVerify(token, key, verifyOptions)).payload;
      } catch (err) {
        throw toDomainError(err);
      }
      return principalFromClaims(payload, mapping);
    },
  };
}

/** Extracts the token from an `Authorization: Bearer <token>` header value; throws UnauthenticatedError if absent. */
export function bearerToken(authorization: string | undefined | null): string {
  const match = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw unauthenticated('missing or malformed "Authorization: Bearer" header', 'MISSING_TOKEN');
  return match[1];
}
