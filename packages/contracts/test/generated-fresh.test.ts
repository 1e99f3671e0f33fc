// Generated code must always match proto/: `npm test` fails when someone edits a .proto and forgets `npm run gen`,
// or hand-edits src/gen. Same check as `npm run gen:check` (which CI also runs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const pkgDir = path.resolve(__dirname, '..');
const root = path.resolve(pkgDir, '..', '..');
const buf = path.join(root, 'node_modules', '.bin', 'buf');

describe('generated contracts', () => {
  it('src/gen and gen/csm.binpb are what proto/ generates today', () => {
    const result = spawnSync(process.execPath, [path.join(pkgDir, 'scripts', 'gen.mjs'), '--check'], { cwd: pkgDir, encoding: 'utf8' });
    // On failure the message lists the stale files and the command that fixes them.
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('up to date');
  }, 120_000);

  it('proto/ passes buf lint (STANDARD)', () => {
    const result = spawnSync(buf, ['lint'], { cwd: root, encoding: 'utf8' });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  }, 60_000);
});
