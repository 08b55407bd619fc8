/** Unit specs sit beside the code; HTTP specs boot the real app on real PostgreSQL. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

// Some dependencies ship only as ES modules; swc turns them into CommonJS for jest.
const ESM_DEPS = ['content-disposition'];
const esmAware = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`node_modules/(?!.*(${ESM_DEPS.join('|')}))`],
};

module.exports = {
  testTimeout: 60000,
  // One PostgreSQL for the run (DATABASE_URL, or an embedded one); every spec makes its own database.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      ...esmAware,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      ...esmAware,
    },
  ],
};
