// Renders the chart with pinned settings; shared by the kustomize generator (ESM), CI's validation step and the jest
// tests in deploy/test (CommonJS), so everything checks the same render.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const YAML = require('yaml');

const repoRoot = path.resolve(__dirname, '../..');
const chartDir = path.join(repoRoot, 'deploy/helm/csm');
const RELEASE = 'csm';
const NAMESPACE = 'csm';
/** helm template has no cluster to ask: render for the oldest Kubernetes minor we support (see Chart.yaml). */
const KUBE_VERSION = '1.30.0';
/** Environments of deploy/k8s overlays and their values files (relative to the chart). */
const ENVIRONMENTS = { dev: ['values-dev.yaml'], prod: ['values-production.yaml'] };

let cachedHelm;
/** The pinned helm binary (built once by scripts/deploy/helm.sh, or $HELM). */
function helmBin() {
  if (process.env.HELM) return process.env.HELM;
  cachedHelm ??= execFileSync('bash', [path.join(repoRoot, 'scripts/deploy/helm.sh')], { encoding: 'utf8' }).trim();
  return cachedHelm;
}

/** `helm template` → YAML text. valueFiles are relative to the chart; extra are raw helm arguments. Throws on failure. */
function renderText(valueFiles = [], extra = []) {
  const args = ['template', RELEASE, chartDir, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION];
  for (const f of valueFiles) args.push('-f', path.isAbsolute(f) ? f : path.join(chartDir, f));
  return execFileSync(helmBin(), [...args, ...extra], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Parsed objects of a render (empty documents dropped). */
function parseObjects(text) {
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null && typeof o === 'object');
}

const isHook = (o) => Boolean(o.metadata && o.metadata.annotations && o.metadata.annotations['helm.sh/hook']);
const objectId = (o) => `${o.kind}/${o.metadata.name}`;

module.exports = { repoRoot, chartDir, RELEASE, NAMESPACE, KUBE_VERSION, ENVIRONMENTS, helmBin, renderText, parseObjects, isHook, objectId };
