import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { trimRadixCss } from './build/radix-css.js';

// One build for the three Electron bundles. The main build also emits the
// headless CLI (out/main/cli.js), which plain `node` runs: it shares src/main/core.
export default defineConfig({
  main: {
    build: {
      // Bundled rather than loaded from node_modules at run time: resolving and linking
      // hundreds of small modules (zod's files above all) delays plain `node` before the
      // CLI can do anything. The native keyring binding stays external (loaded lazily).
      externalizeDeps: { exclude: ['zod', 'commander', 'jwt-decode', 'ws'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/main.ts'),
          // The lean `token` client (src/cli/fast.ts): loaded first by bin/tokendesk.js.
          'cli-fast': resolve(__dirname, 'src/cli/fast.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/preload/index.ts'),
          // The small passphrase window (src/main/app/unlock.ts).
          unlock: resolve(__dirname, 'src/preload/unlock.ts'),
        },
        // Sandboxed preloads cannot be ESM.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // The dashboard loads faster minified (1,000 accounts: every millisecond of parse shows).
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
        output: {
          // zod-config.ts must run before any schema is built (else zod probes eval, a CSP
          // violation). With the dashboard split into chunks, the shared code holding the
          // schemas is a chunk the entry imports first: zod and its config go in one chunk
          // that every schema's chunk imports, so the config runs as soon as zod exists.
          manualChunks: (id) => (/[\\/]node_modules[\\/]zod[\\/]|[\\/]src[\\/]renderer[\\/]src[\\/]zod-config\.ts$/.test(id) ? 'zod' : undefined),
        },
      },
    },
    plugins: [react(), trimRadixCss()],
  },
});
