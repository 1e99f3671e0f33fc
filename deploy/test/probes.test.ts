// Starts each service (the built services, embedded mode) on the ports the chart configures and runs, like the
// kubelet, exactly the startup/readiness/liveness probes the rendered production Deployment declares (port by number
// or by named container port, gRPC health service name, HTTP path). Each service runs in its own network namespace
// (`unshare -n`, root) so the chart's fixed ports never clash with anything else on the machine.
// Needs `npx turbo run build` first (it runs services/<svc>/dist).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { find, render, renderObjects, run, SERVICES } from './chart';

// Each service boots PGlite twice (its store and the bus): seconds on a quiet machine, much longer on a loaded one.
jest.setTimeout(240_000);

interface ProbeSpec {
  kind: string;
  type: 'grpc' | 'httpGet';
  port: number;
  path?: string;
  grpcService?: string;
}

const objs = renderObjects(['values-production.yaml']);

/** The probes of a service's container, with named ports resolved through its container ports. */
function chartProbes(svc: string): { probes: ProbeSpec[]; env: Record<string, string> } {
  const dep = find(objs, 'Deployment', `csm-${svc}`)!;
  const c = dep.spec.template.spec.containers[0];
  const ports = new Map<string, number>((c.ports as { name: string; containerPort: number }[]).map((p) => [p.name, p.containerPort]));
  const resolve = (p: number | string) => (typeof p === 'number' ? p : ports.get(p)!);
  const probes: ProbeSpec[] = [];
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    const p = c[kind];
    if (p.grpc) probes.push({ kind, type: 'grpc', port: resolve(p.grpc.port), grpcService: p.grpc.service ?? '' });
    else if (p.httpGet) probes.push({ kind, type: 'httpGet', port: resolve(p.httpGet.port), path: p.httpGet.path });
    else throw new Error(`${svc}: ${kind} has no grpc or httpGet action`);
  }
  // The container's listening ports come from its ConfigMap, exactly as in the cluster.
  const cm = find(objs, 'ConfigMap', `csm-${svc}-config`)!.data!;
  const env: Record<string, string> = {};
  for (const k of ['CSM_GRPC_PORT', 'CSM_METRICS_PORT', 'CSM_HTTP_PORT']) if (cm[k] !== undefined) env[k] = cm[k];
  return { probes, env };
}

describe('each service answers the probes the chart configures for it', () => {
  beforeAll(() => {
    for (const svc of SERVICES) {
      if (!existsSync(path.join(render.repoRoot, 'services', svc, 'dist/service.js'))) throw new Error(`services/${svc}/dist missing: run npx turbo run build first`);
    }
  });

  it.each(SERVICES)('%s', (svc) => {
    const { probes, env } = chartProbes(svc);
    expect(probes).toHaveLength(3);
    const spec = JSON.stringify({ service: svc, env, probes, timeoutMs: 120_000 });
    const r = run('unshare', ['-n', '--', 'sh', '-c', 'ip link set lo up && exec node deploy/test/probe-runner.cjs "$0"', spec]);
    const line = r.out.split('\n').find((l) => l.startsWith('PROBE-RESULT '));
    expect([svc, line === undefined ? r.out : 'result']).toEqual([svc, 'result']);
    const result = JSON.parse(line!.slice('PROBE-RESULT '.length)) as { error?: string; boundPort: number; results: (ProbeSpec & { ok: boolean; outcome: string })[] };
    expect(result.error).toBeUndefined();
    // The service bound the port the chart points the Service/probes at.
    expect(result.boundPort).toBe(Number(svc === 'gateway' ? env.CSM_HTTP_PORT : env.CSM_GRPC_PORT));
    for (const p of result.results) expect([p.kind, p.type, p.port, p.path ?? p.grpcService, p.outcome]).toEqual([p.kind, p.type, p.port, p.path ?? p.grpcService, p.type === 'grpc' ? 'SERVING' : 'HTTP 200']);
    expect(r.status).toBe(0);
  });
});
