// Typed access to deploy/tools/render.cjs (the one render every check shares) for the jest tests.
import path from 'node:path';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered manifests, asserted field by field
  data?: Record<string, string>;
}

interface RenderModule {
  repoRoot: string;
  chartDir: string;
  ENVIRONMENTS: Record<string, string[]>;
  helmBin(): string;
  renderText(valueFiles?: string[], extra?: string[]): string;
  parseObjects(text: string): K8sObject[];
  isHook(o: K8sObject): boolean;
  objectId(o: K8sObject): string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS shared with the ESM generator
export const render = require(path.join(__dirname, '../tools/render.cjs')) as RenderModule;

export const SERVICES = ['gateway', 'profile', 'cases', 'loyalty', 'flight-info', 'analytics'] as const;

export function renderObjects(valueFiles: string[] = [], extra: string[] = []): K8sObject[] {
  return render.parseObjects(render.renderText(valueFiles, extra));
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** Runs a command and returns its exit status and output, never throwing. */
export function run(cmd: string, args: string[], options: { input?: string } = {}): { status: number; out: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: options.input, cwd: render.repoRoot, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
