import type { SqlDb } from '../sql';
import { createPgliteDb } from '../pglite/pglite-db';
import { redactPgUrl } from './logger';
import { createPgDb, type PgDbOptions } from './pg-db';

export interface OpenSqlDbOptions extends Partial<PgDbOptions> {
  /** Embedded mode: where PGlite keeps its files when no `url` is given; omitted → in memory. */
  dataDir?: string;
}

/**
 * The one switch between the two ways to run: with `url` (cluster) a node-postgres pool, checked with a ping so a
 * wrong URL or an unreachable server fails start-up with one clear line; without it, embedded PGlite.
 */
export async function openSqlDb(options: OpenSqlDbOptions): Promise<SqlDb> {
  if (options.url === undefined || options.url === '') {
    return createPgliteDb(options.dataDir !== undefined ? { dataDir: options.dataDir } : {});
  }
  const db = createPgDb({ ...options, url: options.url });
  try {
    await db.ping?.();
  } catch (err) {
    await db.close();
    throw new Error(`cannot reach PostgreSQL at ${redactPgUrl(options.url)}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}
