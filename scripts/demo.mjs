// `npm run demo`: builds when out/ is missing or older than the sources, then runs
// `tokendesk serve --demo` (simulated providers, a separate demo data dir) and passes its
// output through: the dashboard's URL is the line on stdout. Extra arguments go to serve
// (`npm run demo -- --port 8080`). Ctrl-C (or SIGTERM) stops it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const outputs = ['out/main/cli.js', 'out/renderer/index.html'].map((f) => path.join(root, f));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const built = outputs.every((f) => fs.existsSync(f)) ? Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs)) : 0;
if (built < newestMtime(path.join(root, 'src'))) {
  process.stderr.write('demo: building first (npx electron-vite build)…\n');
  // Its output goes to stderr: stdout carries only the URL.
  const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// In this process (no child to pass signals to): the CLI reads process.argv when it loads.
const cli = path.join(root, 'out/main/cli.js');
process.argv = [process.argv[0], cli, 'serve', '--demo', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
