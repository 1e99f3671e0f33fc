// Lets a child process run TypeScript (test fixtures, a service's src/main.ts) without a build: `node -r <this file> x.ts`.
// Transpile-only (typescript.transpileModule, like ts-jest with isolatedModules); type checking is tsc's job.
// `@csm/platform[/area]` and `@csm/contracts[/area]` resolve to the packages' sources, as in jest's moduleNameMapper.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const repoRoot = path.resolve(__dirname, '../..');
const WORKSPACE = /^@csm\/(platform|contracts)(\/.*)?$/;

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspace(request, parent, ...rest) {
  const m = WORKSPACE.exec(request);
  const target = m ? path.join(repoRoot, 'packages', m[1], 'src', m[2] ?? '') : request;
  return originalResolve.call(this, target, parent, ...rest);
};

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
};

// Registering '.ts' also makes extension-less relative requires (`./foo`, `./dir` → index.ts) resolve to .ts files.
require.extensions['.ts'] = function compileTs(module, filename) {
  if (filename.includes(`${path.sep}node_modules${path.sep}`)) throw new Error(`refusing to transpile ${filename}`);
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

process.setSourceMapsEnabled?.(true);
