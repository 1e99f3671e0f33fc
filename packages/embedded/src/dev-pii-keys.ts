import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '@csm/platform/config';
import { generatePiiKey, keyRingFromEnv, type KeyRing } from '@csm/platform/security';

/**
 * Cases seals the contact details of cases without a profile with the PII key ring, which it reads from CSM_PII_KEYS
 * (cluster mode). Embedded mode without keys gets a dev key pair generated once and kept 0600 next to the cases data
 * (as the profile service does for its own), injected through the context, so anonymous intake works after `npm start`.
 */
export function casesDevKeyRing(dataDir: string, env: Env): KeyRing | undefined {
  if (env.CSM_PII_KEYS !== undefined && env.CSM_PII_KEYS.trim() !== '') return undefined; // the service reads them itself
  const file = path.join(dataDir, 'cases', 'dev-pii-keys.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ keys: `dev1:${generatePiiKey()}`, indexKeys: `idx1:${generatePiiKey()}` }), { mode: 0o600 });
  }
  const dev = JSON.parse(readFileSync(file, 'utf8')) as { keys: string; indexKeys: string };
  return keyRingFromEnv({ CSM_PII_KEYS: dev.keys, CSM_PII_INDEX_KEYS: dev.indexKeys });
}
