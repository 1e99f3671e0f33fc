// How cases identifies itself to loyalty when it credits the miles of a compensation it approved: short-lived tokens
// from the identity provider (client credentials), a static token, or — with neither — the agent's own token.
import { loyalty } from '@csm/contracts';
import { unary, type GrpcServer } from '@csm/platform/grpc';
import { createClientCredentialsTokenSource } from '@csm/platform/security';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { grpcLoyalty } from '../src/app/upstream';
import { configSchema } from '../src/config';
import { fakeServer } from './support';

let loyaltySrv: GrpcServer;
let idp: Server;
let tokenUrl: string;
/** The `authorization` each Compensate call reached loyalty with. */
const seen: (string | undefined)[] = [];
let issued = 0;

beforeAll(async () => {
  loyaltySrv = await fakeServer(loyalty.LoyaltyServiceService, {
    compensate: unary(async (_req: loyalty.CompensateRequest, ctx) => {
      seen.push(ctx.authorization);
      return loyalty.CompensateResponse.fromPartial({ entry: { id: 'txn_1' } });
    }),
  });
  idp = createServer((req, res) => {
    issued += 1;
    const ok = req.headers.authorization === `Basic ${Buffer.from('cases:secret').toString('base64')}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? JSON.stringify({ access_token: `svc-${issued}`, token_type: 'Bearer', expires_in: 600 }) : '{"error":"invalid_client"}');
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/token`;
});
afterAll(async () => {
  await loyaltySrv.shutdown({ graceMs: 50 });
  await new Promise<void>((resolve) => idp.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  issued = 0;
});

const input = { passengerId: 'pax_01JD0000000000000000000001', miles: 500, caseId: 'case_1', reason: 'delay', idempotencyKey: 'k1' };

describe('cases → loyalty identity', () => {
  it('with client credentials: a token from the provider, fetched once and reused', async () => {
    const source = createClientCredentialsTokenSource({ tokenUrl, clientId: 'cases', clientSecret: 'secret' });
    const client = grpcLoyalty(`127.0.0.1:${loyaltySrv.port}`, { deadlineMs: 2_000, serviceToken: () => source.token() });
    try {
      await client.compensate(input, 'Bearer agent-token');
      await client.compensate(input, 'Bearer agent-token');
    } finally {
      client.close();
    }
    expect(seen).toEqual(['Bearer svc-1', 'Bearer svc-1']);
    expect(issued).toBe(1);
  });

  it('refused client credentials fail the credit as UNAVAILABLE (retried later), never with the agent token instead', async () => {
    const source = createClientCredentialsTokenSource({ tokenUrl, clientId: 'cases', clientSecret: 'wrong' });
    const client = grpcLoyalty(`127.0.0.1:${loyaltySrv.port}`, { deadlineMs: 2_000, serviceToken: () => source.token() });
    try {
      await expect(client.compensate(input, 'Bearer agent-token')).rejects.toMatchObject({ name: 'UnavailableError', reason: 'CLIENT_CREDENTIALS_REFUSED' });
    } finally {
      client.close();
    }
    expect(seen).toEqual([]);
  });

  it('without an identity of its own, the agent token is forwarded', async () => {
    const client = grpcLoyalty(`127.0.0.1:${loyaltySrv.port}`, { deadlineMs: 2_000 });
    try {
      await client.compensate(input, 'Bearer agent-token');
    } finally {
      client.close();
    }
    expect(seen).toEqual(['Bearer agent-token']);
  });

  it('configuration: client credentials come all three together, and not with a static token', () => {
    const base = { CSM_MODE: 'embedded' };
    const issues = (env: Record<string, string>) => {
      const r = configSchema.safeParse({ ...base, ...env });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ CSM_CASES_OAUTH_TOKEN_URL: tokenUrl })).toEqual([
      'CSM_CASES_OAUTH_CLIENT_ID: is required with the other CSM_CASES_OAUTH_* client credentials',
      'CSM_CASES_OAUTH_CLIENT_SECRET: is required with the other CSM_CASES_OAUTH_* client credentials',
    ]);
    const all = { CSM_CASES_OAUTH_TOKEN_URL: tokenUrl, CSM_CASES_OAUTH_CLIENT_ID: 'cases', CSM_CASES_OAUTH_CLIENT_SECRET: 'secret' };
    expect(issues(all)).toEqual([]);
    expect(issues({ ...all, CSM_CASES_SERVICE_TOKEN: 'jwt' })).toEqual(['CSM_CASES_SERVICE_TOKEN: set either this or the CSM_CASES_OAUTH_* client credentials, not both']);
    expect(issues({ ...all, CSM_CASES_OAUTH_TOKEN_URL: 'not a url' })[0]).toMatch(/^CSM_CASES_OAUTH_TOKEN_URL: /);
  });
});
