/**
 * The security module's errors are the platform's domain errors, so the gRPC interceptors and the gateway map them
 * (UNAUTHENTICATED → 401, PERMISSION_DENIED → 403, UNAVAILABLE → 503) like any other. Imported from the file, not
 * the errors barrel, to avoid loading the gRPC status mapping with it. `reason` values are stable, loggable
 * UPPER_SNAKE_CASE causes — never token content.
 */
import { PermissionDeniedError, UnauthenticatedError, UnavailableError } from '../errors/domain-errors';

export { PermissionDeniedError, UnauthenticatedError, UnavailableError };

export function unauthenticated(message: string, reason: string, cause?: unknown): UnauthenticatedError {
  return new UnauthenticatedError(message, { reason, ...(cause === undefined ? {} : { cause }) });
}

export function permissionDenied(message: string): PermissionDeniedError {
  return new PermissionDeniedError(message);
}

/** The identity provider's keys could not be fetched: nobody can be authenticated, but it is not the caller's fault. */
export function keysUnavailable(message: string, cause: unknown): UnavailableError {
  return new UnavailableError(message, { reason: 'JWKS_UNAVAILABLE', cause });
}
