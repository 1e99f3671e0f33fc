import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@csm/platform/config';
import { generatePiiKey, keyRingFromEnv, type KeyRing } from '@csm/platform/security';
import type { Config } from '../config';

/**
 * The PII key ring: from CSM_PII_* (required in cluster mode). Embedded mode without keys generates a dev key pair
 * once and keeps it next to the embedded data (file mode 0600), so `npm start` works with nothing configured and
 * data survives restarts. Never used in cluster mode.
 */
export function profileKeyRing(config: Config): KeyRing {
  const env = {
    CSM_PII_KEYS: config.CSM_PII_KEYS,
    CSM_PII_ACTIVE_KEY: config.CSM_PII_ACTIVE_KEY,
    CSM_PII_INDEX_KEYS: config.CSM_PII_INDEX_KEYS,
    CSM_PII_ACTIVE_INDEX_KEY: config.CSM_PII_ACTIVE_INDEX_KEY,
  };
  if (config.CSM_PII_KEYS !== undefined || config.CSM_MODE === 'cluster') {
    if (config.CSM_PII_KEYS === undefined) throw new ConfigError('Invalid configuration: CSM_PII_KEYS is required in cluster mode', ['CSM_PII_KEYS']);
    if (config.CSM_PII_INDEX_KEYS === undefined) {
      throw new ConfigError('Invalid configuration: CSM_PII_INDEX_KEYS is required (blind indexes for lookups)', ['CSM_PII_INDEX_KEYS']);
    }
    return keyRingFromEnv(env);
  }
  const file = path.resolve(config.CSM_DATA_DIR, 'profile', 'dev-pii-keys.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ keys: `dev1:${generatePiiKey()}`, indexKeys: `idx1:${generatePiiKey()}` }), { mode: 0o600 });
  }
  const dev = JSON.parse(readFileSync(file, 'utf8')) as { keys: string; indexKeys: string };
  return keyRingFromEnv({ CSM_PII_KEYS: dev.keys, CSM_PII_INDEX_KEYS: dev.indexKeys });
}
