// deploy/k8s is generated from the chart, never hand-kept: the committed files equal a fresh generation, and each
// overlay (base + overlay resources, as `kustomize build` assembles them) equals `helm template` of its environment.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { render, run, type K8sObject } from './chart';

jest.setTimeout(60_000);
const k8sDir = path.join(render.repoRoot, 'deploy/k8s');

/** Resolves a kustomization's `resources` recursively (directories with a kustomization.yaml, or files). */
function build(dir: string): K8sObject[] {
  const YAML = require('yaml') as typeof import('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
  const k = YAML.parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
  // Only plain resource lists are generated; any other kustomize feature would need a real kustomize to assemble.
  expect(Object.keys(k).sort()).toEqual(['apiVersion', 'kind', 'resources']);
  return (k.resources as string[]).flatMap((r) =>
    r.endsWith('.yaml') ? render.parseObjects(readFileSync(path.join(dir, r), 'utf8')) : build(path.join(dir, r)),
  );
}

describe('deploy/k8s (kustomize) is generated from the chart', () => {
  it('committed base and overlays equal a fresh generation', () => {
    const r = run('node', ['deploy/tools/gen-kustomize.mjs', '--check']);
    expect(r.out).toContain('deploy/k8s matches the chart');
    expect(r.status).toBe(0);
  });

  it.each(Object.keys(render.ENVIRONMENTS))('overlay %s assembles to exactly helm template of that environment (hooks aside)', (env) => {
    const built = build(path.join(k8sDir, 'overlays', env));
    const helm = render.parseObjects(render.renderText(render.ENVIRONMENTS[env])).filter((o) => !render.isHook(o));
    const byId = (objs: K8sObject[]) => new Map(objs.map((o) => [render.objectId(o), o]));
    const b = byId(built);
    const h = byId(helm);
    expect(built.length).toBe(b.size); // no object twice (base and overlay)
    expect([...b.keys()].sort()).toEqual([...h.keys()].sort());
    for (const [id, o] of h) expect([id, isDeepStrictEqual(b.get(id), o)]).toEqual([id, true]);
  });

  it('the base holds what every environment shares, and is not empty', () => {
    const base = build(path.join(k8sDir, 'base'));
    expect(base.length).toBeGreaterThan(5);
    expect(base.map((o) => o.kind)).toEqual(expect.arrayContaining(['Service', 'ServiceAccount', 'NetworkPolicy']));
  });
});
