import { createHash } from 'node:crypto';

/** One numbered SQL migration. Applied once per service, in version order, each in its own transaction. */
export interface Migration {
  /** Positive integer; the order of application. */
  readonly version: number;
  /** Short description, e.g. `create_cases` (from `001_create_cases.sql`). */
  readonly name: string;
  /** One or more `;`-separated statements. Must be transactional (no `CREATE INDEX CONCURRENTLY`). */
  readonly sql: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** sha256 of the SQL with line endings normalized and surrounding whitespace trimmed (a Windows checkout is not a change). */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n').trim(), 'utf8').digest('hex');
}

export function label(m: Pick<Migration, 'version' | 'name'>): string {
  return `${String(m.version).padStart(3, '0')}_${m.name}`;
}

/** Checks versions and names and returns the migrations sorted by version. */
export function validateMigrations(service: string, migrations: readonly Migration[]): Migration[] {
  const seen = new Map<number, Migration>();
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw new MigrationError(`${service}: migration version must be a positive integer (got ${String(m.version)} for "${m.name}")`);
    }
    if (typeof m.name !== 'string' || m.name.trim() === '' || m.name.length > 200) {
      throw new MigrationError(`${service}: migration ${m.version} needs a name of 1-200 characters`);
    }
    if (typeof m.sql !== 'string' || m.sql.trim() === '') throw new MigrationError(`${service}: migration ${label(m)} has no SQL`);
    const dup = seen.get(m.version);
    if (dup) throw new MigrationError(`${service}: migrations ${label(dup)} and ${label(m)} share version ${m.version}`);
    seen.set(m.version, m);
  }
  return [...seen.values()].sort((a, b) => a.version - b.version);
}
