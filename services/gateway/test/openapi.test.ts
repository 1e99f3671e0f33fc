import { createLogger } from '@csm/platform/logging';
import { compileErrors, validate } from '@readme/openapi-parser';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createBackends } from '../src/backends/clients';
import { API_PREFIX, createApp } from '../src/http/app';
import { expressPath, mountRoutes } from '../src/http/router';
import { routeTable } from '../src/routes';

// The document and the express router must describe the same API: every mounted route is documented, every
// documented operation answers (anything but "no such route"), and the document is valid OpenAPI 3.1.
const logger = createLogger({ service: 'test', level: 'silent' });
const nowhere = { profile: '127.0.0.1:1', cases: '127.0.0.1:1', loyalty: '127.0.0.1:1', 'flight-info': '127.0.0.1:1', analytics: '127.0.0.1:1' };
const table = routeTable({ upstreams: nowhere, healthTimeoutMs: 200, sectionDeadlineMs: 200 });
const backends = createBackends(nowhere, { retries: 0 });
let server: Server;
let base: string;
let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };

beforeAll(async () => {
  const app = createApp({
    config: { CSM_HTTP_BODY_LIMIT_BYTES: 65536, CSM_RATE_LIMIT_MAX: 0, CSM_RATE_LIMIT_WINDOW_MS: 60_000, CSM_CORS_ORIGINS: [], CSM_TRUST_PROXY_HOPS: 0, CSM_UPSTREAM_DEADLINE_MS: 500 },
    routes: table,
    backends,
    verifyToken: undefined,
    logger,
    isAccepting: () => true,
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const res = await fetch(`${base}${API_PREFIX}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
});
afterAll(async () => {
  backends.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** method + express path of every route the router really mounted. */
function mountedRoutes(): string[] {
  const router = mountRoutes(table, { backends, deadlineMs: 100 }) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  return router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m} ${layer.route?.path ?? ''}`) : []));
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${expressPath(path)}`));
}

describe('OpenAPI document ↔ routes', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // The validator dereferences in place: give it a copy.
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('documents every mounted route, and mounts every documented one', () => {
    const mounted = mountedRoutes().sort();
    const documented = documentedRoutes().sort();
    expect(mounted.length).toBeGreaterThan(0);
    expect(documented).toEqual(mounted);
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the Idempotency-Key header, required where the route refuses a request without it', () => {
    const header = (path: string, method: string) =>
      ((doc.paths[path]?.[method] as unknown as { parameters?: { name: string; required: boolean }[] }).parameters ?? []).find((p) => p.name === 'Idempotency-Key');
    expect(header('/cases', 'post')?.required).toBe(true);
    expect(header('/cases/{caseId}/compensations', 'post')?.required).toBe(true);
    expect(header('/partners/{partnerCode}/accruals', 'post')?.required).toBe(false);
  });

  it('every documented operation exists on the running gateway (answers, but never "no such route")', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const concrete = path.replace(/\{[^}]+\}/g, 'x');
        const res = await fetch(`${base}${API_PREFIX}${concrete}`, { method: method.toUpperCase() });
        const body = (await res.json()) as { reason?: string };
        expect({ op: `${method} ${path}`, reason: body.reason }).not.toEqual({ op: `${method} ${path}`, reason: 'ROUTE_NOT_FOUND' });
        expect({ op: `${method} ${path}`, status: res.status }).not.toEqual({ op: `${method} ${path}`, status: 405 });
      }
    }
  });
});
