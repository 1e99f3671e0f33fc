import { permissionDenied, unauthenticated } from './errors';
import { ANONYMOUS, hasRole, type Principal, type Role } from './principal';

/**
 * Authorization checks services run on the verified Principal. Each throws instead of returning a boolean so a
 * forgotten `if` cannot turn into an open door; an anonymous caller gets UnauthenticatedError (401), a known caller
 * without the right gets PermissionDeniedError (403).
 */
function isAnonymous(p: Principal): boolean {
  return p === ANONYMOUS || (p.subject === ANONYMOUS.subject && p.roles.length === 0 && p.scopes.length === 0);
}

function requireAuthenticated(p: Principal): void {
  if (isAnonymous(p)) throw unauthenticated('authentication required', 'MISSING_TOKEN');
}

/** Passes when the caller has at least one of `roles`. */
export function requireRole(principal: Principal, ...roles: Role[]): void {
  requireAuthenticated(principal);
  if (!hasRole(principal, ...roles)) throw permissionDenied(`requires one of the roles: ${roles.join(', ')}`);
}

/** Passes when the caller has every one of `scopes` (OAuth semantics: each scope is a separate grant). */
export function requireScope(principal: Principal, ...scopes: string[]): void {
  requireAuthenticated(principal);
  const missing = scopes.filter((s) => !principal.scopes.includes(s));
  if (missing.length > 0) throw permissionDenied(`requires the scope(s): ${missing.join(', ')}`);
}

/** Passes when the caller is the passenger owning `profileId`, or has one of `roles` (agents, supervisors, …). */
export function requireSelfOrRole(principal: Principal, profileId: string, ...roles: Role[]): void {
  requireAuthenticated(principal);
  if (principal.profileId !== undefined && principal.profileId === profileId) return;
  if (roles.length > 0 && hasRole(principal, ...roles)) return;
  throw permissionDenied(roles.length > 0 ? `only the profile owner or one of the roles ${roles.join(', ')} may do this` : 'only the profile owner may do this');
}

/** Passes when the caller is the partner `partnerCode` (a partner token acts only for its own partner), or has one of `roles`. */
export function requirePartnerOrRole(principal: Principal, partnerCode: string, ...roles: Role[]): void {
  requireAuthenticated(principal);
  if (principal.partnerCode !== undefined && principal.partnerCode === partnerCode && hasRole(principal, 'partner')) return;
  if (roles.length > 0 && hasRole(principal, ...roles)) return;
  throw permissionDenied(`only partner ${partnerCode} or one of the roles ${roles.join(', ') || '(none)'} may do this`);
}
