import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MigrationError, type Migration } from './migration';

const FILE = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

/**
 * Reads `NNN_name.sql` files from `dir` (other file types are ignored; a `.sql` file not named that way is an error,
 * since it would otherwise silently never run). Returns them sorted by version.
 */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    throw new MigrationError(`cannot read migrations directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const migrations: Migration[] = [];
  for (const file of entries.sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE.exec(file);
    if (!match) throw new MigrationError(`migration file ${path.join(dir, file)} must be named NNN_name.sql (e.g. 001_create_cases.sql)`);
    migrations.push({
      version: Number(match[1]),
      name: match[2] as string,
      sql: await readFile(path.join(dir, file), 'utf8'),
    });
  }
  return migrations.sort((a, b) => a.version - b.version);
}
