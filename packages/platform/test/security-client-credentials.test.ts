import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientCredentialsTokenSource, UnavailableError } from '../src/security';

/** A token endpoint over real HTTP: records each request, answers what the test sets. */
interface Endpoint {
  url: string;
  requests: { authorization: string; contentType: string; form: URLSearchParams }[];
  answer: (n: number) => { status: number; body: string };
  server: Server;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

async function startEndpoint(): Promise<Endpoint> {
  const ep = { requests: [], answer: () => ({ status: 500, body: '' }) } as unknown as Endpoint;
  ep.server = createServer((req, res) => {
    void body(req).then((text) => {
      ep.requests.push({ authorization: req.headers.authorization ?? '', contentType: req.headers['content-type'] ?? '', form: new URLSearchParams(text) });
      const a = ep.answer(ep.requests.length);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => ep.server.listen(0, '127.0.0.1', resolve));
  ep.url = `http://127.0.0.1:${(ep.server.address() as AddressInfo).port}/oauth/token`;
  return ep;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

const token = (n: number, expiresIn = 300) => ({ status: 200, body: JSON.stringify({ access_token: `tok-${n}`, token_type: 'Bearer', expires_in: expiresIn }) });

let ep: Endpoint;
let clock: number;
beforeEach(async () => {
  ep = await startEndpoint();
  clock = 1_000_000;
});
afterEach(() => new Promise<void>((resolve) => ep.server.close(() => resolve())));

const source = (extra: Partial<Parameters<typeof createClientCredentialsTokenSource>[0]> = {}) =>
  createClientCredentialsTokenSource({ tokenUrl: ep.url, clientId: 'cases', clientSecret: 's3cr3t:x', scope: 'loyalty.compensate', audience: 'csm', now: () => clock, ...extra });

describe('client credentials token source', () => {
  it('asks with HTTP Basic and a form body, then reuses the token until shortly before it expires', async () => {
    ep.answer = (n) => token(n, 300);
    const s = source({ refreshSkewMs: 30_000 });
    expect(await s.token()).toBe('tok-1');
    const r = ep.requests[0];
    expect(r?.authorization).toBe(`Basic ${Buffer.from('cases:s3cr3t%3Ax').toString('base64')}`);
    expect(r?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(r?.form ?? [])).toEqual({ grant_type: 'client_credentials', scope: 'loyalty.compensate', audience: 'csm' });
    clock += 269_000; // 31 s before expiry
    expect(await s.token()).toBe('tok-1');
    expect(ep.requests).toHaveLength(1);
    clock += 2_000; // inside the skew: the current token at once, a new one fetched in the background
    expect(await s.token()).toBe('tok-1');
    let latest = '';
    for (let i = 0; i < 200 && latest !== 'tok-2'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      latest = await s.token();
    }
    expect(latest).toBe('tok-2');
    expect(ep.requests).toHaveLength(2);
    clock += 301_000; // expired: the caller waits for a new one
    expect(await s.token()).toBe('tok-3');
  });

  it('concurrent callers share one request to the provider', async () => {
    ep.answer = (n) => token(n);
    const s = source();
    const all = await Promise.all(Array.from({ length: 20 }, () => s.token()));
    expect(new Set(all)).toEqual(new Set(['tok-1']));
    expect(ep.requests).toHaveLength(1);
  });

  it('keeps a still-valid token when a refresh fails, and fails with UNAVAILABLE once it has expired', async () => {
    ep.answer = (n) => (n === 1 ? token(1, 120) : { status: 503, body: '{}' });
    const s = source({ refreshSkewMs: 60_000 });
    expect(await s.token()).toBe('tok-1');
    clock += 70_000; // in the refresh window, still valid: answered at once although the refresh fails
    expect(await s.token()).toBe('tok-1');
    await until(() => ep.requests.length === 2);
    expect(await s.token()).toBe('tok-1');
    clock += 60_000; // expired
    await expect(s.token()).rejects.toMatchObject({ reason: 'TOKEN_ENDPOINT_FAILED' });
    // Within the pause after a failure the provider is not asked again: the same error, at once.
    const asked = ep.requests.length;
    await expect(Promise.all(Array.from({ length: 10 }, () => s.token()))).rejects.toBeInstanceOf(UnavailableError);
    expect(ep.requests).toHaveLength(asked);
    ep.answer = (n) => token(n);
    clock += 1_000;
    expect(await s.token()).toMatch(/^tok-/); // recovers once the pause is over and the provider answers
  });

  it('refused credentials, a non-JSON or token-less answer and an unreachable endpoint fail without the secret in the error', async () => {
    const cases: [{ status: number; body: string }, string][] = [
      [{ status: 401, body: '{"error":"invalid_client"}' }, 'CLIENT_CREDENTIALS_REFUSED'],
      [{ status: 200, body: 'not json' }, 'TOKEN_RESPONSE_INVALID'],
      [{ status: 200, body: '{"token_type":"Bearer"}' }, 'TOKEN_RESPONSE_INVALID'],
      [{ status: 200, body: '{"access_token":"x","token_type":"mac"}' }, 'TOKEN_RESPONSE_INVALID'],
    ];
    for (const [answer, reason] of cases) {
      ep.answer = () => answer;
      const err = (await source()
        .token()
        .catch((e: unknown) => e)) as UnavailableError;
      expect(err).toBeInstanceOf(UnavailableError);
      expect(err.reason).toBe(reason);
      expect(`${err.message} ${JSON.stringify(err)}`).not.toMatch(/s3cr3t/);
    }
    const gone = createClientCredentialsTokenSource({ tokenUrl: 'http://127.0.0.1:1/token', clientId: 'cases', clientSecret: 's3cr3t', timeoutMs: 1_000 });
    await expect(gone.token()).rejects.toMatchObject({ reason: 'TOKEN_ENDPOINT_UNREACHABLE' });
  });

  it('assumes a short lifetime when the provider sends no expires_in', async () => {
    ep.answer = (n) => ({ status: 200, body: JSON.stringify({ access_token: `tok-${n}`, token_type: 'bearer' }) });
    const s = source({ defaultLifetimeMs: 10_000, refreshSkewMs: 60_000 });
    expect(await s.token()).toBe('tok-1');
    clock += 4_000; // skew is capped at half the lifetime: 5 s
    expect(await s.token()).toBe('tok-1');
    expect(ep.requests).toHaveLength(1);
    clock += 7_000; // expired
    expect(await s.token()).toBe('tok-2');
  });
});
