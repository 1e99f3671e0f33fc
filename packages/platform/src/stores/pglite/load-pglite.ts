import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';

type PgliteModule = typeof import('@electric-sql/pglite');
type NodeModuleApi = typeof import('node:module');

let loaded: PgliteModule | undefined;

/**
 * Loads PGlite lazily (services running on PostgreSQL never pay for it) through Node's own CommonJS loader.
 *
 * Why the jest branch: PGlite's CJS build still does `await import('node:module')`, `import('fs/promises')` etc.
 * internally. Under jest every `require` — even `module.createRequire` and `process.getBuiltinModule` — resolves
 * inside jest's sandbox, whose code cannot run `import()` without --experimental-vm-modules, so PGlite fails to boot
 * in any test. Evaluating in the host context reaches Node's real module loader; PGlite then runs exactly as it does
 * in production. (Its values come from the host realm, which is why both adapters parse and serialize values with
 * our own functions instead of relying on `instanceof`.)
 */
function nodeRequire(): NodeJS.Require {
  if (process.env['JEST_WORKER_ID'] !== undefined) {
    const host = runInThisContext("typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:module') : undefined") as
      | NodeModuleApi
      | undefined;
    if (!host) throw new Error('running PGlite under jest needs Node >= 20.16 (process.getBuiltinModule)');
    return host.createRequire(__filename);
  }
  return createRequire(__filename);
}

export function loadPglite(): PgliteModule {
  loaded ??= nodeRequire()('@electric-sql/pglite') as PgliteModule;
  return loaded;
}
