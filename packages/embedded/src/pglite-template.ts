import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgliteDb } from '@csm/platform/stores';

/**
 * Fresh embedded databases start from a copy of one initialised PGlite cluster instead of six `initdb` runs: initdb
 * of the WASM PostgreSQL takes seconds of CPU each, which dominated a first `npm start` (and every test that starts
 * from an empty data dir). The template is an empty cluster — no schema, no data; each service still applies its own
 * migrations — cached per PGlite version under the OS temp dir and rebuilt when missing.
 */
export async function seedEmptyClusters(targets: readonly string[]): Promise<void> {
  const missing = targets.filter((t) => !existsSync(path.join(t, 'PG_VERSION')));
  if (missing.length === 0) return;
  const template = await ensureTemplate();
  for (const target of missing) {
    // A half-initialised directory (e.g. a crash during a previous first start) is replaced, never merged into.
    rmSync(target, { recursive: true, force: true });
    cpSync(template, target, { recursive: true });
  }
}

async function ensureTemplate(): Promise<string> {
  const template = path.join(tmpdir(), `csm-pglite-template-${pgliteVersion()}-${process.getuid?.() ?? 0}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const building = `${template}.build-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const db = await createPgliteDb({ dataDir: building });
  await db.close();
  try {
    renameSync(building, template);
  } catch (err) {
    // Another process published its template first: use that one.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(path.join(template, 'PG_VERSION'))) throw err;
  }
  return template;
}

function pgliteVersion(): string {
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
  }
  return 'unknown';
}
