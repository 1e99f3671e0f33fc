import type { SqlDb, SqlTx } from '../sql';
import { loadMigrations } from './load-migrations';
import { label, migrationChecksum, MigrationError, validateMigrations, type Migration } from './migration';

export interface MigrateOptions {
  /** Owner of the migrations (one `schema_migrations` table can serve several services sharing a database). */
  service: string;
  /** The migrations, or a directory of `NNN_name.sql` files (exactly one of the two). */
  migrations?: readonly Migration[];
  dir?: string;
  /** `statement_timeout` inside migration transactions (PostgreSQL only); default 0 = none (index builds take time). */
  statementTimeoutMs?: number;
}

export interface MigrateResult {
  /** Migrations this call applied, in order. */
  applied: { version: number; name: string }[];
  /** Highest version recorded for the service afterwards (0 when none). */
  version: number;
}

export const MIGRATIONS_TABLE = 'schema_migrations';

/** Advisory-lock namespace ("CSM" in ASCII); the second key is hashtext(service), or 0 for creating the table. */
const LOCK_NAMESPACE = 0x43534d;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function lock(db: SqlDb, tx: SqlTx, key: { service: string } | 'table'): Promise<void> {
  // PGlite has one connection: nothing can run concurrently, so there is nothing to lock against.
  if (db.dialect !== 'pg') return;
  if (key === 'table') await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NAMESPACE]);
  else await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, key.service]);
}

async function execScript(tx: SqlTx, sql: string): Promise<void> {
  if (tx.exec) await tx.exec(sql);
  else await tx.query(sql);
}

/** Refuses to start when the recorded history and this build's migrations disagree. */
function verifyHistory(service: string, applied: AppliedRow[], known: Migration[]): void {
  const byVersion = new Map(known.map((m) => [m.version, m]));
  const maxKnown = known.length > 0 ? (known[known.length - 1] as Migration).version : 0;
  for (const row of applied) {
    const m = byVersion.get(row.version);
    if (!m) {
      // Newer than anything this build knows: a newer replica got there first (rolling deploy) — fine.
      if (row.version > maxKnown) continue;
      throw new MigrationError(
        `${service}: migration ${label(row)} is recorded in ${MIGRATIONS_TABLE} but missing from this build; restore it (migrations are never deleted)`,
      );
    }
    const checksum = migrationChecksum(m.sql);
    if (checksum !== row.checksum) {
      throw new MigrationError(
        `${service}: migration ${label(m)} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… recorded, ${checksum.slice(0, 12)}… now); ` +
          'revert the edit and add a new migration instead',
      );
    }
  }
}

/**
 * Applies the service's pending migrations in version order, each exactly once and in its own transaction together
 * with its `schema_migrations` row; returns what it applied. Safe with several replicas starting at once on
 * PostgreSQL: each step holds a transaction-scoped advisory lock for the service, so a replica waits for the other
 * and then finds the migration already recorded. Fails with a MigrationError (nothing of the failing migration
 * kept) when a migration's SQL fails, when an applied migration's checksum changed, when an applied one is missing,
 * or when a pending one is older than an applied one.
 */
export async function migrate(db: SqlDb, options: MigrateOptions): Promise<MigrateResult> {
  const { service } = options;
  if (typeof service !== 'string' || service.trim() === '') throw new MigrationError('migrate: service is required');
  if ((options.migrations === undefined) === (options.dir === undefined)) {
    throw new MigrationError(`${service}: migrate needs exactly one of migrations or dir`);
  }
  const known = validateMigrations(service, options.migrations ?? (await loadMigrations(options.dir as string)));
  const timeout = String(options.statementTimeoutMs ?? 0);

  await db.transaction(async (tx) => {
    await lock(db, tx, 'table');
    await execScript(
      tx,
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
         service    text        NOT NULL,
         version    integer     NOT NULL,
         name       text        NOT NULL,
         checksum   text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (service, version)
       )`,
    );
  });

  const applied: MigrateResult['applied'] = [];
  let version = 0;
  for (;;) {
    const step = await db.transaction(async (tx) => {
      if (db.dialect === 'pg') await tx.query("SELECT set_config('statement_timeout', $1, true)", [timeout]);
      await lock(db, tx, { service });
      const rows = (
        await tx.query<AppliedRow>(`SELECT version, name, checksum FROM ${MIGRATIONS_TABLE} WHERE service = $1 ORDER BY version`, [service])
      ).rows;
      verifyHistory(service, rows, known);
      const done = new Set(rows.map((r) => r.version));
      const maxApplied = rows.length > 0 ? (rows[rows.length - 1] as AppliedRow).version : 0;
      const next = known.find((m) => !done.has(m.version));
      if (!next) return { applied: undefined, maxApplied };
      if (next.version < maxApplied) {
        throw new MigrationError(
          `${service}: migration ${label(next)} is pending but version ${maxApplied} is already applied; give it a version above ${maxApplied}`,
        );
      }
      try {
        await execScript(tx, next.sql);
      } catch (err) {
        throw new MigrationError(`${service}: migration ${label(next)} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (service, version, name, checksum) VALUES ($1, $2, $3, $4)`, [
        service,
        next.version,
        next.name,
        migrationChecksum(next.sql),
      ]);
      return { applied: next, maxApplied: next.version };
    });
    version = step.maxApplied;
    if (!step.applied) break;
    applied.push({ version: step.applied.version, name: step.applied.name });
  }
  return { applied, version };
}
