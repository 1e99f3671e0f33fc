// Shared jest preset: TypeScript through ts-jest (transpile only; `npm run typecheck` checks types),
// workspace packages resolved to their sources so tests never need a prior build.
const path = require('node:path');

const root = __dirname;

/** @param {'unit' | 'int'} kind */
module.exports = function preset(kind) {
  return {
    testEnvironment: 'node',
    transform: {
      '^.+\\.tsx?$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.jest.json') }],
    },
    moduleNameMapper: {
      '^@csm/(platform|contracts)$': path.join(root, 'packages/$1/src'),
      '^@csm/(platform|contracts)/(.*)$': path.join(root, 'packages/$1/src/$2'),
      // Services loaded by path (the embedded launcher): their sources, so tests need no build.
      '^@csm/(profile|cases|loyalty|flight-info|analytics|gateway)/dist/(.*)\\.js$': path.join(root, 'services/$1/src/$2'),
    },
    testMatch: kind === 'int' ? ['<rootDir>/test/**/*.int.test.ts'] : ['<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: kind === 'int' ? ['/node_modules/', '/dist/'] : ['/node_modules/', '/dist/', '\\.int\\.test\\.ts$'],
    // Real-infrastructure tests start brokers and databases: generous but bounded.
    testTimeout: kind === 'int' ? 120_000 : 20_000,
    ...(kind === 'int' ? { maxWorkers: 1, globalSetup: path.join(root, 'scripts/infra/jest-global-setup.cjs') } : {}),
  };
};
