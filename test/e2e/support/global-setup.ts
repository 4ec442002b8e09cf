// The e2e tests run the built app (out/): build it once when it is missing, so
// `npx playwright test` works on a fresh checkout (scripts/test-all.sh builds first anyway).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function globalSetup(): void {
  if (existsSync('out/main/cli.js') && existsSync('out/renderer/index.html')) return;
  process.stdout.write('e2e: out/ is missing — running `npx electron-vite build` first\n');
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
}
