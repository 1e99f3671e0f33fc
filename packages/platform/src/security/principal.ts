/** Who is calling, as established from a verified bearer token. Services re-check authorization with it. */
export const ROLES = [
  'passenger',
  'agent_l1',
  'agent_l2',
  'agent_l3',
  'supervisor',
  'analyst',
  'partner',
  'ops',
  'admin',
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Token subject: a user id, a passenger's profile id, a partner code or a service name. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** OAuth scopes, e.g. `pii:read`. */
  readonly scopes: readonly string[];
  /** Set for partner tokens: the only partner the caller may act for. */
  readonly partnerCode?: string;
  /** Set for passenger tokens: the only profile the caller may read. */
  readonly profileId?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ subject: 'anonymous', roles: [], scopes: [] });

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}

export function hasScope(p: Principal, scope: string): boolean {
  return p.scopes.includes(scope);
}
