import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';
import { layerOrder } from './eslint/layer-order.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const local = { rules: { 'layer-order': layerOrder } };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'dist-test/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layer rules (docs/ARCHITECTURE.md "Layers"): core and shared run headless, so they never touch Electron.
  {
    files: ['src/main/core/**/*.{ts,tsx}', 'src/shared/**/*.{ts,tsx}', 'src/cli/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'core/shared/cli must run without Electron: put Electron code in src/main/app.' }],
          patterns: [{ group: ['electron/*'], message: 'core/shared/cli must run without Electron.' }],
        },
      ],
    },
  },
  // Inside core and inside the renderer, imports run down these layers: a folder (or a file
  // at the top) imports only from the layers before its own, never from its own layer or above.
  {
    files: ['src/main/core/**/*.{ts,tsx}'],
    plugins: { local },
    rules: {
      'local/layer-order': [
        'error',
        {
          root: 'src/main/core',
          layers: [['storage', 'net', 'expiry', 'ids', 'token-format', 'contract'], ['vault', 'providers'], ['engine'], ['signin', 'team'], ['service'], ['owner'], ['demo']],
        },
      ],
    },
  },
  {
    files: ['src/renderer/src/**/*.{ts,tsx}'],
    plugins: { local },
    rules: {
      'local/layer-order': ['error', { root: 'src/renderer/src', layers: [['zod-config'], ['lib', 'bridge', 'styles'], ['boot'], ['state'], ['components'], ['App'], ['main', 'start']] }],
    },
  },
  // The renderer runs in a sandboxed page: only the contract, never Node.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer cannot use Node built-ins: go through window.tokendesk.' })),
            { name: 'electron', message: 'The renderer talks only to window.tokendesk.' },
          ],
        },
      ],
    },
  },
  // Shared code is imported by the renderer too, so no Node built-ins there either.
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src/shared is imported by every layer: no Electron.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'src/shared is imported by the renderer: no Node built-ins.' })),
          ],
        },
      ],
    },
  },
  // Preloads run sandboxed (their require knows only 'electron') and stay tiny: no zod
  // (main validates), no Node built-ins, nothing from main or the renderer.
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: 'The preload stays tiny: main validates with zod.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'A sandboxed preload cannot load Node built-ins.' })),
          ],
          patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload imports only electron and src/shared.' }],
        },
      ],
    },
  },
  // bin/ is CommonJS (bin/package.json): the launcher requires the lean client bundle.
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
