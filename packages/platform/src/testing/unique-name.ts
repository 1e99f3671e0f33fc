import { randomBytes } from 'node:crypto';

/**
 * A name no other test run will pick: `<prefix>_<time>_<random>`, lower-case [a-z0-9_] only and at most
 * 63 characters, so it is valid as a PostgreSQL database, a Kafka topic and a MongoDB/FerretDB database.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 't';
  const suffix = `${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
  return `${clean.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}
