import type { Logger } from './logger';
import { redactDeep } from './redaction';

/**
 * Logs the resolved configuration once at start-up (`msg: "configuration"`), secrets replaced: keys named in
 * `secretKeys` (bare names at any depth or dotted paths), keys that look secret, and passwords embedded in URLs.
 */
export function logConfig(logger: Logger, config: object, secretKeys: readonly string[] = []): void {
  logger.info({ config: redactDeep(config, secretKeys) }, 'configuration');
}
