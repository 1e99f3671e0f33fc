import { spawnSync } from 'node:child_process';
import path from 'node:path';

describe('trace context across process boundaries', () => {
  it('a gRPC call and an HTTP request made inside a span continue its trace on the server side', () => {
    const fixtures = path.join(__dirname, 'fixtures');
    const r = spawnSync(process.execPath, ['--require', path.join(fixtures, 'ts-register.cjs'), path.join(fixtures, 'telemetry/propagation-child.ts')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { caller: string; grpc: string; http: string };
    expect(seen.caller).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.grpc).toBe(seen.caller);
    expect(seen.http).toBe(seen.caller);
  });
});
