// The chart: production values render objects that validate offline against the Kubernetes schemas, and every service
// gets probes, resources, a non-root hardened securityContext, a PDB and a NetworkPolicy; the values schema rejects
// typos; helm lint --strict passes for every values set we ship.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { find, render, renderObjects, run, SERVICES, type K8sObject } from './chart';

jest.setTimeout(120_000);

const VALUE_SETS: Record<string, string[]> = {
  default: [],
  production: ['values-production.yaml'],
  dev: ['values-dev.yaml'],
  operators: ['values-production.yaml', 'ci/operators-values.yaml'],
  minimal: ['ci/minimal-values.yaml'],
};

const validate = (yaml: string) => run('node', ['deploy/tools/validate.mjs', '--json'], { input: yaml });
/** Strict decoding into the Kubernetes Go API types (unknown fields are errors); built once by scripts/deploy/kstrict.sh. */
let kstrictBin: string | undefined;
const kstrict = (yaml: string) => {
  kstrictBin ??= run('bash', ['scripts/deploy/kstrict.sh']).out.trim().split('\n').at(-1)!;
  return run(kstrictBin, [], { input: yaml });
};

describe('rendered manifests validate offline', () => {
  for (const [name, files] of Object.entries(VALUE_SETS)) {
    it(`${name} values: helm lint --strict passes and every object validates`, () => {
      const lint = run(render.helmBin(), ['lint', '--strict', render.chartDir, ...files.flatMap((f) => ['-f', path.join(render.chartDir, f)])]);
      expect(lint.out).toContain('0 chart(s) failed');
      expect(lint.status).toBe(0);
      const yaml = render.renderText(files);
      const strict = kstrict(yaml);
      expect(strict.out).toMatch(/^\d+ strictly valid, 0 invalid/m);
      expect(strict.status).toBe(0);
      const v = validate(yaml);
      const report = JSON.parse(v.out) as { total: number; failed: number; results: { id: string; ok: boolean; how: string; error?: string }[] };
      expect(report.results.filter((r) => !r.ok)).toEqual([]);
      expect(report.total).toBeGreaterThan(10);
      expect(v.status).toBe(0);
      // Nothing escapes validation: each object is checked by a real schema (OpenAPI) or a CR structural schema.
      expect(report.results.every((r) => r.how === 'openapi' || r.how === 'structural')).toBe(true);
    });
  }

  it('the validator really rejects bad objects (wrong types, bad quantities, unknown kinds, bad CRs)', () => {
    const objs = renderObjects(['values-production.yaml', 'ci/operators-values.yaml']);
    const dep = structuredClone(find(objs, 'Deployment', 'csm-cases')!);
    dep.spec.template.spec.containers[0].ports[0].containerPort = 'fifty';
    dep.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    const topic = structuredClone(objs.find((o) => o.kind === 'KafkaTopic')!);
    topic.spec.partitions = 'twelve';
    const cluster = structuredClone(objs.find((o) => o.kind === 'Cluster')!);
    cluster.spec.instancess = 3;
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    const YAML = require('yaml') as typeof import('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
    const v = validate([dep, topic, cluster, unknown].map((o) => YAML.stringify(o)).join('---\n'));
    const report = JSON.parse(v.out) as { failed: number; results: { id: string; ok: boolean; error?: string }[] };
    expect(v.status).toBe(1);
    expect(report.failed).toBe(4);
    expect(report.results[0]!.error).toMatch(/containerPort must be integer/);
    expect(report.results[0]!.error).toMatch(/memory/);
  });

  it('strict decoding rejects a misspelled field that OpenAPI type checks let through', () => {
    const objs = renderObjects(['values-production.yaml']);
    const dep = structuredClone(find(objs, 'Deployment', 'csm-gateway')!);
    const c = dep.spec.template.spec.containers[0];
    c.livenesProbe = c.livenessProbe;
    delete c.livenessProbe;
    const YAML = require('yaml') as typeof import('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
    const r = kstrict(YAML.stringify(dep));
    expect(r.out).toMatch(/unknown field "spec.template.spec.containers\[0\].livenesProbe"/);
    expect(r.status).toBe(1);
  });
});

describe('production values: every service is hardened and observable', () => {
  const objs = renderObjects(['values-production.yaml']);

  it.each(SERVICES)('%s: probes, resources, non-root securityContext, PDB, NetworkPolicy', (svc) => {
    const name = `csm-${svc}`;
    const dep = find(objs, 'Deployment', name);
    expect(dep).toBeDefined();
    const pod = dep!.spec.template.spec;
    const [c] = pod.containers as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(c[probe]).toBeDefined();
      expect(c[probe].grpc ?? c[probe].httpGet).toBeDefined();
    }
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.requests.memory).toBeDefined();
    expect(c.resources.limits.memory).toBeDefined();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const labels = dep!.spec.selector.matchLabels as Record<string, string>;

    const pdb = find(objs, 'PodDisruptionBudget', name);
    expect(pdb?.spec.selector.matchLabels).toEqual(labels);
    expect(pdb?.spec.maxUnavailable).toBe(1);

    const np = find(objs, 'NetworkPolicy', name);
    expect(np?.spec.podSelector.matchLabels).toEqual(labels);
    expect(np?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(find(objs, 'HorizontalPodAutoscaler', name)?.spec.scaleTargetRef.name).toBe(name);
    expect(find(objs, 'Service', name)).toBeDefined();
    expect(find(objs, 'ConfigMap', `${name}-config`)?.data?.CSM_MODE).toBe('cluster');
  });

  it('default deny covers every pod; only the gateway admits traffic from the ingress controller', () => {
    const deny = find(objs, 'NetworkPolicy', 'csm-default-deny');
    expect(deny?.spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'], podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'csm' } } });
    expect(deny?.spec.ingress).toBeUndefined();
    expect(deny?.spec.egress).toBeUndefined();
    const fromIngressNs = (np: K8sObject) =>
      (np.spec.ingress ?? []).some((r: any) => (r.from ?? []).some((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx')); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const svc of SERVICES) expect([svc, fromIngressNs(find(objs, 'NetworkPolicy', `csm-${svc}`)!)]).toEqual([svc, svc === 'gateway']);
    // Backends admit gRPC only from the gateway's pods.
    const cases = find(objs, 'NetworkPolicy', 'csm-cases')!;
    expect(cases.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'csm', 'app.kubernetes.io/component': 'service' } } }]);
    // Egress: DNS, the identity provider, its own store (postgres CIDR on 5432), Kafka, the OTel collector and the two
    // services it calls.
    const egressPorts = (cases.spec.egress as any[]).map((r) => r.ports.map((p: any) => p.port)).flat(); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(egressPorts.sort()).toEqual([443, 4318, 50051, 53, 53, 5432, 9093].sort());
    const calls = (cases.spec.egress as any[]).find((r) => r.ports[0].port === 50051).to.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(calls).toEqual(['loyalty', 'flight-info']);
    expect(find(objs, 'ConfigMap', 'csm-cases-config')?.data).toMatchObject({ CSM_LOYALTY_ADDR: 'csm-loyalty:50051', CSM_FLIGHT_INFO_ADDR: 'csm-flight-info:50051' });
    // loyalty admits gRPC from cases and the gateway, nobody else.
    const loyaltyFrom = find(objs, 'NetworkPolicy', 'csm-loyalty')!.spec.ingress[0].from.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(loyaltyFrom.sort()).toEqual(['cases', 'gateway']);
    expect(JSON.stringify(cases.spec.egress)).not.toContain('27017');
    const profile = find(objs, 'NetworkPolicy', 'csm-profile')!;
    expect(JSON.stringify(profile.spec.egress)).toContain('27017');
    expect(JSON.stringify(profile.spec.egress)).not.toContain('5432');
  });

  it('every service reaches the identity provider (JWKS), narrowed to its CIDR; cases gets its own tokens there', () => {
    // Without this rule the default deny blocks the signing-key fetch, and every authenticated call fails.
    for (const svc of SERVICES) {
      const egress = find(objs, 'NetworkPolicy', `csm-${svc}`)!.spec.egress as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect([svc, egress.find((r) => r.ports.some((p: { port: number }) => p.port === 443))?.to]).toEqual([svc, [{ ipBlock: { cidr: '10.50.0.0/24' } }]]);
    }
    const env = find(objs, 'Deployment', 'csm-cases')!.spec.template.spec.containers[0].env as { name: string; valueFrom?: unknown }[];
    expect(env.find((e) => e.name === 'CSM_CASES_OAUTH_CLIENT_SECRET')?.valueFrom).toEqual({ secretKeyRef: { name: 'csm-cases-oauth-client', key: 'clientSecret' } });
    expect(env.find((e) => e.name === 'CSM_CASES_OAUTH_TOKEN_URL')?.valueFrom).toEqual({ secretKeyRef: { name: 'csm-cases-oauth-client', key: 'tokenUrl' } });
    expect(env.some((e) => e.name === 'CSM_CASES_SERVICE_TOKEN')).toBe(false);
    expect(find(objs, 'ConfigMap', 'csm-cases-config')?.data).toMatchObject({ CSM_CASES_OAUTH_CLIENT_ID: 'csm-cases' });
    // The migration Jobs still reach only DNS and their store.
    expect(JSON.stringify(find(objs, 'NetworkPolicy', 'csm-cases-migrate')!.spec.egress)).not.toContain('443');
  });

  it('secrets are referenced by name, never inlined; the ingress exposes only the gateway API', () => {
    expect(objs.some((o) => o.kind === 'Secret')).toBe(false);
    // Every service verifies callers' tokens itself, so every one gets the OIDC issuer and JWKS by reference.
    for (const d of objs.filter((o) => o.kind === 'Deployment')) {
      const env = d.spec.template.spec.containers[0].env;
      expect(env).toContainEqual({ name: 'CSM_AUTH_JWKS_URL', valueFrom: { secretKeyRef: { name: 'csm-auth-jwks', key: 'jwksUrl' } } });
      expect(env).toContainEqual({ name: 'CSM_AUTH_ISSUER', valueFrom: { secretKeyRef: { name: 'csm-auth-jwks', key: 'issuer' } } });
    }
    const profile = find(objs, 'Deployment', 'csm-profile')!.spec.template.spec.containers[0];
    expect(profile.env.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['CSM_MONGO_URL', 'CSM_KAFKA_SASL_USERNAME', 'CSM_KAFKA_SASL_PASSWORD', 'CSM_PII_KEYS', 'CSM_PII_ACTIVE_KEY']),
    );
    for (const cm of objs.filter((o) => o.kind === 'ConfigMap')) expect(Object.keys(cm.data ?? {}).filter((k) => /URL|PASSWORD|KEYS?$/.test(k) && k !== 'OTEL_EXPORTER_OTLP_ENDPOINT')).toEqual([]);
    const ing = find(objs, 'Ingress', 'csm-gateway')!;
    expect(ing.spec.rules[0].http.paths).toEqual([{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'csm-gateway', port: { name: 'http' } } } }]);
    expect(ing.spec.tls[0].secretName).toBe('csm-gateway-tls');
    expect(find(objs, 'ServiceMonitor', 'csm')?.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
  });

  it('migrations: one pre-install/pre-upgrade Job per stateful service, running the service image with --migrate-only', () => {
    const jobs = objs.filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(['csm-analytics-migrate', 'csm-cases-migrate', 'csm-flight-info-migrate', 'csm-loyalty-migrate', 'csm-profile-migrate']);
    for (const job of jobs) {
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      const c = job.spec.template.spec.containers[0];
      expect(c.args).toEqual(['--migrate-only']);
      expect(c.image).toBe(find(objs, 'Deployment', job.metadata.name.replace(/-migrate$/, ''))!.spec.template.spec.containers[0].image);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    }
  });

  it('Kafka topics: a Strimzi KafkaTopic and a .dlq twin for every domain topic', () => {
    const topics = objs.filter((o) => o.kind === 'KafkaTopic').map((t) => t.spec.topicName as string).sort();
    const domains = ['csm.analytics.v1', 'csm.cargo.v1', 'csm.cases.v1', 'csm.flight.v1', 'csm.loyalty.v1', 'csm.profile.v1'];
    expect(topics).toEqual(domains.flatMap((t) => [t, `${t}.dlq`]).sort());
  });
});

describe('values.schema.json rejects typos at template, lint and install time', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'csm-values-'));
  const bad: Record<string, string> = {
    'replicaCount: "two"': 'replicaCount: "two"\n',
    'a service replicaCount: "two"': 'services:\n  cases:\n    replicaCount: "two"\n',
    'misspelled key replicaCont': 'replicaCont: 2\n',
    'misspelled service field': 'services:\n  cases:\n    resorces: {}\n',
    'unknown service name': 'services:\n  casess:\n    enabled: true\n',
    'root filesystem made writable': 'containerSecurityContext:\n  readOnlyRootFilesystem: false\n',
    'bad memory quantity': 'defaultResources:\n  requests: { cpu: 100m, memory: lots }\n  limits: { cpu: "1", memory: 512Mi }\n',
  };
  it.each(Object.keys(bad))('%s fails helm template and helm lint --strict', (label) => {
    const file = path.join(dir, `${label.replace(/\W+/g, '_')}.yaml`);
    writeFileSync(file, bad[label]!);
    const tpl = run(render.helmBin(), ['template', 'csm', render.chartDir, '--kube-version', '1.30.0', '-f', file]);
    expect(tpl.status).not.toBe(0);
    expect(tpl.out).toMatch(/values don't meet the specifications of the schema/);
    const lint = run(render.helmBin(), ['lint', '--strict', render.chartDir, '-f', file]);
    expect(lint.status).not.toBe(0);
  });

  it('--set replicaCount=two fails too (the schema is checked on the final values)', () => {
    const tpl = run(render.helmBin(), ['template', 'csm', render.chartDir, '--kube-version', '1.30.0', '--set-string', 'replicaCount=two']);
    expect(tpl.status).not.toBe(0);
    expect(tpl.out).toMatch(/replicaCount/);
  });
});
