import { createLogger } from '@csm/platform/logging';
import { createDevIssuer, type DevIssuer } from '@csm/platform/security';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import { createBackends } from '../src/backends/clients';
import { createServer } from 'node:http';
import { createApp } from '../src/http/app';
import { answerClientErrors } from '../src/http/client-error';
import { route, type AnyRoute } from '../src/http/route';

// The framework on its own: a small route table with handlers that answer locally, so every cross-cutting behaviour
// (auth, validation, problems, limits, headers, ids) is asserted without any backend.
const logger = createLogger({ service: 'test', level: 'silent' });
const seen: unknown[] = [];
const routes: AnyRoute[] = [
  route({
    method: 'post',
    path: '/things/{thingId}',
    operationId: 'createThing',
    summary: 'test',
    tag: 'test',
    access: { roles: ['agent_l1'], passengerSelf: { param: 'thingId' } },
    params: z.strictObject({ thingId: z.string().regex(/^t_[a-z]{3}$/) }),
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).optional() }),
    body: z.strictObject({ name: z.string().min(1).max(10), count: z.number().int().min(0), kind: z.enum(['A', 'B']) }),
    idempotent: true,
    successStatus: 201,
    handler: async (input) => {
      seen.push({ body: input.body, key: input.idempotencyKey, requestId: input.call.metadata?.get('x-request-id')[0], auth: input.call.authorization !== undefined });
      return { body: { ok: true } };
    },
  }),
  route({ method: 'get', path: '/open', operationId: 'open', summary: 'test', tag: 'test', access: 'public', handler: async () => ({ body: { open: true } }) }),
];

let issuer: DevIssuer;
let server: Server;
let base: string;
let agent: string;

beforeAll(async () => {
  issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const app = createApp({
    config: { CSM_HTTP_BODY_LIMIT_BYTES: 1024, CSM_RATE_LIMIT_MAX: 30, CSM_RATE_LIMIT_WINDOW_MS: 60_000, CSM_CORS_ORIGINS: ['https://desk.example'], CSM_TRUST_PROXY_HOPS: 0, CSM_UPSTREAM_DEADLINE_MS: 1000 },
    routes,
    backends: createBackends({ profile: '127.0.0.1:1', cases: '127.0.0.1:1', loyalty: '127.0.0.1:1', 'flight-info': '127.0.0.1:1', analytics: '127.0.0.1:1' }),
    verifyToken: (t) => verifier.verify(t),
    logger,
    isAccepting: () => true,
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  agent = await issuer.issue({ sub: 'agent-1', roles: ['agent_l1'] });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}`, ...headers } });

async function problem(res: Response): Promise<{ status: number; errors: { field: string; rule?: string }[]; reason: string; requestId: string }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as never;
}

describe('gateway HTTP framework', () => {
  it('passes a valid request to the handler with the idempotency key, request id and caller token', async () => {
    seen.length = 0;
    const res = await post('/things/t_abc', JSON.stringify({ name: 'x', count: 1, kind: 'A' }), { 'idempotency-key': 'key-12345678', 'x-request-id': 'req-1' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(seen).toEqual([{ body: { name: 'x', count: 1, kind: 'A' }, key: 'key-12345678', requestId: 'req-1', auth: true }]);
  });

  it('names every bad field of path, query and body in one 400, and never calls the handler', async () => {
    seen.length = 0;
    const res = await post('/things/BAD?dryRun=maybe&extra=1', JSON.stringify({ name: '', count: -1.5, kind: 'C', evil: '$where' }));
    expect(res.status).toBe(400);
    const p = await problem(res);
    expect(p.errors.map((e) => e.field).sort()).toEqual(['body.count', 'body.evil', 'body.kind', 'body.name', 'path.thingId', 'query.dryRun', 'query.extra'].sort());
    expect(p.errors.find((e) => e.field === 'body.kind')?.rule).toBe('ENUM');
    expect(seen).toEqual([]);
  });

  it('refuses NUL characters anywhere in the input, naming each field (no store can keep them)', async () => {
    seen.length = 0;
    const res = await post('/things/t_abc?dryRun=%00', JSON.stringify({ name: 'a\u0000', count: 1, kind: 'A' }));
    expect(res.status).toBe(400);
    const p = await problem(res);
    expect(p.errors.filter((e) => e.rule === 'CHARACTERS').map((e) => e.field).sort()).toEqual(['body.name', 'query.dryRun']);
    expect(seen).toEqual([]);
  });

  it('answers malformed JSON, a missing body and an oversize body with problems naming the body', async () => {
    const malformed = await post('/things/t_abc', '{"name": ');
    expect(malformed.status).toBe(400);
    expect((await problem(malformed)).errors[0]?.field).toBe('body');
    const missing = await fetch(`${base}/things/t_abc`, { method: 'POST', headers: { authorization: `Bearer ${agent}` } });
    expect(missing.status).toBe(400);
    expect((await problem(missing)).errors.map((e) => e.field)).toContain('body');
    const big = await post('/things/t_abc', JSON.stringify({ name: 'x'.repeat(5000), count: 1, kind: 'A' }));
    expect(big.status).toBe(413);
    expect((await problem(big)).errors[0]?.field).toBe('body');
    const badKey = await post('/things/t_abc', JSON.stringify({ name: 'x', count: 1, kind: 'A' }), { 'idempotency-key': 'no spaces allowed' });
    expect((await problem(badKey)).errors[0]?.field).toBe('header.idempotency-key');
  });

  it('401 without or with an invalid token, 403 for a wrong role, 403 for a passenger on someone else', async () => {
    const anon = await fetch(`${base}/things/t_abc`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await problem(anon)).errors[0]?.field).toBe('header.authorization');
    const forged = await post('/things/t_abc', '{}', { authorization: `Bearer ${agent.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    const analyst = await issuer.issue({ sub: 'a', roles: ['analyst'] });
    expect((await post('/things/t_abc', '{}', { authorization: `Bearer ${analyst}` })).status).toBe(403);
    const pax = await issuer.issue({ sub: 'p', roles: ['passenger'], profileId: 't_abc' });
    const body = JSON.stringify({ name: 'x', count: 1, kind: 'A' });
    expect((await post('/things/t_abc', body, { authorization: `Bearer ${pax}` })).status).toBe(201);
    expect((await post('/things/t_xyz', body, { authorization: `Bearer ${pax}` })).status).toBe(403);
  });

  it('404 and 405 are problems too; public routes need no token', async () => {
    const unknown = await fetch(`${base}/nope`);
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).errors[0]?.field).toBe('path');
    const wrongMethod = await fetch(`${base}/open`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await (await fetch(`${base}/open`)).json()).toEqual({ open: true });
  });

  it('sets security headers, answers CORS only for configured origins, and makes up a request id when none is safe', async () => {
    const res = await fetch(`${base}/open`, { headers: { origin: 'https://desk.example', 'x-request-id': 'bad id with spaces' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://desk.example');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const other = await fetch(`${base}/open`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rate-limits per client with 429, Retry-After and a problem; another client is unaffected', async () => {
    const hog = await issuer.issue({ sub: 'hog', roles: ['agent_l1'] });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) statuses.push((await fetch(`${base}/open`, { headers: { authorization: `Bearer ${hog}` } })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await fetch(`${base}/open`, { headers: { authorization: `Bearer ${hog}` } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await problem(limited)).reason).toBe('RATE_LIMITED');
    expect((await fetch(`${base}/open`, { headers: { authorization: `Bearer ${agent}` } })).status).toBe(200);
  });
});

describe('requests Node rejects before express', () => {
  it('answers oversize headers with a 431 problem naming the headers', async () => {
    const s = createServer((_req, res) => res.end('ok'));
    answerClientErrors(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`, { headers: { 'x-big': 'x'.repeat(40_000) } });
      expect(res.status).toBe(431);
      const p = await problem(res);
      expect(p.errors[0]?.field).toBe('header');
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
});
