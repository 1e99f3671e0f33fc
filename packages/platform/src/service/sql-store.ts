import type { Logger } from '../logging/logger';
import { migrate } from '../stores/migrations/migrate';
import type { Migration } from '../stores/migrations/migration';
import { openSqlDb } from '../stores/pg/open-sql-db';
import type { SqlDb } from '../stores/sql';
import path from 'node:path';

export interface ServiceDbOptions {
  readonly service: string;
  /** Cluster mode: the PostgreSQL URL. Unset: embedded PGlite under `<dataDir>/<service>/pg`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  readonly migrations: readonly Migration[];
  readonly logger: Logger;
}

/** Opens the service's SQL database (pg or PGlite) and applies its numbered migrations before anything serves. */
export async function openServiceDb(options: ServiceDbOptions): Promise<SqlDb> {
  const db = await openSqlDb(
    options.url ? { url: options.url, applicationName: `csm-${options.service}` } : { dataDir: path.resolve(options.dataDir, options.service, 'pg') },
  );
  try {
    const result = await migrate(db, { service: options.service, migrations: options.migrations });
    options.logger.info({ dialect: db.dialect, applied: result.applied.map((m) => m.version), version: result.version }, 'database ready');
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** `--migrate-only`: open the database, apply the migrations (under the advisory lock), close. */
export async function migrateServiceDb(options: ServiceDbOptions): Promise<void> {
  const db = await openServiceDb(options);
  await db.close();
}
