// Generates deploy/k8s (kustomize base + dev/prod overlays) FROM the Helm chart, so there is one source of truth:
//   node deploy/tools/gen-kustomize.mjs          rewrite deploy/k8s/{base,overlays}
//   node deploy/tools/gen-kustomize.mjs --check  exit 1 when the committed files differ from a fresh render
// The chart is rendered once per environment (values-dev.yaml, values-production.yaml). Objects identical in every
// environment go to base/; objects that differ (or exist in one environment only) go, whole, to that environment's
// overlay, listed next to ../../base in its kustomization.yaml — so `kustomize build overlays/<env>` yields exactly
// `helm template` of that environment. Helm hooks (the migration Jobs) are left out: without Helm, services apply their
// migrations at start-up (advisory-locked), see docs/operations/kubernetes.md.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const require = createRequire(import.meta.url);
const YAML = require('yaml');
const { ENVIRONMENTS, isHook, objectId, parseObjects, renderText, repoRoot } = require('./render.cjs');


const HEADER = '# GENERATED from deploy/helm/csm by deploy/tools/gen-kustomize.mjs: do not edit, change the chart and regenerate.\n';
const fileName = (o) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
const dump = (o) => HEADER + YAML.stringify(o, { lineWidth: 0, sortMapEntries: false });

/** The generated tree as a map path → content. */
export function generate() {
  const envs = Object.fromEntries(
    Object.entries(ENVIRONMENTS).map(([env, files]) => [env, new Map(parseObjects(renderText(files)).filter((o) => !isHook(o)).map((o) => [objectId(o), o]))]),
  );
  const names = Object.keys(envs);
  const allIds = [...new Set(names.flatMap((e) => [...envs[e].keys()]))].sort();
  const out = new Map();
  const baseFiles = [];
  const overlayFiles = Object.fromEntries(names.map((e) => [e, []]));
  for (const id of allIds) {
    const versions = names.map((e) => envs[e].get(id));
    const shared = versions.every((v) => v !== undefined && isDeepStrictEqual(v, versions[0]));
    if (shared) {
      const f = fileName(versions[0]);
      out.set(`base/${f}`, dump(versions[0]));
      baseFiles.push(f);
    } else {
      names.forEach((e, i) => {
        const o = versions[i];
        if (o === undefined) return;
        const f = fileName(o);
        out.set(`overlays/${e}/${f}`, dump(o));
        overlayFiles[e].push(f);
      });
    }
  }
  const kustomization = (resources) => HEADER + YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
  out.set('base/kustomization.yaml', kustomization(baseFiles));
  for (const e of names) out.set(`overlays/${e}/kustomization.yaml`, kustomization(['../../base', ...overlayFiles[e]]));
  return out;
}

function readTree(dir) {
  const out = new Map();
  const walk = (rel) => {
    const abs = path.join(dir, rel);
    for (const name of readdirSync(abs)) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  for (const top of ['base', 'overlays']) {
    try {
      statSync(path.join(dir, top));
      walk(top);
    } catch {
      /* missing: reported as differences */
    }
  }
  return out;
}

/** Differences between the committed deploy/k8s and a fresh generation (empty: in sync). */
export function diff(dir = path.join(repoRoot, 'deploy/k8s'), fresh = generate()) {
  const have = readTree(dir);
  const problems = [];
  for (const [p, content] of fresh) {
    if (!have.has(p)) problems.push(`missing ${p}`);
    else if (have.get(p) !== content) problems.push(`differs ${p}`);
  }
  for (const p of have.keys()) if (!fresh.has(p)) problems.push(`extra ${p}`);
  return problems;
}

export function write(dir = path.join(repoRoot, 'deploy/k8s'), fresh = generate()) {
  for (const top of ['base', 'overlays']) rmSync(path.join(dir, top), { recursive: true, force: true });
  for (const [p, content] of fresh) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), content);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    const problems = diff();
    if (problems.length) {
      process.stderr.write(`deploy/k8s is out of date with the chart (run: node deploy/tools/gen-kustomize.mjs):\n  ${problems.join('\n  ')}\n`);
      process.exit(1);
    }
    process.stdout.write('deploy/k8s matches the chart\n');
  } else {
    write();
    process.stdout.write('deploy/k8s regenerated from deploy/helm/csm\n');
  }
}
