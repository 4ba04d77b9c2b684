// Lint, run by `npm run lint` and by CI (.ci/run) before the tests; a finding fails the build.
// - typescript-eslint with type information (one program: tsconfig.json) for the promise rules;
// - the project boundaries, read from each project.json's tag: a `type:pure` lib (no I/O)
//   imports only pure libs, a `type:io` lib imports pure and io libs, an app (`type:app`)
//   imports any lib and no other app;
// - no import cycle (import-x/no-cycle; `import type` does not count, as TypeScript erases it);
// - jest's rules over the tests.
// The boundary rule reads Nx's cached project graph: `npm run lint` refreshes it first
// (`nx show projects`); without one the rule is skipped with a warning.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));
const boundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'] },
    { sourceTag: 'type:io', onlyDependOnLibsWithTags: ['type:pure', 'type:io'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:io'] },
  ],
};
const tests = ['**/*.spec.ts', '**/*.e2e-spec.ts', 'e2e/**/*.ts', '**/test/**/*.ts'];

export default tseslint.config(
  {
    // Not source: build output, caches, and the data of a running Kafka or embedded Postgres
    // (whose folders come and go while eslint walks the tree).
    ignores: [
      '**/dist/**',
      'node_modules/**',
      'deploy/kafka-local/.cache/**',
      'deploy/kafka-local/data/**',
      '.nudge/**',
      'reports/**',
      '.nx/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    // CommonJS launchers (bin scripts) are plain Node.
    files: ['**/bin/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: root } },
    plugins: { '@nx': nx, 'import-x': importX },
    settings: {
      // import-x reads .ts modules only when told (without these, no-cycle saw no TypeScript file).
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/external-module-folders': importX.flatConfigs.typescript.settings['import-x/external-module-folders'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `x as T` only (never `<T>x`); an object literal is typed by annotation, not asserted,
      // except as an argument (where an annotation has no place).
      '@typescript-eslint/consistent-type-assertions': [
        'error',
        { assertionStyle: 'as', objectLiteralTypeAssertions: 'allow-as-parameter' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@nx/enforce-module-boundaries': ['error', boundaries],
    },
  },
  {
    files: tests,
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      // A suite's beforeAll/beforeEach may assert that the stack took its fixtures.
      'jest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['beforeAll', 'beforeEach'] }],
      // Helpers that assert: `eventually` polls an expect; overridesReach (kafka) wraps it.
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*', 'eventually', 'overridesReach'] }],
      // A test's partial fake (`{ findOne } as Store`) is an asserted object literal by nature.
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'allow' }],
    },
  },
  {
    // Integration suites (`<project>/test/`) boot services: they may import the apps, the io
    // lib @nudge/testing whatever their project's tag, and their own project by its public
    // name (what they test); every other boundary holds for them.
    files: ['{libs,services,tools}/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          ...boundaries,
          allowCircularSelfDependency: true,
          allow: ['@nudge/ingest', '@nudge/rules', '@nudge/dispatch', '@nudge/testing'],
        },
      ],
    },
  },
);
