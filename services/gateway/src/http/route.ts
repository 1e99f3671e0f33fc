import type { UnaryCallOptions } from '@csm/platform/grpc';
import type { Principal, Role } from '@csm/platform/security';
import type { z } from 'zod';
import type { Backends } from '../backends/clients';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: named roles, optionally widened to the passenger who owns / the partner who is the resource. */
export interface RouteAccess {
  readonly roles: readonly Role[];
  /** A passenger may call it for their own profile: the path/query parameter holding the profile id. */
  readonly passengerSelf?: { readonly param: string; readonly in?: 'path' | 'query' };
  /** A partner may call it for its own code only: the path parameter holding the partner code. */
  readonly partnerSelf?: { readonly param: string };
}

/** What a handler receives: validated input, the caller, and call options that carry its token, deadline and ids. */
export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal;
  /** Pass to every backend call: the caller's bearer token (the services re-check), deadline, request id. */
  readonly call: UnaryCallOptions;
  /** The `Idempotency-Key` header, when given (POSTs): handlers put it on the backend request. */
  readonly idempotencyKey: string | undefined;
  readonly backends: Backends;
}

/** A handler's answer: the JSON body (already proto3-JSON) and, for creations, 201. */
export interface RouteResult {
  readonly status?: number;
  /** JSON-able value; or, with `contentType`, a string sent as is (e.g. CSV). */
  readonly body: unknown;
  /** A non-JSON answer's media type (`text/csv; charset=utf-8`). */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One REST route, declared once: express mounts it, the OpenAPI document describes it, the validator and the
 * authorizer enforce it. Paths use OpenAPI syntax (`/cases/{caseId}`), relative to /api/v1.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: RouteAccess | 'public';
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /**
   * Accepts `Idempotency-Key` (POST writes that create or move money/miles); `'required'` when the backend needs one
   * (the router then refuses a request without it, naming the header — nothing is derived: a derived key would make
   * two genuine operations look like one retry).
   */
  readonly idempotent?: boolean | 'required';
  /** Overrides the gateway's default backend deadline. */
  readonly deadlineMs?: number;
  /** Status of a successful answer (documented; default 200). */
  readonly successStatus?: number;
  /** The proto message the JSON answer is (documented). */
  readonly responseDescription?: string;
  /** The media type of a non-JSON answer (documented; default application/json). */
  readonly responseContentType?: string;
  readonly handler: (input: RouteInput<P, Q, B>) => Promise<RouteResult>;
}

/** Identity helper that keeps the generic parameters inferred from the schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> {
  return spec;
}

/** Widened type for tables of routes with different input types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous table; each entry was checked by route()
export type AnyRoute = RouteSpec<any, any, any>;
