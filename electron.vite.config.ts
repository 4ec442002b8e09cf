import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { build, type Plugin } from 'vite';
import { splitFirstScreenCss } from './build/first-screen-css.js';
import { trimRadixCss } from './build/radix-css.js';

/**
 * The lean `token` client (src/cli/fast.ts) as one self-contained CommonJS file,
 * out/main/cli-fast.cjs, which bin/tokendesk.js requires first. One file and the CommonJS
 * loader start measurably faster than the main build's ES modules and their shared chunks
 * (docs/PERFORMANCE.md, "CLI"): this path runs before every `token` a script asks for.
 */
function leanCliBundle(): Plugin {
  let outDir = resolve(__dirname, 'out/main');
  return {
    name: 'tokendesk:lean-cli-bundle',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          ssr: resolve(__dirname, 'src/cli/fast.ts'),
          outDir,
          emptyOutDir: false,
          target: 'node20',
          minify: false,
          rollupOptions: { output: { format: 'cjs', entryFileNames: 'cli-fast.cjs', codeSplitting: false } },
        },
        ssr: { noExternal: true },
      });
    },
  };
}

/**
 * How the built dashboard starts (docs/ARCHITECTURE.md "Dashboard start"): `boot`
 * (src/renderer/src/boot.ts: connect, send the first calls) is an `async` module script, so it
 * runs as soon as it arrives, while the stylesheet and the bundle still load; the bundle
 * (main.tsx, Vite's entry) becomes a modulepreload link marked `data-tokendesk-main`, and
 * `start` (src/renderer/src/start.ts), a deferred module script in its place, imports it once
 * boot's calls are on the wire. Boot's own modulepreload link (main imports it) is dropped.
 */
function dashboardStartScripts(): Plugin {
  return {
    name: 'tokendesk:dashboard-start-scripts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const entry = (name: string) => {
          const chunk = Object.values(ctx.bundle ?? {}).find((out) => out.type === 'chunk' && out.isEntry && out.name === name);
          if (!chunk) throw new Error(`tokendesk: the renderer build has no ${name} chunk`);
          return `./${chunk.fileName}`;
        };
        const [boot, start] = [entry('boot'), entry('start')];
        const bootPreload = `<link rel="modulepreload" crossorigin href="${boot}">`;
        const main = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
        if (!html.includes(bootPreload) || !main.test(html)) throw new Error(`tokendesk: the built index.html is not as the start scripts expect:\n${html}`);
        return html
          .replace(bootPreload, '')
          .replace(
            main,
            (_, src: string) =>
              `<script type="module" async crossorigin src="${boot}"></script>\n    <script type="module" crossorigin src="${start}"></script>\n    <link rel="modulepreload" crossorigin href="${src}" data-tokendesk-main>`,
          );
      },
    },
  };
}

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
        },
      },
    },
    plugins: [leanCliBundle()],
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
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          boot: resolve(__dirname, 'src/renderer/src/boot.ts'),
          start: resolve(__dirname, 'src/renderer/src/start.ts'),
        },
        output: {
          // zod-config.ts must run before any schema is built (else zod probes eval, a CSP
          // violation). zod is only in chunks loaded on demand (the first screen has no
          // schema): zod and its config go in one chunk that every schema's chunk imports, so
          // the config runs as soon as zod exists.
          manualChunks: (id) => (/[\\/]node_modules[\\/]zod[\\/]|[\\/]src[\\/]renderer[\\/]src[\\/]zod-config\.ts$/.test(id) ? 'zod' : undefined),
        },
      },
    },
    plugins: [react(), trimRadixCss(), splitFirstScreenCss(), dashboardStartScripts()],
  },
});
