import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { UnimplementedError } from '@csm/platform/errors';
import { createGrpcServer, unary, type GrpcServer } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import { createDevIssuer, type DevIssuer, type Role } from '@csm/platform/security';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createBackends, type BackendAddresses, type Backends } from '../../src/backends/clients';
import { createApp } from '../../src/http/app';
import { routeTable } from '../../src/routes';

/**
 * Unit-test harness for route families: a tiny gRPC server per backend that records every request it receives and
 * answers from canned handlers, and the gateway app (the real route table) in front of them.
 */
export const logger = createLogger({ service: 'test', level: 'silent' });

export interface RecordedCall {
  readonly method: string;
  readonly request: unknown;
  readonly authorization: string | undefined;
  readonly requestId: string | undefined;
  readonly idempotencyKey: string | undefined;
}

export type Answers = Record<string, (request: never) => unknown>;

export interface FakeBackend {
  readonly server: GrpcServer;
  readonly address: string;
  readonly calls: RecordedCall[];
  answers: Answers;
}

export async function fakeBackend(serviceName: string, definition: ServiceDefinition, answers: Answers = {}): Promise<FakeBackend> {
  const fake = { calls: [] as RecordedCall[], answers } as FakeBackend;
  const implementation: UntypedServiceImplementation = {};
  for (const name of Object.keys(definition)) {
    implementation[name] = unary(async (request: unknown, ctx) => {
      fake.calls.push({
        method: name,
        request,
        authorization: ctx.authorization,
        requestId: ctx.metadata.get('x-request-id')[0]?.toString(),
        idempotencyKey: ctx.metadata.get('idempotency-key')[0]?.toString(),
      });
      const answer = fake.answers[name];
      if (!answer) throw new UnimplementedError(`${name} has no canned answer`);
      return (await answer(request as never)) as object;
    });
  }
  const server = await createGrpcServer({ serviceName, logger, host: '127.0.0.1', port: 0, services: [{ definition, implementation }] });
  server.markServing();
  Object.assign(fake, { server, address: `127.0.0.1:${server.port}` });
  return fake;
}

export interface Gateway {
  readonly base: string;
  readonly issuer: DevIssuer;
  token(roles: Role[], extra?: { sub?: string; profileId?: string; partnerCode?: string; scopes?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export const NOWHERE: BackendAddresses = { profile: '127.0.0.1:1', cases: '127.0.0.1:1', loyalty: '127.0.0.1:1', 'flight-info': '127.0.0.1:1', analytics: '127.0.0.1:1' };

export async function startGateway(addresses: Partial<BackendAddresses>, options: { sectionDeadlineMs?: number; deadlineMs?: number } = {}): Promise<Gateway> {
  const issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const upstreams = { ...NOWHERE, ...addresses };
  const backends: Backends = createBackends(upstreams, { retries: 0 });
  const app = createApp({
    config: { CSM_HTTP_BODY_LIMIT_BYTES: 256 * 1024, CSM_RATE_LIMIT_MAX: 0, CSM_RATE_LIMIT_WINDOW_MS: 60_000, CSM_CORS_ORIGINS: [], CSM_TRUST_PROXY_HOPS: 0, CSM_UPSTREAM_DEADLINE_MS: options.deadlineMs ?? 3_000 },
    routes: routeTable({ upstreams, healthTimeoutMs: 500, sectionDeadlineMs: options.sectionDeadlineMs ?? 800 }),
    backends,
    verifyToken: (t) => verifier.verify(t),
    logger,
    isAccepting: () => true,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    issuer,
    token: (roles, extra = {}) => issuer.issue({ sub: extra.sub ?? `${roles[0] ?? 'nobody'}-1`, roles, ...extra }),
    close: async () => {
      backends.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly contentType: string;
  readonly disposition: string;
}

export async function send(gw: Gateway, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${gw.base}${path}`, { method: method.toUpperCase(), headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  // Non-JSON answers (CSV exports) come back as { text }.
  const body = !text ? {} : /json/.test(contentType) ? (JSON.parse(text) as Record<string, unknown>) : { text };
  return { status: res.status, body, contentType, disposition: res.headers.get('content-disposition') ?? '' };
}

/** The field names of a problem's violations. */
export function fields(a: Answer): string[] {
  expect(a.contentType).toMatch(/^application\/problem\+json/);
  return ((a.body['errors'] as { field: string }[] | undefined) ?? []).map((e) => e.field);
}
