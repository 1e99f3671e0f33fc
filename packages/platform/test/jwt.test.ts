import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportPKCS8, exportSPKI, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { bearerToken, createDevIssuer, createJwtVerifier, UnauthenticatedError, UnavailableError, type DevIssuer, type JwtVerifier } from '../src/security';

let dev: DevIssuer;
let verifier: JwtVerifier;

beforeAll(async () => {
  dev = await createDevIssuer({ issuer: 'https://id.example.test/realms/csm', audience: 'csm-api' });
  verifier = createJwtVerifier({ issuer: dev.issuer, audience: dev.audience, jwks: dev.jwks, clockToleranceSec: 5, algorithms: ['RS256', 'ES256'] });
});

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UnauthenticatedError) return err.reason;
    if (err instanceof UnavailableError) return `unavailable:${err.reason}`;
    throw err;
  }
  throw new Error('expected an UnauthenticatedError');
}

function b64url(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

describe('JWT verification', () => {
  it('maps a valid token to a Principal', async () => {
    const token = await dev.issue({ sub: 'agent-42', roles: ['agent_l2', 'supervisor'], scopes: ['pii:read', 'cases:write'] });
    await expect(verifier.verify(token)).resolves.toEqual({
      subject: 'agent-42',
      roles: ['agent_l2', 'supervisor'],
      scopes: ['pii:read', 'cases:write'],
    });
  });

  it('carries partner_code and profile_id', async () => {
    const partner = await verifier.verify(await dev.issue({ sub: 'partner-hotel', roles: ['partner'], partnerCode: 'HTL01' }));
    expect(partner).toEqual({ subject: 'partner-hotel', roles: ['partner'], scopes: [], partnerCode: 'HTL01' });
    const pax = await verifier.verify(await dev.issue({ sub: 'u1', roles: ['passenger'], profileId: 'pax_01J0' }));
    expect(pax.profileId).toBe('pax_01J0');
  });

  it('reads Keycloak realm roles and scp scopes (array or string)', async () => {
    const t1 = await dev.issue({ sub: 's', claims: { roles: undefined, realm_access: { roles: ['analyst'] }, scp: ['reports:read'] } });
    expect(await verifier.verify(t1)).toMatchObject({ roles: ['analyst'], scopes: ['reports:read'] });
    const t2 = await dev.issue({ sub: 's', roles: ['ops'], scopes: ['a'], claims: { scp: 'b c' } });
    expect(await verifier.verify(t2)).toMatchObject({ roles: ['ops'], scopes: ['a', 'b', 'c'] });
  });

  it('uses a configured roles claim', async () => {
    // A namespaced claim (dots in its name) is read as-is; the default claims are then not consulted.
    const v = dev.verifier({ rolesClaim: 'https://csm.example/roles' });
    const t = await dev.issue({ sub: 's', roles: ['ops'], claims: { 'https://csm.example/roles': ['admin'] } });
    expect((await v.verify(t)).roles).toEqual(['admin']);
    // A dotted path reaches into nested objects (Keycloak client roles).
    const v2 = dev.verifier({ rolesClaim: ['resource_access.csm-api.roles'] });
    const t2 = await dev.issue({ sub: 's', claims: { resource_access: { 'csm-api': { roles: ['analyst'] } } } });
    expect((await v2.verify(t2)).roles).toEqual(['analyst']);
  });

  it('rejects unknown roles unless told to ignore them', async () => {
    const t = await dev.issue({ sub: 's', claims: { realm_access: { roles: ['agent_l1', 'offline_access'] } } });
    expect(await rejection(verifier.verify(t))).toBe('UNKNOWN_ROLE');
    expect((await dev.verifier({ unknownRoles: 'ignore' }).verify(t)).roles).toEqual(['agent_l1']);
  });

  it('rejects inconsistent identity claims', async () => {
    expect(await rejection(verifier.verify(await dev.issue({ sub: 'p', roles: ['partner'] })))).toBe('BAD_CLAIMS');
    expect(await rejection(verifier.verify(await dev.issue({ sub: 'p', roles: ['passenger'] })))).toBe('BAD_CLAIMS');
    expect(await rejection(verifier.verify(await dev.issue({ sub: 'p', claims: { roles: 'agent_l1', scope: 42 } })))).toBe('BAD_CLAIMS');
  });

  it('rejects an expired token (beyond the clock tolerance) and accepts one inside it', async () => {
    expect(await rejection(verifier.verify(await dev.issue({ sub: 's', ttlSec: -60 })))).toBe('TOKEN_EXPIRED');
    await expect(verifier.verify(await dev.issue({ sub: 's', ttlSec: -2 }))).resolves.toMatchObject({ subject: 's' });
  });

  it('rejects a token not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(verifier.verify(await dev.issue({ sub: 's', claims: { nbf: now + 600 } })))).toBe('TOKEN_NOT_YET_VALID');
  });

  it('rejects the wrong audience and the wrong issuer', async () => {
    expect(await rejection(verifier.verify(await dev.issue({ sub: 's', audience: 'another-api' })))).toBe('WRONG_AUDIENCE');
    expect(await rejection(verifier.verify(await dev.issue({ sub: 's', issuer: 'https://evil.example' })))).toBe('WRONG_ISSUER');
  });

  it('rejects a token signed by another key, even with the same kid', async () => {
    const impostor = await createDevIssuer({ issuer: dev.issuer, audience: dev.audience, kid: dev.kid });
    expect(await rejection(verifier.verify(await impostor.issue({ sub: 's', roles: ['admin'] })))).toBe('BAD_SIGNATURE');
    const otherKid = await createDevIssuer({ issuer: dev.issuer, audience: dev.audience });
    expect(await rejection(verifier.verify(await otherKid.issue({ sub: 's' })))).toBe('UNKNOWN_SIGNING_KEY');
  });

  it('rejects a tampered payload', async () => {
    const [h, , s] = (await dev.issue({ sub: 'agent', roles: ['agent_l1'] })).split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged = b64url({ sub: 'agent', roles: ['admin'], iss: dev.issuer, aud: dev.audience, iat: now, exp: now + 60 });
    expect(await rejection(verifier.verify(`${h}.${forged}.${s}`))).toBe('BAD_SIGNATURE');
  });

  it('rejects alg "none" and HS256 signed with the public key (algorithm confusion)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: 'x', roles: ['admin'], iss: dev.issuer, aud: dev.audience, iat: now, exp: now + 60 };
    expect(await rejection(verifier.verify(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`))).toBe('ALG_NOT_ALLOWED');

    const pubJwk = dev.jwks.keys[0];
    const secret = new TextEncoder().encode(JSON.stringify(pubJwk));
    const hs = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: dev.kid }).sign(secret);
    expect(await rejection(verifier.verify(hs))).toBe('ALG_NOT_ALLOWED');
  });

  it('requires exp and sub', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const v = createJwtVerifier({ issuer: 'i', audience: 'a', publicKeyPem: await exportSPKI(publicKey), algorithms: ['ES256'] });
    const noExp = await new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'ES256' }).setSubject('s').setIssuer('i').setAudience('a').setIssuedAt().sign(privateKey);
    expect(await rejection(v.verify(noExp))).toBe('BAD_CLAIMS');
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer('i').setAudience('a').setExpirationTime('5m').sign(privateKey);
    expect(await rejection(v.verify(noSub))).toBe('BAD_CLAIMS');
    const ok = await new SignJWT({ scope: 'x' }).setProtectedHeader({ alg: 'ES256' }).setSubject('svc').setIssuer('i').setAudience('a').setExpirationTime('5m').sign(privateKey);
    await expect(v.verify(ok)).resolves.toEqual({ subject: 'svc', roles: [], scopes: ['x'] });
  });

  it('rejects garbage and empty tokens', async () => {
    expect(await rejection(verifier.verify(''))).toBe('MISSING_TOKEN');
    expect(await rejection(verifier.verify('not.a.jwt'))).toBe('MALFORMED_TOKEN');
    expect(await rejection(verifier.verify('x'.repeat(20_000)))).toBe('MALFORMED_TOKEN');
  });

  it('validates its own configuration', async () => {
    expect(() => createJwtVerifier({ issuer: 'i', audience: 'a' })).toThrow(/exactly one key source/);
    expect(() => createJwtVerifier({ issuer: 'i', audience: 'a', jwks: dev.jwks, jwksUrl: 'http://x' })).toThrow(/exactly one key source/);
    const { publicKey } = await generateKeyPair('ES256');
    expect(() => createJwtVerifier({ issuer: 'i', audience: 'a', publicKeyPem: 'garbage' })).toThrow();
    const pem = await exportSPKI(publicKey);
    expect(() => createJwtVerifier({ issuer: 'i', audience: 'a', publicKeyPem: pem, algorithms: ['RS256'] })).toThrow(/ec key/);
  });

  it('parses Authorization headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc.def.ghi ')).toBe('abc.def.ghi');
    expect(() => bearerToken(undefined)).toThrow(UnauthenticatedError);
    expect(() => bearerToken('Basic dXNlcjpwYXNz')).toThrow(UnauthenticatedError);
  });

  it('dev issuer keeps its key across restarts when given the PEM', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const a = await createDevIssuer({ privateKeyPem: pem, kid: 'dev-1' });
    const b = await createDevIssuer({ privateKeyPem: pem, kid: 'dev-1' });
    await expect(b.verifier().verify(await a.issue({ sub: 's', roles: ['ops'] }))).resolves.toMatchObject({ roles: ['ops'] });
  });
});

describe('remote JWKS', () => {
  let server: Server;
  let url: string;
  let served: JSONWebKeySet;
  let fetches = 0;

  beforeAll(async () => {
    served = dev.jwks;
    server = createServer((req, res) => {
      if (req.url !== '/jwks') {
        res.writeHead(404).end();
        return;
      }
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches once, caches, and refetches for a new kid (key rotation at the IdP)', async () => {
    const v = createJwtVerifier({ issuer: dev.issuer, audience: dev.audience, jwksUrl: url, clockToleranceSec: 5, algorithms: ['RS256'], remoteJwks: { cooldownMs: 0 } });
    fetches = 0;
    await expect(v.verify(await dev.issue({ sub: 'a', roles: ['agent_l1'] }))).resolves.toMatchObject({ subject: 'a' });
    await expect(v.verify(await dev.issue({ sub: 'b' }))).resolves.toMatchObject({ subject: 'b' });
    expect(fetches).toBe(1);

    const rotated = await createDevIssuer({ issuer: dev.issuer, audience: dev.audience });
    served = { keys: [...rotated.jwks.keys, ...dev.jwks.keys] };
    await expect(v.verify(await rotated.issue({ sub: 'c' }))).resolves.toMatchObject({ subject: 'c' });
    expect(fetches).toBe(2);
    served = dev.jwks;
  });

  it('reports an unreachable JWKS endpoint as UnavailableError (503), not as a bad token', async () => {
    const v = createJwtVerifier({ issuer: dev.issuer, audience: dev.audience, jwksUrl: url.replace('/jwks', '/missing') });
    expect(await rejection(v.verify(await dev.issue({ sub: 'a' })))).toBe('unavailable:JWKS_UNAVAILABLE');
    // Nothing listening at all.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = createJwtVerifier({ issuer: dev.issuer, audience: dev.audience, jwksUrl: deadUrl });
    expect(await rejection(dead.verify(await dev.issue({ sub: 'a' })))).toBe('unavailable:JWKS_UNAVAILABLE');
  });
});
