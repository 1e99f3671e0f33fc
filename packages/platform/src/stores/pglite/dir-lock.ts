import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite does not lock its data directory, and two processes opening the same one corrupt it. A sibling lock file
 * holding the owner's pid keeps a second `npm start` out; a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const abs = path.resolve(dataDir);
  mkdirSync(path.dirname(abs), { recursive: true });
  const lockPath = `${abs}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`embedded database ${abs} is in use by process ${owner} (lock file ${lockPath})`);
      }
      if (owner === process.pid) {
        throw new Error(`embedded database ${abs} is already open in this process`);
      }
      rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock embedded database ${abs} (lock file ${lockPath})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
