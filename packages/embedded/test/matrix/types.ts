export type MatrixRole = 'anonymous' | 'passenger' | 'agent_l1' | 'agent_l2' | 'agent_l3' | 'supervisor' | 'analyst' | 'partner' | 'ops' | 'admin';
export interface MatrixRequest { readonly path: string; readonly query?: Record<string, string>; readonly body?: unknown }
/** demo: the seeded demo manifest (ids of a seeded passenger, member, case, flight, partner code...) — loosely typed. */
export interface MatrixEntry {
  readonly operationId: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Roles expected to be let through (status not 401/403). Everyone else expects 403 (anonymous: 401). */
  readonly allow: readonly MatrixRole[];
  /** A VALID request (passes validation), built from the demo data. For a passenger/partner the request targets
   *  THEIR OWN profile/partner code (the test also runs a variant on someone else's, expecting 403). */
  readonly request: (demo: Record<string, unknown>) => MatrixRequest;
  /** Destructive operations (erase, close, merge, cancel…) must target ids that do not exist, so the run can't
   *  spoil other entries: allowed roles then get 404, which still counts as allowed. */
}
