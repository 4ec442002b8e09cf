// Where the Electron binary lives, found the way node_modules/electron/index.js finds it
// but without its download fallback: path.txt names the executable under dist/
// (ELECTRON_OVERRIDE_DIST_PATH replaces dist/, ELECTRON_EXEC_PATH names the binary outright,
// as electron-vite reads it). Used by the npm start/dev preflight and the _electron e2e.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The installed `electron` package's directory. */
export function electronPackageDir() {
  return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

/** ELECTRON_SKIP_BINARY_DOWNLOAD set to anything but "" or "0" skips the download. */
export function skipDownloadRequested(env = process.env) {
  const value = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * { found: true, executablePath } when the binary exists, else { found: false, expected }
 * (the path looked at, or undefined when the package has no path.txt yet).
 */
export function findElectronBinary({ packageDir = electronPackageDir(), env = process.env } = {}) {
  if (env.ELECTRON_EXEC_PATH) {
    return fs.existsSync(env.ELECTRON_EXEC_PATH) ? { found: true, executablePath: env.ELECTRON_EXEC_PATH } : { found: false, expected: env.ELECTRON_EXEC_PATH };
  }
  const pathTxt = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathTxt) ? fs.readFileSync(pathTxt, 'utf8').trim() : '';
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH) return { found: false, expected: undefined };
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist');
  const executablePath = path.join(dist, relative || 'electron');
  return fs.existsSync(executablePath) ? { found: true, executablePath } : { found: false, expected: executablePath };
}

/** The paragraph `npm start` / `npm run dev` print when there is no binary. */
export const MISSING_BINARY_MESSAGE = [
  'TokenDesk cannot open the desktop app: the Electron binary is not installed',
  '(npm install skips it when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and cannot fetch it offline).',
  'Fetch it with:  npx install-electron',
  'No desktop or no download here? `npm run demo` opens the dashboard in a browser with simulated providers.',
].join('\n');
