// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', 'target/**', 'server/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      // Modules that do not need the VS Code API must not import it, so they run under plain Node tests
      // (STYLE.md, item 9). Only the UI layer and the entry point may.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/ui/** and src/extension.ts may import vscode.' }] },
      ],
    },
  },
  {
    files: ['src/ui/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The events module reports a failing listener; tests and the e2e driver print progress.
    files: ['src/events.ts', 'test/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Build scripts run under Node.
    files: ['*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
);
