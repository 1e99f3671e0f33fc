#!/usr/bin/env node
// Regenerates everything derived from proto/ (run from any directory):
//   node scripts/gen.mjs          clean src/gen, `buf generate`, `buf build` -> gen/csm.binpb
//   node scripts/gen.mjs --check  regenerate into a temp dir and diff against the committed
//                                 output; exit 1 naming the stale files (CI and the unit test)
// buf and ts-proto come from the root node_modules (offline, versions pinned by the lockfile).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..');
const root = path.resolve(pkgDir, '..', '..');
const buf = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'buf.cmd' : 'buf');
// Must match buf.gen.yaml's `out` (relative to the repo root).
const GEN_REL = path.join('packages', 'contracts', 'src', 'gen');
const DESCRIPTOR_REL = path.join('packages', 'contracts', 'gen', 'csm.binpb');

function run(args) {
  // buf resolves the local plugin path (./node_modules/.bin/...) against the cwd.
  execFileSync(buf, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Writes src/gen and the descriptor set under `base` (the repo root, or a temp mirror of it). */
function generate(base) {
  rmSync(path.join(base, GEN_REL), { recursive: true, force: true });
  mkdirSync(path.dirname(path.join(base, DESCRIPTOR_REL)), { recursive: true });
  run(base === root ? ['generate'] : ['generate', '--output', base]);
  run(['build', '--as-file-descriptor-set', '--exclude-source-info', '--output', path.join(base, DESCRIPTOR_REL)]);
}

function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/** Relative paths (from the repo root) whose committed content differs from a fresh generation. */
function staleFiles(fresh) {
  const stale = [];
  const committed = new Set(listFiles(path.join(root, GEN_REL)));
  const regenerated = new Set(listFiles(path.join(fresh, GEN_REL)));
  for (const f of new Set([...committed, ...regenerated])) {
    const rel = path.join(GEN_REL, f);
    if (!committed.has(f)) stale.push(`${rel} (missing)`);
    else if (!regenerated.has(f)) stale.push(`${rel} (no longer generated)`);
    else if (!readFileSync(path.join(root, rel)).equals(readFileSync(path.join(fresh, rel)))) stale.push(`${rel} (differs)`);
  }
  const committedDescriptor = path.join(root, DESCRIPTOR_REL);
  if (!existsSync(committedDescriptor)) stale.push(`${DESCRIPTOR_REL} (missing)`);
  else if (!readFileSync(committedDescriptor).equals(readFileSync(path.join(fresh, DESCRIPTOR_REL)))) stale.push(`${DESCRIPTOR_REL} (differs)`);
  return stale;
}

if (process.argv.includes('--check')) {
  const fresh = mkdtempSync(path.join(tmpdir(), 'csm-contracts-gen-'));
  try {
    generate(fresh);
    const stale = staleFiles(fresh);
    if (stale.length > 0) {
      console.error(`contracts: generated code is stale (${stale.length} file(s)); run "npm run gen -w @csm/contracts" and commit:`);
      for (const s of stale) console.error(`  ${s}`);
      process.exit(1);
    }
    console.log('contracts: generated code is up to date');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} else {
  generate(root);
  console.log(`contracts: regenerated ${GEN_REL} and ${DESCRIPTOR_REL}`);
}
