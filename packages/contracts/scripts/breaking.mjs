// Guards "additive within v1": compares proto/ against the commit that first published the v1 contracts
// (proto/V1_BASELINE). A removed or renumbered field, a renamed message or a changed type fails with buf's message.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const baseline = readFileSync(path.join(root, 'proto/V1_BASELINE'), 'utf8').trim();
try {
  execFileSync('git', ['cat-file', '-e', `${baseline}^{commit}`], { cwd: root, stdio: 'ignore' });
} catch {
  console.error(`proto:breaking: baseline commit ${baseline} is not in this clone's history (fetch full history: git fetch --unshallow)`);
  process.exit(2);
}
try {
  execFileSync('npx', ['buf', 'breaking', '--against', `.git#ref=${baseline}`], { cwd: root, stdio: 'inherit' });
  console.log(`proto:breaking: additive against v1 baseline ${baseline.slice(0, 12)}`);
} catch {
  console.error('proto:breaking: a v1 contract changed incompatibly (see above); add new fields/messages instead');
  process.exit(1);
}
