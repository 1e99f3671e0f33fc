import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

/** Runs the real entry file (src/main.ts, transpiled on load) as a process, as Kubernetes would. */
function runMain(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--require', path.join(repo, 'scripts/dev/ts-register.cjs'), path.join(__dirname, '../src/main.ts')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('cases main.ts start-up configuration', () => {
  it('stops with exit 1 and one line naming a missing required variable', () => {
    const r = runMain({ CSM_MODE: 'cluster', CSM_KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Invalid configuration: CSM_PG_URL is required\n');
    expect(r.stdout).toBe('');
  });

  it('lists every missing variable on the one line', () => {
    const r = runMain({ CSM_MODE: 'cluster' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Invalid configuration: CSM_PG_URL is required; CSM_KAFKA_BROKERS is required\n');
  });

  it('names a bad value without starting anything', () => {
    const r = runMain({ CSM_MODE: 'embedded', CSM_GRPC_PORT: '70000' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['Invalid configuration: CSM_GRPC_PORT must be a port 0-65535 (got "70000")']);
  });
});
