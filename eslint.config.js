// Lint rules. The engine must stay a pure, deterministic reducer: no I/O, no clocks,
// no ambient randomness, no DOM or Node imports — the same code runs on the server,
// in the browser, in the bots and in the explorer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const impureGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'fetch',
  'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
  'clearInterval', 'queueMicrotask', 'performance', 'process', 'require', 'Buffer', 'console',
  'crypto', 'global', 'globalThis', 'structuredClone'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'test-artifacts', 'bench/spin/out', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals.map((name) => ({ name, message: `engine/ is pure: no ${name}.` }))],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'net'], message: 'engine/ is pure: no Node built-ins.' },
          { group: ['../server/*', '../client/*', '../lessons/*', '**/server/**', '**/client/**'], message: 'engine/ depends on nothing outside engine/.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'engine/ is deterministic: use the seeded PRNG in the state.' },
        { object: 'Date', property: 'now', message: 'engine/ has no clock.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date']", message: 'engine/ has no clock.' },
      ],
    },
  },
);
