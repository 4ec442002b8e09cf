// Smoke test of the BUILT desktop app. There is no Electron binary here, so
// test/fixtures/electron-smoke-child.mjs loads out/main/index.js in plain Node with a
// module-resolution hook that turns `import … from 'electron'` into a recording stand-in,
// loads the built preloads as a sandboxed renderer would (their `require` knows only
// 'electron'), drives the app through the preload's window.tokendesk, and reports what
// it saw. This catches what unit tests of the sources cannot: a bundling mistake (an
// ESM-only dependency required from CommonJS, a preload that needs a shared chunk), a
// handler not registered, a window without its secure preferences.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, events } from '../../src/shared/contract.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** out/ when it is current (the suite script builds first); else a private build, so out/ is never clobbered under other tests. */
let out = path.join(root, 'out');
const privateOut = path.join(root, 'test-results', 'electron-smoke-out');

/** Newest mtime of the sources the main and preload bundles are built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|tsx|html)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(out: string): boolean {
  const outputs = ['main/index.js', 'main/cli.js', 'preload/index.cjs', 'preload/unlock.cjs', 'renderer/index.html'].map((f) => path.join(out, f));
  if (!outputs.every((f) => fs.existsSync(f))) return false;
  const built = Math.min(...outputs.slice(0, 4).map((f) => fs.statSync(f).mtimeMs));
  return ['src/main', 'src/preload', 'src/shared', 'src/cli'].every((d) => newestSource(path.join(root, d)) <= built);
}

interface Report {
  facts: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors: string[];
}

let home: string;
let tmp: string;
let report: Report;

beforeAll(async () => {
  if (!buildIsCurrent(out)) {
    // Inside the project, so the bundle's bare imports (zod, commander…) resolve from node_modules.
    out = privateOut;
    await run('npx', ['electron-vite', 'build', '--outDir', privateOut, '--logLevel', 'warn'], { cwd: root, timeout: 180_000 });
  }
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'td-smoke-'));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'td-smoke-tmp-')); // where "Explore the demo" puts its demo dir
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', path.join(root, 'test/fixtures/electron-stand-in/register.mjs'), path.join(root, 'test/fixtures/electron-smoke-child.mjs')],
    { cwd: root, env: { ...process.env, SMOKE_OUT_DIR: out, TOKENDESK_HOME: home, TMPDIR: tmp, NODE_OPTIONS: '' }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE-REPORT '));
  if (!line) throw new Error(`The smoke child printed no report.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  report = JSON.parse(line.slice('SMOKE-REPORT '.length)) as Report;
}, 300_000);

afterAll(() => {
  for (const dir of [home, tmp]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(privateOut, { recursive: true, force: true });
});

const SECURE = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true };

describe('the built desktop app, loaded with an electron stand-in', () => {
  it('runs every step without an error', () => {
    expect(report.errors).toEqual([]);
  });

  it('sets up before ready: data dir as userData, sandbox, privileged scheme, single-instance lock', () => {
    const { calls: before, paths } = report.facts['beforeReady'];
    expect(paths.userData).toBe(home);
    expect(before.map((c: string[]) => c[0])).toEqual([
      'app.setPath',
      'app.setPath',
      'app.enableSandbox',
      'protocol.registerSchemesAsPrivileged',
      'app.requestSingleInstanceLock',
    ]);
    expect(report.facts['beforeReady'].schemes[0]).toMatchObject({ scheme: 'tokendesk', privileges: { standard: true, secure: true } });
    const { appListeners } = report.facts['startup'];
    expect(appListeners['second-instance']).toBe(1);
    expect(report.facts['secondInstance']).toEqual({ focused: true, windows: 1 });
  });

  it('registers an ipcMain.handle for every contract call, and nothing else', () => {
    expect(report.facts['startup'].channels).toEqual(Object.keys(calls).map((n) => `tokendesk:call:${n}`).sort());
  });

  it('owns the data dir and serves the local socket: the CLI is its client', () => {
    expect(report.facts['startup']).toMatchObject({ ownerLock: true, ownerSocket: true });
    expect(report.facts['cli']).toEqual(['smoke & mirrors']);
  });

  it('creates the dashboard window with the secure webPreferences and the built CommonJS preload', () => {
    const { webPreferences, preloadExists, loaded } = report.facts['window'];
    expect(webPreferences).toMatchObject({ ...SECURE, allowRunningInsecureContent: false, webviewTag: false, nodeIntegrationInSubFrames: false });
    expect(webPreferences.preload).toBe(path.join(out, 'preload', 'index.cjs'));
    expect(preloadExists).toBe(true);
    expect(loaded).toEqual(['tokendesk://app/index.html']);
  });

  it('the built preloads need nothing but electron and expose exactly the bridge', () => {
    const { bytes, ...preload } = report.facts['preload'];
    expect(bytes).toBeLessThan(16_000); // tiny: no zod, no contract schemas
    expect(preload).toEqual({
      required: ['electron'],
      hasZod: false,
      exposedKeys: ['tokendesk'],
      bridgeKeys: ['call', 'host', 'on', 'version'],
      frozen: true,
      version: 1,
      host: 'electron',
      types: { call: 'function', on: 'function' },
    });
    expect(report.facts['unlockPreload']).toEqual({ required: ['electron'], keys: ['cancel', 'info', 'submit', 'useSystem'] });
  });

  it('answers calls through preload → IPC → router, refusing bad payloads as plain {code, message}', () => {
    expect(report.facts['firstCalls'].accounts).toEqual([]);
    expect(report.facts['firstCalls'].providers).toContain('oauth2');
    expect(report.facts['badPayload']).toEqual({ isError: false, value: { code: 'invalid_input', message: expect.stringMatching(/^accounts\.get: account:/) } });
    expect(report.facts['unknownCall']).toMatchObject({ code: 'invalid_input' });
  });

  it('refuses calls from any sender but the dashboard main frame', () => {
    const f = report.facts['foreignSenders'];
    expect(f.ownMainFrame.ok).toBe(true);
    for (const k of ['subframe', 'nullFrame', 'navigatedAway', 'otherWindow']) {
      expect(f[k], k).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^Refused/) } });
    }
    expect(f.twoArguments.ok).toBe(false);
  });

  it('pushes engine events to the window, payload only', () => {
    expect(report.facts['add'].finished.ok).toBe(true);
    const { kinds, argCounts, sentToWindow } = report.facts['events'];
    expect(kinds).toEqual(['account-changed', 'refresh-finished', 'refresh-started']);
    expect(argCounts).toEqual([1]);
    for (const channel of sentToWindow) expect(Object.keys(events).map((e) => `tokendesk:event:${e}`)).toContain(channel);
  });

  it('copies a token to the clipboard in main, never returning it to the page', () => {
    expect(report.facts['copy']).toEqual({ reply: { copied: true, clearAfterSeconds: 30 }, clipboardHoldsToken: true, replyHasToken: false });
  });

  it('a first run with only basic_text asks before creating a weak vault; a second launch meanwhile focuses that window', () => {
    const w = report.facts['weakFirstRun'];
    expect(w.info).toEqual({ mode: 'create', reason: expect.stringMatching(/fixed key/), systemChoice: 'Continue without a passphrase' });
    expect(w.vaultBefore).toBe(false);
    expect(w.secondLaunch).toEqual({ unlockFocused: true, windows: 1 });
    expect(w.reply).toEqual({ ok: true });
    expect(w.unlockClosed).toBe(true);
  });

  it('reports basic_text safeStorage as weak and offers a passphrase', () => {
    expect(report.facts['firstCalls'].vault).toMatchObject({ kind: 'safeStorage', protection: 'weak', explanation: expect.stringMatching(/passphrase/) });
    expect(report.facts['tray'].menu.map((i: { id?: string }) => i.id)).toContain('set-passphrase');
  });

  it('builds the tray: health icon, accounts, refresh all, copy ▸, pause, open, quit', () => {
    const { tooltip, images, menu } = report.facts['tray'];
    expect(tooltip).toBe('TokenDesk — The account is fine');
    expect(images.at(-1)).toEqual({ size: { width: 32, height: 32 }, options: { scaleFactor: 2 } });
    const ids = menu.map((i: { id?: string } | string) => (typeof i === 'string' ? i : i.id));
    expect(ids).toEqual(expect.arrayContaining(['summary', `account:${report.facts['add'].id}`, 'refresh-all', 'copy', 'pause', 'open', 'quit']));
    const account = menu.find((i: { id?: string }) => i.id === `account:${report.facts['add'].id}`);
    expect(account.label).toMatch(/^smoke && mirrors — active, expires in (59 min|1 h)$/);
    const copy = menu.find((i: { id?: string }) => i.id === 'copy');
    expect(copy.submenu).toEqual([{ id: `copy:${report.facts['add'].id}`, label: 'smoke && mirrors', enabled: true, click: true }]);
  });

  it('blocks navigation, new windows and webviews; opens only allowlisted https docs externally', () => {
    const n = report.facts['navigation'];
    expect(n).toMatchObject({ evilBlocked: true, docsBlocked: true, httpDocsBlocked: true, redirectBlocked: true, webviewBlocked: true });
    expect(n.openedAfterEvil).toEqual([]);
    expect(n.openedAfterHttp).toEqual(['https://developer.ups.com/api/reference']);
    expect(n.windowOpen).toEqual({ action: 'deny' });
    expect(n.windowOpenDocs).toEqual({ action: 'deny' });
    expect(n.openedAfterWindowOpen).toEqual(['https://developer.ups.com/api/reference', 'https://datatracker.ietf.org/doc/html/rfc6749']);
  });

  it('serves the renderer from tokendesk://app with the strict CSP header, nothing outside it', () => {
    const p = report.facts['protocol'];
    expect(p.index).toMatchObject({ status: 200, hasRoot: true, type: 'text/html; charset=utf-8' });
    expect(p.index.csp).toMatch(/^default-src 'self'; script-src 'self';/);
    expect(p.index.csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(p.asset).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(p.unlock).toMatchObject({ status: 200, hasForm: true });
    expect(p.traversal).toBe(404);
    expect(p.otherHost).toBe(404);
    // The renderer's own meta tag agrees.
    expect(report.facts['renderer'].metaCsp).toMatch(/default-src 'self'/);
  });

  it('locks the session: remote requests cancelled, CSP on every response, permissions and downloads denied', () => {
    const s = report.facts['session'];
    expect(s).toMatchObject({ remoteCancelled: true, fileCancelled: true, appAllowed: true, permission: false, permissionCheck: false, downloadPrevented: true });
    expect(s.filter).toEqual({ urls: ['<all_urls>'] });
    expect(Object.keys(s.headers)).toEqual(['Content-Security-Policy']);
  });

  it('catches up on resume and unlock-screen', () => {
    expect(report.facts['startup'].powerListeners).toEqual({ resume: 1, 'unlock-screen': 1, shutdown: 1 });
    expect(report.facts['resume']).toEqual({ trigger: 'resume', requests: 1 });
    expect(report.facts['unlock-screen']).toEqual({ trigger: 'resume', requests: 1 });
  });

  it('notifies on reauth_required; the click opens that account; the tray turns red', () => {
    const n = report.facts['notification'];
    expect(n).toMatchObject({ ok: false, status: 'reauth_required', title: 'smoke & mirrors: sign in again', tooltip: 'TokenDesk — 1 account needs you' });
    expect(n.lastLoaded).toBe(`tokendesk://app/index.html#/accounts/${report.facts['add'].id}`);
  });

  it('stays in the tray when the window closes; "Open dashboard" brings it back', () => {
    expect(report.facts['closeWindow']).toEqual({ quitRequested: 0, trayAlive: true, reopened: 1, reopenedUrl: 'tokendesk://app/index.html' });
  });

  it('"Explore the demo" launches a second instance with --demo that runs the demo; this one keeps its data dir', () => {
    expect(report.facts['exploreDemo']).toEqual({ result: { kind: 'app' }, marker: true, demoDirHasVault: true, stillOwner: true, demo: false });
  });

  it('quits cleanly: clipboard cleared, tray and handlers gone, owner lock and socket released, vault encrypted', () => {
    expect(report.facts['quit']).toEqual({
      clipboardHeldOurs: true,
      clipboardAfter: '',
      trayDestroyed: true,
      handlersLeft: 0,
      ownerLock: false,
      ownerSocket: false,
      vaultKind: 'safeStorage',
      vaultHasPlaintext: false,
    });
  });
});

describe('the built desktop app with --demo', () => {
  let demoHome: string;
  let tmp: string;
  let demoReport: Report;

  beforeAll(async () => {
    demoHome = fs.mkdtempSync(path.join(os.tmpdir(), 'td-smoke-real-'));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'td-smoke-tmp-'));
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', path.join(root, 'test/fixtures/electron-stand-in/register.mjs'), path.join(root, 'test/fixtures/electron-smoke-child.mjs'), '--demo'],
      { cwd: root, env: { ...process.env, SMOKE_OUT_DIR: out, TOKENDESK_HOME: demoHome, TMPDIR: tmp, NODE_OPTIONS: '' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('SMOKE-REPORT '));
    if (!line) throw new Error(`The smoke child printed no report.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    demoReport = JSON.parse(line.slice('SMOKE-REPORT '.length)) as Report;
  }, 300_000);

  afterAll(() => {
    for (const dir of [demoHome, tmp]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the demo owner and simulators on the demo dir, with Electron’s files beside it, and never touches the real data dir', () => {
    expect(demoReport.errors).toEqual([]);
    const demo = demoReport.facts['demo'];
    const demoDir = path.join(tmp, `tokendesk-demo-${process.getuid!()}`);
    expect(demo.demo).toBe(true);
    expect(demo.dataDir).toBe(demoDir);
    expect(demo.paths.userData).toBe(`${demoDir}-app`);
    expect(demo.providers).toEqual(['banyan', 'ledgerly', 'oauth2', 'oauth2', 'pathstack', 'teamup', 'ups', 'vaultist']);
    expect(demo.realDirEntries).toEqual([]);
    expect(demo.demoLockAfterQuit).toBe(false);
  });
});
