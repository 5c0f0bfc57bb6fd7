import tseslint from 'typescript-eslint';

const noClient = { group: ['**/client/**'], message: 'server and shared code must not import the client' };
/** The web layer: Fastify, its plugins, our routes and sockets. */
const noWebLayer = {
  group: ['fastify', 'fastify-plugin', '@fastify/*', '**/http/**', '**/ws/**', '**/plugin', '**/plugin.ts'],
  message: 'rooms, storage and feature services know nothing of HTTP: throw AppError (server/src/errors.ts), log through Logger (server/src/log.ts)',
};
const dateStyle = 'write dates and times with ui/When (When, Day, formatDateTime, formatDate, formatTime, formatDay): one date style in the whole UI';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/node_modules/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [noClient] }],
    },
  },
  {
    // Type-aware rules over everything tsconfig.json covers: a promise nobody awaits or
    // handles loses its error (and, in a test, the failure it should have reported).
    files: ['shared/src/**/*.ts', 'server/src/**/*.ts', 'client/src/**/*.{ts,tsx}', 'tests/**/*.ts', 'scripts/*.ts', 'bench/*.ts', '*.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The core and every feature's service: only a feature's plugin.ts (and its schemas) speak HTTP.
    files: ['server/src/rooms/**', 'server/src/storage/**', 'server/src/records/**', 'server/src/documents/**', 'server/src/features/**', 'server/src/errors.ts', 'server/src/log.ts'],
    ignores: ['server/src/features/**/plugin.ts', 'server/src/features/**/schemas.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noClient, noWebLayer] }],
    },
  },
  {
    files: ['client/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**'], message: 'the client talks to the server over HTTP and websockets only' }] }],
    },
  },
  {
    // One date style in the UI: a date or time is written by ui/When, never by the browser's own format.
    files: ['client/src/**'],
    ignores: ['client/src/ui/When.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]", message: dateStyle },
        { selector: "CallExpression[callee.property.name='toLocaleString'][callee.object.callee.name='Date']", message: dateStyle },
        { selector: "MemberExpression[object.name='Intl'][property.name='DateTimeFormat']", message: dateStyle },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/client/**'], message: 'shared code depends on neither side' }] }],
    },
  },
  {
    // Tests and benchmarks drive both sides: a server test may run the client's transport code (no DOM)
    // against a real server, and bench/client/ is the benchmark's own browser driver, not the app.
    files: ['tests/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
