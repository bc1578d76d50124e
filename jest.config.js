// Three projects: fast unit tests; end-to-end tests that run the bundled action (dist/index.js, on the
// Node action.yml names, as a runner does) against the real `opencode` binary and loopback fakes; and
// those of the local command (dist/cli/, on the Node running the tests: scripts/test-nodes runs them
// under Node 20 and Node 24).
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // Type checking is `npm run build`'s (tsc over src/, __tests__/ and __fixtures__/): tests only strip the types.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }]
  }
}

export default {
  clearMocks: true,
  // Jest reads the timeout from the top level only (a project's own is ignored). Tests against the loopback
  // fake of GitHub compile its OpenAPI validator first: seconds on a busy machine. End-to-end files set their own.
  testTimeout: 30_000,
  // Jest's default on 2 cores is 1 worker; end-to-end tests mostly wait on the servers they boot.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/.ci/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/__tests__/e2e/']
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/__tests__/e2e/cli/'],
      globalSetup: '<rootDir>/__fixtures__/e2e-setup.mjs'
    },
    {
      ...shared,
      displayName: 'cli',
      testMatch: ['<rootDir>/__tests__/e2e/cli/**/*.test.ts'],
      globalSetup: '<rootDir>/__fixtures__/e2e-setup.mjs'
    }
  ]
}
