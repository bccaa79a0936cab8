// Type-aware lint with zero warnings allowed (`npm run lint`).
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The stages of src/ and their import direction (architecture.json; src/architecture.test.ts
// checks the same table with resolved paths, cycles and function length).
const { layers } = JSON.parse(readFileSync(new URL('./architecture.json', import.meta.url), 'utf8'));

const spawners = [
  { name: 'node:child_process', message: 'Run programs through src/exec.' },
  { name: 'child_process', message: 'Run programs through src/exec.' },
  { name: 'execa', message: 'Run programs through src/exec.' },
];
const awsSdk = { group: ['@aws-sdk/*'], message: 'Only src/publish/s3 uses the AWS SDK.' };

/** The folders `folder` must not import: its own row and every row above it. */
function above(folder) {
  const row = layers.findIndex((r) => r.includes(folder));
  return layers.slice(0, row + 1).flat().filter((f) => f !== folder);
}

/** One block per stage: only exec/ spawns, only publish/s3 uses the AWS SDK, imports run down the table. */
function stageBlock(folder, files, { spawns = false, aws = false } = {}) {
  const upward = above(folder).map((f) => ({
    group: [`**/${f}`, `**/${f}/**`],
    message: `src/${folder} is below src/${f} in architecture.json: imports run down the stages, never up or sideways.`,
  }));
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: spawns ? [] : spawners, patterns: [...(aws ? [] : [awsSdk]), ...upward] }],
    },
  };
}

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
  ...layers.flat().map((folder) => stageBlock(folder, [`src/${folder}/**/*.ts`], { spawns: folder === 'exec' })),
  stageBlock('publish', ['src/publish/s3/**/*.ts'], { aws: true }),
  {
    // node:test's describe()/it() return promises the runner tracks; awaiting them is not the idiom.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
