// @ts-check
import tseslint from 'typescript-eslint';

/** machines/ hold pure statecharts: no adapters, SDKs or Node built-ins, only xstate, zod and domain types. */
const machineImportRule = {
  patterns: [
    {
      regex: '^(?!xstate$|zod$|\\./|\\.\\./src/domain(/|$)).*',
      message: 'machines/ may import only xstate, zod, sibling machines and ../src/domain types.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'tools/*/node_modules/**', 'data/**', 'test-output/**', 'visualizations/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['machines/**/*.ts'], rules: { 'no-restricted-imports': ['error', machineImportRule] } },
  {
    // The environment is read once, in src/config.ts; plugins get everything from their targets.
    files: ['src/**/*.ts', 'plugins/**/*.ts', 'machines/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
