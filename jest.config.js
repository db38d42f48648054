// Three projects: unit specs beside the code, e2e specs against the sandbox over HTTP,
// and the slower reliability suite that spawns real processes.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const common = { transform, testEnvironment: 'node', setupFiles: ['<rootDir>/test/setup-env.js'] };

module.exports = {
  // Jest exits on its own: every spec closes what it opens (gateways, Redis clients, sandboxes,
  // timers) and `npx jest --detectOpenHandles` stays clean; a leak must show, not be cut off.
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  // Starting a gateway with its sandbox takes about a second alone and several on a busy 2-core
  // machine: 5 s (Jest's default) turned load into failures of hooks that assert nothing timed.
  testTimeout: 20_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    {
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'],
    },
  ],
};
