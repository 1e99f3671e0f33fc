import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VerifyToken } from '@csm/platform/grpc';
import { createDevIssuer, type DevIssuer } from '@csm/platform/security';

export const DEV_ISSUER = 'csm-embedded-dev';
export const DEV_AUDIENCE = 'csm';
export const ISSUER_KEY_FILE = 'dev-issuer-key.pem';

/**
 * The built-in dev token issuer (embedded mode only). Its RSA key is kept in the data dir (0600), so tokens minted
 * before a restart stay valid after it. Every service verifies tokens against it, as a cluster does against the
 * airline's OIDC provider's JWKS.
 */
export async function openDevIssuer(dataDir: string): Promise<{ issuer: DevIssuer; verifyToken: VerifyToken }> {
  const keyPath = path.join(dataDir, ISSUER_KEY_FILE);
  if (!existsSync(keyPath)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // 'wx': two launchers racing on a fresh dir must not overwrite each other's key.
    try {
      writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const issuer = await createDevIssuer({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, kid: 'embedded-dev', privateKeyPem: readFileSync(keyPath, 'utf8') });
  const verifier = issuer.verifier();
  return { issuer, verifyToken: (token) => verifier.verify(token) };
}
