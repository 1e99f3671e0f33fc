// Offline validation of rendered manifests: every object of a multi-document YAML (files or stdin) against the
// Kubernetes OpenAPI schemas shipped in the `kubernetes-models` npm package (types, formats, enums, required fields),
// ServiceMonitor against `@kubernetes-models/prometheus-operator`, and the operator CRs we render (Strimzi Kafka,
// KafkaNodePool, KafkaTopic, CloudNativePG Cluster, MongoDBCommunity) against the structural schemas in
// ./crd-schemas.json (no npm package carries those CRDs). An unknown apiVersion/kind is an error.
// Usage: node deploy/tools/validate.mjs [file.yaml ...]   (stdin when no file). Prints one line per object; exit 1 on
// any failure. `--json` prints a machine-readable report instead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const YAML = require('yaml');
const Ajv = require('ajv');

const args = process.argv.slice(2);
const json = args.includes('--json');
const files = args.filter((a) => a !== '--json');
const text = files.length ? files.map((f) => readFileSync(f, 'utf8')).join('\n---\n') : readFileSync(0, 'utf8');

const crdSchemas = JSON.parse(readFileSync(new URL('./crd-schemas.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });

/** apiVersion → module path of the model class, or the structural schema key. */
function modulePath(apiVersion, kind) {
  if (apiVersion === 'monitoring.coreos.com/v1') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`;
  return apiVersion.includes('/') ? `kubernetes-models/${apiVersion}/${kind}` : `kubernetes-models/${apiVersion}/${kind}`;
}

async function validateOne(obj) {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return { ok: false, how: 'none', error: 'apiVersion/kind missing' };
  const crd = crdSchemas[`${apiVersion}/${kind}`];
  if (crd) {
    const ok = ajv.validate(crd, obj);
    return ok ? { ok, how: 'structural' } : { ok, how: 'structural', error: ajv.errorsText(ajv.errors) };
  }
  let Model;
  try {
    Model = (await import(modulePath(apiVersion, kind)))[kind];
  } catch {
    return { ok: false, how: 'none', error: `no schema for ${apiVersion} ${kind}` };
  }
  if (typeof Model !== 'function') return { ok: false, how: 'none', error: `no schema for ${apiVersion} ${kind}` };
  try {
    new Model(obj).validate();
    return { ok: true, how: 'openapi' };
  } catch (err) {
    return { ok: false, how: 'openapi', error: err instanceof Error ? err.message : String(err) };
  }
}

const docs = YAML.parseAllDocuments(text);
const results = [];
for (const doc of docs) {
  if (doc.errors.length) {
    results.push({ ok: false, how: 'yaml', id: '(unparsable)', error: doc.errors.map((e) => e.message).join('; ') });
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  const id = `${obj.apiVersion ?? '?'} ${obj.kind ?? '?'} ${obj.metadata?.name ?? '?'}`;
  results.push({ id, ...(await validateOne(obj)) });
}
const failed = results.filter((r) => !r.ok);
if (json) process.stdout.write(JSON.stringify({ total: results.length, failed: failed.length, results }) + '\n');
else {
  for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} [${r.how}] ${r.id}${r.ok ? '' : `: ${r.error}`}\n`);
  process.stdout.write(`${results.length - failed.length} valid, ${failed.length} invalid\n`);
}
process.exit(failed.length || results.length === 0 ? 1 : 0);
