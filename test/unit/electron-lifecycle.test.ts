// The BUILT desktop app under the recording `electron` stand-in, as macOS, Windows and Linux:
// the end of the OS session (bounded teardown, a copied token cleared, the OS never held
// up), Windows' AppUserModelID and session-end wiring, and a launch at login on macOS.
// test/fixtures/electron-lifecycle-child.mjs plays each scenario in its own process.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/main/app/app-id.js';
import { SESSION_END_TEARDOWN_MS } from '../../src/main/app/quit.js';
import { restoredBounds } from '../../src/main/app/window-bounds.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const temps: string[] = [];
let out = path.join(root, 'out');

interface Report {
  facts: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors: string[];
}

async function scenario(name: string, env: NodeJS.ProcessEnv = {}): Promise<Report> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `td-life-${name}-`));
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `td-life-cwd-`)); // a Windows pipe name becomes a file here
  temps.push(home, cwd);
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', path.join(root, 'test/fixtures/electron-stand-in/register.mjs'), path.join(root, 'test/fixtures/electron-lifecycle-child.mjs'), name],
    { cwd, env: { ...process.env, SMOKE_OUT_DIR: out, TOKENDESK_HOME: home, STANDIN_SAFE_STORAGE_BACKEND: 'gnome_libsecret', NODE_OPTIONS: '', ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE-REPORT '));
  if (!line) throw new Error(`The lifecycle child printed no report.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return JSON.parse(line.slice('SMOKE-REPORT '.length)) as Report;
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(out, 'main', 'index.js'))) {
    out = fs.mkdtempSync(path.join(root, 'test-results', 'lifecycle-out-'));
    temps.push(out);
    await run('npx', ['electron-vite', 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: root, timeout: 180_000 });
  }
}, 300_000);

afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

// The bound plus what a busy 2-core machine adds to one event-loop turn.
const QUIT_WITHIN_MS = SESSION_END_TEARDOWN_MS + 1_000;

describe('the end of the OS session', () => {
  it('macOS/Linux powerMonitor "shutdown": asks the OS to wait, clears the copied token and quits within 2 s though a refresh hangs', async () => {
    const r = await scenario('shutdown');
    expect(r.errors).toEqual([]);
    expect(r.facts['copied']).toBe(true);
    expect(r.facts['shutdownListeners']).toBe(1);
    const ended = r.facts['ended'];
    expect(ended.prevented).toBe(1);
    expect(ended.quitMs).toBeGreaterThanOrEqual(SESSION_END_TEARDOWN_MS - 50); // it did wait for the hanging refresh, up to the bound
    expect(ended.quitMs).toBeLessThan(QUIT_WITHIN_MS);
    expect(ended).toMatchObject({ clipboardAfter: '', trayDestroyed: true, handlersLeft: 0, vault: true });
  }, 150_000);

  it('SIGTERM (how session managers stop a process): the same bounded teardown; an idle app releases the data dir', async () => {
    const r = await scenario('sigterm');
    expect(r.errors).toEqual([]);
    const ended = r.facts['ended'];
    expect(ended.quitMs).toBeLessThan(QUIT_WITHIN_MS);
    expect(ended).toMatchObject({ clipboardAfter: '', trayDestroyed: true, handlersLeft: 0, ownerLock: false, vault: true });
  }, 150_000);

  it('Windows: AppUserModelID before ready, a hidden session watcher, query-session-end quits within 2 s without delaying the OS', async () => {
    const r = await scenario('win32-session-end');
    expect(r.errors).toEqual([]);
    const w = r.facts['windows'];
    expect(w.appUserModelId).toBe(APP_ID);
    expect(w.beforeReady.map((c: string[]) => c[0])).toContain('app.setAppUserModelId');
    expect(w.beforeReady.findIndex((c: string[]) => c[0] === 'app.setAppUserModelId')).toBeLessThan(w.beforeReady.findIndex((c: string[]) => c[0] === 'app.requestSingleInstanceLock'));
    expect(w.watcher).toEqual({ show: false, visible: false, loaded: [], skipTaskbar: true, focusable: false });
    for (const [title, query, end] of w.sessionListeners) expect([title, query, end]).toEqual([title, 1, 1]);
    const ended = r.facts['ended'];
    expect(ended.prevented).toBe(0);
    expect(ended.quitMs).toBeLessThan(QUIT_WITHIN_MS);
    expect(ended).toMatchObject({ clipboardAfter: '', trayDestroyed: true, ownerLock: false });
  }, 150_000);
});

describe('the dashboard window', () => {
  it('opens where the user left it: bounds kept with electron-store under userData', async () => {
    const r = await scenario('window-bounds');
    expect(r.errors).toEqual([]);
    expect(r.facts['firstOpen']).toEqual({ width: 1200, height: 800 });
    expect(r.facts['reopened']).toEqual({ x: 240, y: 120, width: 1000, height: 700 });
    expect(r.facts['file']).toEqual({ dashboard: { x: 240, y: 120, width: 1000, height: 700, maximized: false } });
  }, 150_000);

  it('restoredBounds: saved bounds on a connected display are reused; off every display, only the size', () => {
    const saved = { x: 2500, y: 100, width: 900, height: 600, maximized: true };
    const one = [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }];
    const two = [...one, { workArea: { x: 1920, y: 0, width: 2560, height: 1400 } }];
    expect(restoredBounds(saved, two)).toEqual(saved);
    expect(restoredBounds(saved, one)).toEqual({ width: 900, height: 600, maximized: true });
    expect(restoredBounds({ ...saved, x: 1880 }, one)).toEqual({ width: 900, height: 600, maximized: true }); // 40 px showing is not enough
    expect(restoredBounds(undefined, one)).toEqual({});
  });
});

describe('launch at login', () => {
  it('macOS: opened at login starts in the tray with no window; a second launch opens the dashboard', async () => {
    const r = await scenario('darwin-login', { STANDIN_OPENED_AT_LOGIN: '1' });
    expect(r.errors).toEqual([]);
    expect(r.facts['openedAtLogin']).toEqual({ windows: 0 });
    expect(r.facts['secondLaunch']).toEqual({ windows: ['TokenDesk'], visible: true });
  }, 150_000);
});
