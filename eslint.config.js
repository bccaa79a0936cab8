// Type-aware lint with zero warnings allowed (`npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', '.tmp/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // Only exec/ spawns processes; only publish/s3 talks to the AWS SDK.
    files: ['src/**/*.ts'],
    ignores: ['src/exec/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:child_process', message: 'Run programs through src/exec.' },
            { name: 'child_process', message: 'Run programs through src/exec.' },
            { name: 'execa', message: 'Run programs through src/exec.' },
          ],
          patterns: [{ group: ['@aws-sdk/*'], message: 'Only src/publish/s3 uses the AWS SDK.' }],
        },
      ],
    },
  },
  {
    files: ['src/publish/s3/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:child_process', message: 'Run programs through src/exec.' },
            { name: 'execa', message: 'Run programs through src/exec.' },
          ],
        },
      ],
    },
  },
  {
    // node:test's describe()/it() return promises the runner tracks; awaiting them is not the idiom.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
