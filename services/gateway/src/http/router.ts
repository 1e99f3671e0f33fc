import { Metadata } from '@grpc/grpc-js';
import { nulCharacterViolations, PermissionDeniedError, UnauthenticatedError, ValidationError, type FieldViolation } from '@csm/platform/errors';
import { hasRole, type Principal } from '@csm/platform/security';
import { Router, type Request, type Response } from 'express';
import type { Backends } from '../backends/clients';
import type { AnyRoute, RouteAccess } from './route';
import { parsePart } from './validation';

export interface RouterOptions {
  readonly backends: Backends;
  readonly deadlineMs: number;
}

/** `/cases/{caseId}` (OpenAPI) → `/cases/:caseId` (express). */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const JSON_TYPES = /^application\/([a-z.+-]*\+)?json\b/i;

/**
 * Mounts the route table. Per request, in this order: the role check (401 anonymous / 403 wrong role — before
 * validation, so a caller without rights learns nothing about the input rules), validation of path, query and body
 * (400 naming every bad field), the owner check for passenger/partner callers, then the handler. The services
 * re-check everything with the caller's own token.
 */
export function mountRoutes(routes: readonly AnyRoute[], options: RouterOptions): Router {
  const router = Router();
  for (const spec of routes) {
    router[spec.method](expressPath(spec.path), (req, res, next) => {
      handle(spec, req, res, options).catch(next);
    });
  }
  return router;
}

async function handle(spec: AnyRoute, req: Request, res: Response, options: RouterOptions): Promise<void> {
  const principal = res.locals.principal as Principal;
  if (spec.access !== 'public') checkRole(spec.access, principal);

  // NUL first: no service can store it, and a schema's own rules may not catch it (e.g. a free-text prefix).
  const violations: FieldViolation[] = [...nulCharacterViolations(req.params, 'path'), ...nulCharacterViolations(req.query, 'query'), ...nulCharacterViolations(req.body, 'body')];
  if (spec.body !== undefined && req.body !== undefined && !JSON_TYPES.test(req.get('content-type') ?? '')) {
    violations.push({ field: 'header.content-type', description: 'must be application/json', rule: 'MEDIA_TYPE' });
  }
  const params = parsePart('path', spec.params, req.params);
  const query = parsePart('query', spec.query, req.query);
  const body = parsePart('body', spec.body, spec.body === undefined && isEmptyBody(req.body) ? undefined : req.body);
  for (const part of [params, query, body]) if (!part.ok) violations.push(...part.violations);
  const idempotencyKey = req.get('idempotency-key');
  if (idempotencyKey === undefined && spec.idempotent === 'required') {
    violations.push({ field: 'header.idempotency-key', description: 'is required', rule: 'REQUIRED' });
  }
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    violations.push({ field: 'header.idempotency-key', description: 'must be 8-128 characters of A-Z a-z 0-9 . _ : -', rule: 'FORMAT' });
  }
  if (violations.length > 0 || !params.ok || !query.ok || !body.ok) throw new ValidationError(violations);
  if (spec.access !== 'public') checkOwner(spec.access, principal, params.value, query.value);

  const metadata = new Metadata();
  metadata.set('x-request-id', res.locals.requestId as string);
  if (idempotencyKey !== undefined && spec.idempotent) metadata.set('idempotency-key', idempotencyKey);
  const token = res.locals.token as string | undefined;
  const result = await spec.handler({
    params: params.value,
    query: query.value,
    body: body.value,
    principal,
    idempotencyKey: spec.idempotent ? idempotencyKey : undefined,
    backends: options.backends,
    call: { metadata, deadline: Date.now() + (spec.deadlineMs ?? options.deadlineMs), ...(token !== undefined ? { authorization: token } : {}) },
  });
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  res.status(result.status ?? spec.successStatus ?? 200);
  if (result.contentType !== undefined && typeof result.body === 'string') res.type(result.contentType).send(result.body);
  else res.json(result.body);
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
}

function checkRole(access: RouteAccess, principal: Principal): void {
  if (principal.roles.length === 0) throw new UnauthenticatedError('authentication required', { reason: 'MISSING_TOKEN' });
  if (hasRole(principal, ...access.roles)) return;
  if (access.passengerSelf !== undefined && hasRole(principal, 'passenger')) return;
  if (access.partnerSelf !== undefined && hasRole(principal, 'partner')) return;
  throw new PermissionDeniedError(`requires one of the roles: ${access.roles.join(', ')}`);
}

/** A passenger or partner let through by checkRole only for their own resource: now that input is valid, compare. */
function checkOwner(access: RouteAccess, principal: Principal, params: unknown, query: unknown): void {
  if (hasRole(principal, ...access.roles)) return;
  if (access.passengerSelf !== undefined && hasRole(principal, 'passenger')) {
    const source = (access.passengerSelf.in === 'query' ? query : params) as Record<string, unknown> | undefined;
    if (principal.profileId !== undefined && source?.[access.passengerSelf.param] === principal.profileId) return;
    throw new PermissionDeniedError('a passenger may only access their own data');
  }
  if (access.partnerSelf !== undefined && hasRole(principal, 'partner')) {
    const code = (params as Record<string, unknown> | undefined)?.[access.partnerSelf.param];
    if (principal.partnerCode !== undefined && code === principal.partnerCode) return;
    throw new PermissionDeniedError('a partner may only act for its own partner code');
  }
  throw new PermissionDeniedError('permission denied');
}
