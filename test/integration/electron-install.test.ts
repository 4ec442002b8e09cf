// The Electron binary's install step and the npm start/dev preflight. The `electron` package
// downloads its binary only through its install-electron bin, so scripts/electron-install.mjs
// (postinstall) runs it unless ELECTRON_SKIP_BINARY_DOWNLOAD is set. The download is real:
// @electron/get fetches from a release mirror on 127.0.0.1 (ELECTRON_MIRROR) serving a
// stand-in archive and its SHASUMS256.txt, into a copy of the electron package in a temp dir.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storedZip } from '../helpers/stored-zip.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const realPackage = path.join(root, 'node_modules', 'electron');
const version = (JSON.parse(fs.readFileSync(path.join(realPackage, 'package.json'), 'utf8')) as { version: string }).version;
const platformPath = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as string] ?? 'electron';
const archive = `electron-v${version}-${process.platform}-${process.arch}.zip`;

interface Mirror {
  url: string;
  requests: string[];
  mode: 'serve' | 'missing';
  close(): Promise<void>;
}

async function startMirror(): Promise<Mirror> {
  const zip = storedZip({ [platformPath]: '#!/bin/sh\necho stand-in electron\n', version: `v${version}` });
  const shasums = `${createHash('sha256').update(zip).digest('hex')} *${archive}\n`;
  const mirror: Mirror = { url: '', requests: [], mode: 'serve', close: async () => undefined };
  const server = http.createServer((req, res) => {
    mirror.requests.push(req.url ?? '');
    const body = mirror.mode === 'missing' ? undefined : req.url === `/v${version}/${archive}` ? zip : req.url === `/v${version}/SHASUMS256.txt` ? Buffer.from(shasums) : undefined;
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  mirror.close = () => new Promise((resolve) => server.close(() => resolve()));
  return mirror;
}

/** A copy of the installed electron package (no binary) whose install.js resolves its deps from the project. */
function copyElectronPackage(dir: string): string {
  const pkg = path.join(dir, 'node_modules', 'electron');
  fs.mkdirSync(pkg, { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json', 'index.js']) fs.copyFileSync(path.join(realPackage, file), path.join(pkg, file));
  return pkg;
}

let mirror: Mirror;
const temps: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-electron-install-'));
  temps.push(dir);
  return dir;
};

/** The environment of `npm install` on a machine that reaches only our mirror. */
function installEnv(cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_PATH: path.join(root, 'node_modules'),
    ELECTRON_MIRROR: mirror.url,
    electron_use_remote_checksums: '1',
    electron_config_cache: cache,
    ...extra,
  };
  for (const key of ['ELECTRON_SKIP_BINARY_DOWNLOAD', 'ELECTRON_OVERRIDE_DIST_PATH', 'ELECTRON_EXEC_PATH', 'ELECTRON_CUSTOM_DIR']) if (!(key in extra)) delete env[key];
  return env;
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return run(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, env, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
}

beforeAll(async () => {
  mirror = await startMirror();
});
afterEach(() => {
  mirror.requests.length = 0;
  mirror.mode = 'serve';
});
afterAll(async () => {
  await mirror.close();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('postinstall: scripts/electron-install.mjs', () => {
  it('downloads the binary through install-electron when ELECTRON_SKIP_BINARY_DOWNLOAD is unset', async () => {
    const dir = tempDir();
    const pkg = copyElectronPackage(dir);
    const result = await runScript('electron-install.mjs', [pkg], installEnv(path.join(dir, 'cache')));
    expect(result.code).toBe(0);
    expect(mirror.requests).toEqual(expect.arrayContaining([`/v${version}/${archive}`, `/v${version}/SHASUMS256.txt`]));
    expect(fs.readFileSync(path.join(pkg, 'path.txt'), 'utf8')).toBe(platformPath);
    expect(fs.existsSync(path.join(pkg, 'dist', platformPath))).toBe(true);
    // Installed: a second run downloads nothing.
    mirror.requests.length = 0;
    expect((await runScript('electron-install.mjs', [pkg], installEnv(path.join(dir, 'cache')))).code).toBe(0);
    expect(mirror.requests).toEqual([]);
  });

  it('honours ELECTRON_SKIP_BINARY_DOWNLOAD: no request, no binary, says how to fetch it later', async () => {
    const dir = tempDir();
    const pkg = copyElectronPackage(dir);
    const result = await runScript('electron-install.mjs', [pkg], installEnv(path.join(dir, 'cache'), { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set.*npx install-electron/s);
    expect(mirror.requests).toEqual([]);
    expect(fs.existsSync(path.join(pkg, 'path.txt'))).toBe(false);
  });

  it('a failed download leaves npm install working and names the command that fetches it', async () => {
    const dir = tempDir();
    const pkg = copyElectronPackage(dir);
    mirror.mode = 'missing';
    const result = await runScript('electron-install.mjs', [pkg], installEnv(path.join(dir, 'cache')));
    expect(result.code).toBe(0);
    expect(mirror.requests.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/could not be downloaded \(.+\)\.\n.*npx install-electron.*npm run demo/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(pkg, 'dist', platformPath))).toBe(false);
  });
});

/** Runs `npm run <script>` as a user would; resolves with its exit code, output and wall time. */
function npmRun(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

describe('npm start / npm run dev without the binary', () => {
  for (const script of ['start', 'dev']) {
    it(`npm run ${script} stops at once with what is missing, the command that fetches it and the demo`, async () => {
      // An empty dist dir stands for a binary that was skipped or never downloaded.
      const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: tempDir(), CI: 'true' };
      delete env['ELECTRON_EXEC_PATH'];
      const { code, output, ms } = await npmRun(script, env);
      expect(code).not.toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(output).toContain('the Electron binary is not installed');
      expect(output).toContain('npx install-electron');
      expect(output).toContain('npm run demo');
      expect(output).not.toMatch(/^\s+at .+:\d+/m); // no stack trace
      expect(output).not.toContain('Electron uninstall');
    });
  }

  it('the preflight lets a present binary through', async () => {
    const dist = tempDir();
    fs.writeFileSync(path.join(dist, 'electron'), '');
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist };
    delete env['ELECTRON_EXEC_PATH'];
    expect((await runScript('electron-preflight.mjs', [], env)).code).toBe(0);
  });
});
