import type { JWTPayload } from 'jose';
import { unauthenticated } from './errors';
import { ROLES, type Principal, type Role } from './principal';

/** How token claims become a Principal. Defaults fit our own issuer and a Keycloak realm. */
export interface ClaimsMapping {
  /**
   * Claim(s) holding the caller's roles: a top-level claim name, or a dotted path into nested objects. Roles from every listed claim are merged.
   * Default: `['roles', 'realm_access.roles']` (plain claim, and Keycloak's realm roles).
   */
  rolesClaim?: string | readonly string[];
  /**
   * What to do with a role that is not one of ROLES. `reject` (default) refuses the token: a typo in the identity
   * provider must not silently drop or grant access. `ignore` drops them — needed for IdPs that add their own roles
   * (Keycloak's `offline_access`, `uma_authorization`, `default-roles-<realm>`).
   */
  unknownRoles?: 'reject' | 'ignore';
}

export const DEFAULT_ROLES_CLAIMS: readonly string[] = ['roles', 'realm_access.roles'];

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

function isRole(value: string): value is Role {
  return ROLE_SET.has(value);
}

/** A top-level claim by its exact name (namespaced claims like `https://x.example/roles` contain dots), else a dotted path. */
function atPath(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let cur: unknown = payload;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A claim that is a list of strings, or one space-delimited string (the OAuth `scope` form). */
function stringList(value: unknown, claim: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s.length > 0);
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value.filter((s) => s.length > 0);
  throw unauthenticated(`token claim "${claim}" must be a string or an array of strings`, 'BAD_CLAIMS');
}

function optionalString(payload: Record<string, unknown>, claim: string): string | undefined {
  const value = payload[claim];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw unauthenticated(`token claim "${claim}" must be a non-empty string`, 'BAD_CLAIMS');
  }
  return value;
}

/**
 * Maps verified claims to a Principal: `sub`; roles from the configured claim(s); scopes from `scope`
 * (space-delimited) and/or `scp` (string or array); `partner_code`; `profile_id`. Throws UnauthenticatedError for
 * claims that are missing, of the wrong type, or inconsistent (a partner token without its partner code, a passenger
 * token without its profile id — downstream checks rely on those being present).
 */
export function principalFromClaims(payload: JWTPayload, mapping: ClaimsMapping = {}): Principal {
  const claims = payload as Record<string, unknown>;
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.trim() === '') {
    throw unauthenticated('token has no subject ("sub" claim)', 'BAD_CLAIMS');
  }

  const rolesClaims = mapping.rolesClaim === undefined ? DEFAULT_ROLES_CLAIMS : typeof mapping.rolesClaim === 'string' ? [mapping.rolesClaim] : mapping.rolesClaim;
  const roles = new Set<Role>();
  for (const claim of rolesClaims) {
    for (const r of stringList(atPath(claims, claim), claim)) {
      if (isRole(r)) roles.add(r);
      else if (mapping.unknownRoles !== 'ignore') {
        throw unauthenticated(`token carries unknown role "${r}" in "${claim}"`, 'UNKNOWN_ROLE');
      }
    }
  }

  const scopes = new Set<string>([...stringList(claims['scope'], 'scope'), ...stringList(claims['scp'], 'scp')]);
  const partnerCode = optionalString(claims, 'partner_code');
  const profileId = optionalString(claims, 'profile_id');
  if (roles.has('partner') && partnerCode === undefined) {
    throw unauthenticated('partner token has no "partner_code" claim', 'BAD_CLAIMS');
  }
  if (roles.has('passenger') && profileId === undefined) {
    throw unauthenticated('passenger token has no "profile_id" claim', 'BAD_CLAIMS');
  }

  return Object.freeze({
    subject,
    roles: Object.freeze([...roles]),
    scopes: Object.freeze([...scopes]),
    ...(partnerCode !== undefined ? { partnerCode } : {}),
    ...(profileId !== undefined ? { profileId } : {}),
  });
}
