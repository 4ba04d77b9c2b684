// Two projects: `unit` (pure, no broker) and `integration` (real Kafka + Postgres,
// brought up once per run by libs/testing's global setup).
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@nudge/(ingest|rules|dispatch)$': '<rootDir>/services/$1/src/app.ts',
    // A lib's test doubles (`@nudge/channels/testing`): never part of its production build.
    '^@nudge/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^@nudge/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      // deploy/k8s/test: the Kubernetes manifests rendered and checked against the code (no broker).
      testMatch: ['<rootDir>/{libs,services,tools}/*/src/**/*.spec.ts', '<rootDir>/deploy/k8s/test/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      // `*.int-spec.ts`: one service, lib or tool against real Kafka and Postgres, beside it in
      // `test/`; `*.e2e-spec.ts`: several services driven as a user would (`e2e/`, and a few
      // beside a tool or service that bring up all three).
      testMatch: [
        '<rootDir>/{libs,services,tools}/*/test/**/*.int-spec.ts',
        '<rootDir>/{libs,services,tools}/*/test/**/*.e2e-spec.ts',
        '<rootDir>/e2e/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};
