// The real desktop app under Playwright's _electron: launched with a temp data dir,
// an account added against a provider simulator, watched refreshing, a token copied,
// the tray read through electronApp.evaluate. These run wherever an Electron binary
// exists and are skipped — saying so — where none does (this repo's CI installs with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1; test/unit/electron-smoke.test.ts covers the built
// bundle there with a stand-in for `electron`).
//
// The binary, in order: TOKENDESK_E2E_ELECTRON (e.g. the fuses-off test build from
// `npm run dist:test`), the unpacked test build in dist-test/, or the `electron` package's
// own binary. Never `require('electron')`: when the binary is missing it tries to download it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { AccountView } from '../../src/shared/contract.js';
import type { TokenDeskBridge } from '../../src/shared/bridge.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '../..');

interface Binary {
  executablePath: string;
  /** The packaged test build carries the app; the bare Electron binary is given the project dir. */
  args: string[];
}

function findElectron(): Binary | undefined {
  const explicit = process.env['TOKENDESK_E2E_ELECTRON'];
  if (explicit) return fs.existsSync(explicit) ? { executablePath: explicit, args: [] } : undefined;
  const unpacked = { linux: 'linux-unpacked/tokendesk', win32: 'win-unpacked/TokenDesk.exe', darwin: 'mac/TokenDesk.app/Contents/MacOS/TokenDesk' }[process.platform as string];
  if (unpacked && fs.existsSync(path.join(root, 'dist-test', unpacked))) return { executablePath: path.join(root, 'dist-test', unpacked), args: [] };
  // What node_modules/electron/index.js computes, without its download fallback.
  const found = findElectronBinary({ packageDir: path.join(root, 'node_modules', 'electron') });
  return found.found ? { executablePath: found.executablePath, args: [root] } : undefined;
}

const binary = findElectron();
const SKIP_REASON = 'skipped: no Electron binary';

/** The page's global, as the dashboard sees it (this file is compiled without the DOM lib). */
type PageGlobal = typeof globalThis & { tokendesk: TokenDeskBridge; open(url: string): unknown; require?: unknown; ipcRenderer?: unknown };

test.describe('desktop app (Electron)', () => {
  // At run time in the worker (not a static modifier), so the reason is also printed: the
  // list reporter shows a skipped test as a bare "-".
  test.beforeAll(() => {
    if (binary) return;
    console.log(`test/e2e/electron.spec.ts: ${SKIP_REASON}`);
    test.skip(true, SKIP_REASON);
  });

  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;
  let sim: Simulator;

  test.beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tokendesk-electron-e2e-'));
    sim = await startSimulator('oauth2', { accessTtlSec: 6, clientAuth: 'none' });
    app = await electron.launch({
      executablePath: binary!.executablePath,
      args: binary!.args,
      cwd: root,
      env: { ...process.env, TOKENDESK_HOME: dataDir, TOKENDESK_TEST_HOOKS: '1', ELECTRON_RENDERER_URL: '' },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForFunction(() => typeof (globalThis as PageGlobal).tokendesk?.call === 'function');
  });

  test.afterEach(async () => {
    await app?.close().catch(() => undefined);
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the window is locked down and sees only window.tokendesk', async () => {
    expect(page.url()).toBe('tokendesk://app/index.html');
    const seen = await page.evaluate(() => ({
      keys: Object.keys((globalThis as PageGlobal).tokendesk).sort(),
      host: (globalThis as PageGlobal).tokendesk.host,
      require: typeof (globalThis as PageGlobal).require,
      process: typeof (globalThis as { process?: unknown }).process,
      ipcRenderer: typeof (globalThis as PageGlobal).ipcRenderer,
      opened: (globalThis as PageGlobal).open('https://example.com/') === null,
    }));
    expect(seen).toEqual({ keys: ['call', 'host', 'on', 'version'], host: 'electron', require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', opened: true });
    // Navigation away is refused by main.
    await page.evaluate(() => void ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'));
    await page.waitForTimeout(500);
    expect(page.url()).toBe('tokendesk://app/index.html');
    // Remote content is cancelled by the session, whatever the page tries.
    const fetched = await page.evaluate(() => fetch('https://example.com/').then(() => 'loaded', () => 'blocked'));
    expect(fetched).toBe('blocked');
  });

  test('adds an account against a simulator, refreshes it, copies a token, shows it in the tray', async () => {
    const grant = sim.issue();
    const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
    const added = await page.evaluate((v) => (globalThis as PageGlobal).tokendesk.call('accounts.add', { providerId: 'oauth2', name: 'e2e-oauth', values: v }), values);
    expect(added.name).toBe('e2e-oauth');

    // Watch it refresh: 6-second tokens are refreshed by the engine on its own.
    await expect
      .poll(async () => (await page.evaluate(() => (globalThis as PageGlobal).tokendesk.call('accounts.get', { account: 'e2e-oauth' })) as AccountView).lastOutcome?.outcome, { timeout: 20_000 })
      .toBe('ok');
    await expect.poll(() => sim.refreshCount, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

    // Copy: main writes the clipboard, the page gets no token.
    const reply = await page.evaluate(() => (globalThis as PageGlobal).tokendesk.call('accounts.copy', { account: 'e2e-oauth', format: 'token' }));
    expect(reply).toEqual({ copied: true, clearAfterSeconds: 30 });
    const clip = await app.evaluate(({ clipboard }) => clipboard.readText());
    expect(sim.isValidAccessToken(String(clip))).toBe(true);

    // The tray, from the main process.
    const tray = await app.evaluate(() => (globalThis as unknown as { __tokendeskTray: () => { tooltip: string; health: string; menu: { id?: string; label?: string }[] } }).__tokendeskTray());
    expect(tray.health).toBe('ok');
    expect(tray.menu.map((i) => i.id)).toEqual(expect.arrayContaining(['refresh-all', 'copy', 'pause', 'open', 'quit']));
    expect(tray.menu.find((i) => i.id === `account:${added.id}`)?.label).toMatch(/^e2e-oauth — /);
  });

  test('a notification click opens that account in the dashboard', async () => {
    const supported = await app.evaluate(({ Notification }) => Notification.isSupported());
    test.skip(!supported, 'skipped: this desktop has no notification service');
    const good = sim.issue();
    const { access_token: _g, ...goodValues } = { ...good.settings, ...good.secrets };
    await page.evaluate((v) => (globalThis as PageGlobal).tokendesk.call('accounts.add', { providerId: 'oauth2', name: 'healthy', values: v }), goodValues);
    // A refresh token the provider does not know: "sign in again", which notifies.
    const bad = sim.issue();
    const { access_token: _b, ...badRest } = { ...bad.settings, ...bad.secrets };
    const badValues = { ...badRest, refresh_token: 'rt_unknown_to_the_simulator_000000000000' };
    const broken = await page.evaluate((v) => (globalThis as PageGlobal).tokendesk.call('accounts.add', { providerId: 'oauth2', name: 'needs-you', values: v }), badValues);
    type Hooks = { __tokendeskNotifications: () => string[]; __tokendeskClickNotification: (i: number) => void };
    await expect.poll(() => app.evaluate(() => (globalThis as unknown as Hooks).__tokendeskNotifications()), { timeout: 20_000 }).toContain('needs-you: sign in again');
    await page.getByTestId('account-list').getByText('healthy').click();
    await expect(page.getByTestId('account-details')).toContainText('healthy');
    await app.evaluate(() => {
      const hooks = globalThis as unknown as Hooks;
      hooks.__tokendeskClickNotification(hooks.__tokendeskNotifications().indexOf('needs-you: sign in again'));
    });
    await expect(page.getByTestId('account-details')).toContainText('needs-you');
    await expect(page.getByTestId('account-list').locator('[role="row"][aria-selected="true"]')).toContainText('needs-you');
    expect(page.url()).toBe('tokendesk://app/index.html'); // the fragment was followed and consumed
    expect(broken.name).toBe('needs-you');
  });

  test('a second launch focuses the running window instead of starting another app', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().find((w) => w.isVisible())?.minimize());
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().some((w) => w.isMinimized()))).toBe(true);
    // The second instance finds the single-instance lock taken and quits at once.
    const second = spawn(binary!.executablePath, binary!.args, { cwd: root, env: { ...process.env, TOKENDESK_HOME: dataDir, ELECTRON_RENDERER_URL: '' }, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    await expect
      .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().filter((w) => w.isVisible() && !w.isMinimized()).length), { timeout: 10_000 })
      .toBe(1);
    expect(fs.existsSync(path.join(dataDir, 'owner.lock'))).toBe(true);
  });

  test('Sign in opens the provider in the system browser, never in a TokenDesk window', async () => {
    const client = sim.clientCredentials();
    await page.evaluate(
      (v) => (globalThis as PageGlobal).tokendesk.call('accounts.add', { providerId: 'oauth2', name: 'signs-in', values: v }),
      { issuer: sim.url, client_id: client.clientId, client_secret: client.clientSecret },
    );
    // Record what main hands the OS instead of opening a real browser.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      Object.assign(globalThis, { __opened: opened });
      shell.openExternal = async (url: string) => void opened.push(url);
    });
    const windowsBefore = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    const info = (await page.evaluate(() => (globalThis as PageGlobal).tokendesk.call('signin.start', { account: 'signs-in', method: 'browser' }))) as { url: string; sessionId: string };
    const opened = await app.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened);
    expect(opened).toEqual([info.url]);
    expect(new URL(info.url).pathname).toBe('/oauth/authorize');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(windowsBefore);
    // The "browser": approve, follow the redirect back to TokenDesk's loopback listener.
    const approve = new URL(info.url);
    approve.searchParams.set('auto', 'approve');
    const redirect = await fetch(approve, { redirect: 'manual' });
    expect((await fetch(redirect.headers.get('location')!)).status).toBe(200);
    await expect
      .poll(async () => ((await page.evaluate(() => (globalThis as PageGlobal).tokendesk.call('accounts.get', { account: 'signs-in' }))) as AccountView).hasAccessToken, { timeout: 20_000 })
      .toBe(true);
  });

  test('closing the window keeps the app running; quitting releases the data dir', async () => {
    await page.close();
    // (On Windows a hidden session-watcher window stays: count the visible ones.)
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().filter((w) => w.isVisible()).length)).toBe(0);
    expect(await app.evaluate(({ app: a }) => a.isReady())).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'owner.lock'))).toBe(true);
    await Promise.all([app.waitForEvent('close'), app.evaluate(({ app: a }) => a.quit())]);
    expect(fs.existsSync(path.join(dataDir, 'owner.lock'))).toBe(false);
  });
});
