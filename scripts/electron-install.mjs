// postinstall: fetches the Electron binary, which the `electron` package no longer does on
// install (its `install-electron` bin, or the first require('electron'), does). Skipped when
// ELECTRON_SKIP_BINARY_DOWNLOAD is set. A failed download does not fail `npm install`: the
// CLI, `serve` and the demo need no binary, and `npm start` says what is missing.
//   node scripts/electron-install.mjs [ELECTRON_PACKAGE_DIR]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronPackageDir, findElectronBinary, skipDownloadRequested } from './electron-binary.mjs';

const packageDir = process.argv[2] ? path.resolve(process.argv[2]) : electronPackageDir();

if (skipDownloadRequested()) {
  console.log('TokenDesk: Electron binary not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set). The CLI and `npm run demo` work without it; `npx install-electron` fetches it.');
  process.exit(0);
}
if (findElectronBinary({ packageDir }).found) process.exit(0);

console.log('TokenDesk: downloading the Electron binary…');
const result = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (result.status === 0 && findElectronBinary({ packageDir }).found) process.exit(0);

const reason = (result.stderr || result.error?.message || '').split('\n').find((line) => line.trim()) ?? `exit code ${result.status}`;
console.warn(
  [
    `TokenDesk: the Electron binary could not be downloaded (${reason.trim()}).`,
    'Everything but the desktop window works without it. Fetch it later with `npx install-electron`; `npm run demo` opens the dashboard in a browser.',
  ].join('\n'),
);
process.exit(0);
