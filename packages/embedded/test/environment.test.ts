import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDevIssuer } from '@csm/platform/security';
import { demoDataEnabled, demoTokenRequests, DEMO_ROLES, FIXED_GRPC_PORTS, openDevIssuer } from '../src';
import type { DemoManifest } from '../src/demo/manifest';
import { issueDemoTokens } from '../src/demo-tokens';
import { grpcPortOf, httpPortOf, sharedEnv } from '../src/environment';
import { prcResidentId } from '../src/demo/prc-id';

describe('embedded environment', () => {
  test('embedded mode is forced and cluster-only variables from the shell are dropped', () => {
    const env = sharedEnv({ CSM_MODE: 'cluster', CSM_PG_URL: 'postgres://x', CSM_MONGO_URL: 'mongodb://x', CSM_KAFKA_BROKERS: 'k:9092', CSM_GRPC_PORT: '1', CSM_LOYALTY_ADDR: 'elsewhere:1', CSM_LOG_LEVEL: 'warn' }, '/data');
    expect(env).toMatchObject({ CSM_MODE: 'embedded', CSM_DATA_DIR: '/data', CSM_GRPC_HOST: '127.0.0.1', CSM_HTTP_HOST: '127.0.0.1', CSM_LOG_LEVEL: 'warn' });
    for (const k of ['CSM_PG_URL', 'CSM_MONGO_URL', 'CSM_KAFKA_BROKERS', 'CSM_GRPC_PORT', 'CSM_LOYALTY_ADDR']) expect(env[k]).toBeUndefined();
  });

  test('fixed ports with per-service overrides; ephemeral ports ignore them', () => {
    const env = { CSM_FLIGHT_INFO_GRPC_PORT: '60054', CSM_HTTP_PORT: '18080' };
    expect(grpcPortOf('flight-info', 'fixed', env)).toBe('60054');
    expect(grpcPortOf('cases', 'fixed', env)).toBe(String(FIXED_GRPC_PORTS.cases));
    expect(httpPortOf('fixed', env)).toBe('18080');
    expect(httpPortOf('fixed', {})).toBe('8080');
    expect(grpcPortOf('flight-info', 'ephemeral', env)).toBe('0');
    expect(httpPortOf('ephemeral', env)).toBe('0');
  });

  test('CSM_DEMO_DATA=false (or 0/no/off) turns the demo data off; unset or true keeps it', () => {
    for (const v of ['false', 'FALSE', '0', 'no', 'off']) expect(demoDataEnabled({ CSM_DEMO_DATA: v })).toBe(false);
    for (const v of [undefined, '', 'true', '1']) expect(demoDataEnabled({ CSM_DEMO_DATA: v })).toBe(true);
  });
});

describe('demo tokens', () => {
  const demo = { demoPassengerId: 'pax_01J0000000000000000000000A', demoPartnerCode: 'DEMO' } as DemoManifest;

  test('one token per role; passenger and partner tokens name the seeded profile and partner', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csm-tokens-'));
    try {
      const issuer = await createDevIssuer();
      const { tokens, file } = await issueDemoTokens(issuer, demo, dir, 60);
      expect(Object.keys(tokens).sort()).toEqual([...DEMO_ROLES].sort());
      const verifier = issuer.verifier();
      const passenger = await verifier.verify(tokens.passenger ?? '');
      expect(passenger).toMatchObject({ roles: ['passenger'], profileId: demo.demoPassengerId });
      expect(await verifier.verify(tokens.partner ?? '')).toMatchObject({ roles: ['partner'], partnerCode: 'DEMO' });
      expect(await verifier.verify(tokens.admin ?? '')).toMatchObject({ roles: ['admin'] });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(tokens);
      expect(statSync(file).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without demo data there is no passenger or partner to name: those two are not issued', () => {
    const reqs = demoTokenRequests(undefined);
    expect(reqs.passenger).toBeUndefined();
    expect(reqs.partner).toBeUndefined();
    expect(Object.keys(reqs)).toHaveLength(DEMO_ROLES.length - 2);
  });

  test('the dev issuer key is kept in the data dir: a token from before a restart still verifies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csm-issuer-'));
    try {
      const a = await openDevIssuer(dir);
      const token = await a.issuer.issue({ sub: 'x', roles: ['analyst'] });
      const b = await openDevIssuer(dir);
      await expect(b.verifyToken(token)).resolves.toMatchObject({ subject: 'x', roles: ['analyst'] });
      expect(statSync(path.join(dir, 'dev-issuer-key.pem')).mode & 0o077).toBe(0);
      const other = await openDevIssuer(mkdtempSync(path.join(tmpdir(), 'csm-issuer-other-')));
      await expect(other.verifyToken(token)).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('demo PRC resident ids carry a valid ISO 7064 MOD 11-2 check character', () => {
  // The published example of GB 11643-1999.
  expect(prcResidentId('110105', '1949-12-31', 2).slice(0, 17)).toBe('11010519491231002');
  expect(prcResidentId('110105', '1949-12-31', 2)).toBe('11010519491231002X');
});
