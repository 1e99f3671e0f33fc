// No Docker engine runs on these machines, so the one shared Dockerfile is linted instead: syntax and instruction
// checks of dockerfile-utils (the VS Code Docker validator), plus the policy the chart relies on — pinned base, a
// numeric non-root user, production dependencies only, no install scripts, exec-form entry that takes --migrate-only,
// and every path it copies existing for every service.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { render, SERVICES } from './chart';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate } = require('dockerfile-utils') as { validate(text: string, settings: object): { message: string; range: { start: { line: number } } }[] };

const root = render.repoRoot;
const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
/** Instructions with continuation lines joined and comments dropped. */
const instructions = text
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
const stages: { name: string; body: typeof instructions }[] = [];
for (const i of instructions) {
  if (i.op === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(i.args)?.[1] ?? '', body: [] });
  else stages.at(-1)?.body.push(i);
}

describe('Dockerfile (one pattern for every service)', () => {
  it('has no syntax or instruction problems (dockerfile-utils)', () => {
    expect(validate(text, {}).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('pins its base image to an exact version tag (or digest) and uses it for every stage', () => {
    const arg = instructions.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(arg?.args).toMatch(/^NODE_IMAGE=node:\d+\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[a-f0-9]{64})?$/);
    expect(instructions.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0])).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}', '${NODE_IMAGE}']);
    expect(text).not.toMatch(/:latest\b/);
    expect(instructions.some((i) => i.op === 'ADD')).toBe(false);
  });

  it('multi-stage: build, production-only deps, runtime as a numeric non-root user with an exec-form entry', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    const deps = stages[1]!.body.find((i) => i.op === 'RUN')!.args;
    expect(deps).toMatch(/npm ci .*--omit=dev/);
    expect(deps).toMatch(/--ignore-scripts/);
    expect(deps).toMatch(/--workspace "@csm\/\$\{SERVICE\}"/);
    expect(stages[0]!.body.find((i) => i.op === 'RUN' && i.args.startsWith('npm ci'))!.args).toMatch(/--ignore-scripts/);
    const runtime = stages[2]!.body;
    const user = runtime.filter((i) => i.op === 'USER').at(-1)!.args;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    // The chart's podSecurityContext runs as this very user.
    const values = readFileSync(path.join(render.chartDir, 'values.yaml'), 'utf8');
    expect(values).toContain(`runAsUser: ${user.split(':')[0]}`);
    expect(JSON.parse(runtime.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
    // Runtime takes only compiled output and the production node_modules.
    for (const c of runtime.filter((i) => i.op === 'COPY')) expect(c.args).toMatch(/^--from=(build|deps) /);
    for (const c of runtime.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build'))) expect(c.args).toMatch(/(package\.json|dist) \S+$/);
    expect(runtime.some((i) => i.op === 'RUN' && /rm -rf .*npm/.test(i.args))).toBe(true);
  });

  it.each(SERVICES)('%s: everything the image copies and runs exists in the repo', (svc) => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'services', svc, 'package.json'), 'utf8')) as { name: string; main: string; scripts: Record<string, string> };
    expect(pkg.name).toBe(`@csm/${svc}`);
    expect(pkg.main).toBe('dist/main.js');
    expect(pkg.scripts.build).toBeDefined();
    for (const c of instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      for (const src of c.args.split(/\s+/).slice(0, -1)) expect([src, existsSync(path.join(root, src.replace('${SERVICE}', svc)))]).toEqual([src, true]);
    }
    expect(existsSync(path.join(root, 'services', svc, 'src/main.ts'))).toBe(true);
  });

  it('.dockerignore keeps dependencies, build output, VCS and local data out of the context', () => {
    const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['**/node_modules', '**/dist', '.git', '.csm-data']) expect(ignore).toContain(p);
    for (const p of ['packages', 'services', 'package.json', 'package-lock.json']) expect(ignore).not.toContain(p);
  });
});
