// Window and session hardening with stand-ins for BrowserWindow, WebContents and
// Session; the tokendesk:// protocol handler over real files; the external-link allowlist.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY, DASHBOARD_URL, createAppProtocolHandler, isDashboardUrl, isUnlockUrl, resolveAppPath,
} from '../../src/main/app/app-protocol.js';
import { allowedExternalUrl, openExternalChecked } from '../../src/main/app/external-links.js';
import { SECURE_WEB_PREFERENCES, createDashboardWindow, hardenSession, isAllowedRequest, withCsp, type SessionLike, type WindowDeps } from '../../src/main/app/window.js';

function fakeDeps() {
  const opened: string[] = [];
  const windows: FakeWindow[] = [];
  class FakeContents extends EventEmitter {
    openHandler?: (d: { url: string }) => unknown;
    setWindowOpenHandler(h: (d: { url: string }) => unknown) {
      this.openHandler = h;
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeContents();
    loaded: string[] = [];
    shown = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    show() {
      this.shown = true;
    }
  }
  const deps = { BrowserWindow: FakeWindow, shell: { openExternal: async (u: string) => void opened.push(u) } } as unknown as WindowDeps;
  return { deps, windows, opened };
}

const fire = (contents: EventEmitter, event: string, url?: string) => {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
};

describe('dashboard window', () => {
  it('is isolated, sandboxed, Node-free, web-secure, with our preload, loading our page', () => {
    const { deps, windows } = fakeDeps();
    createDashboardWindow(deps, { preload: '/app/out/preload/index.cjs', url: DASHBOARD_URL });
    const win = windows[0]!;
    expect(win.options['webPreferences']).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/out/preload/index.cjs' });
    expect(win.options['webPreferences']).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    expect(win.options['show']).toBe(false);
    // As narrow as the dashboard's layout goes (test/e2e/layout.spec.ts holds it at 600 px).
    expect(win.options['minWidth']).toBe(600);
    expect(win.loaded).toEqual([DASHBOARD_URL]);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('blocks every navigation, redirect, webview and new window; opens allowlisted docs in the browser', () => {
    const { deps, windows, opened } = fakeDeps();
    createDashboardWindow(deps, { preload: '/p.cjs', url: DASHBOARD_URL });
    const contents = windows[0]!.webContents;
    expect(fire(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire(contents, 'will-navigate', 'tokendesk://app/other.html')).toBe(true);
    expect(fire(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire(contents, 'will-attach-webview')).toBe(true);
    expect(opened).toEqual([]);
    expect(fire(contents, 'will-navigate', 'https://developer.ups.com/tag/OAuth-Auth-Code')).toBe(true);
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'https://www.rfc-editor.org/rfc/rfc7009' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://developer.ups.com/tag/OAuth-Auth-Code', 'https://www.rfc-editor.org/rfc/rfc7009']);
  });
});

describe('external links', () => {
  it('allows only https to exact allowlisted hosts, without credentials or ports', () => {
    expect(allowedExternalUrl('https://developer.ups.com/api')).toBe('https://developer.ups.com/api');
    for (const bad of [
      'http://developer.ups.com/',
      'https://developer.ups.com.evil.example/',
      'https://evil.example/?https://developer.ups.com',
      'https://user:pw@developer.ups.com/',
      'https://developer.ups.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'tokendesk://app/index.html',
      'not a url',
      42,
      undefined,
      `https://developer.ups.com/${'a'.repeat(3000)}`,
    ]) {
      expect(allowedExternalUrl(bad), String(bad)).toBeUndefined();
    }
  });

  it('openExternalChecked opens only what passes', () => {
    const opened: string[] = [];
    const shell = { openExternal: async (u: string) => void opened.push(u) };
    expect(openExternalChecked(shell, 'https://goteamup.com/api')).toBe(true);
    expect(openExternalChecked(shell, 'https://goteamup.com.evil.example/')).toBe(false);
    expect(opened).toEqual(['https://goteamup.com/api']);
  });
});

describe('session', () => {
  function fakeSession() {
    const s = {
      req: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
      check: undefined as undefined | (() => boolean),
      before: undefined as undefined | { filter: unknown; fn: (d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void },
      headers: undefined as undefined | ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void),
      download: undefined as undefined | ((e: { preventDefault(): void }, item: { getURL(): string }) => void),
    };
    const session = {
      setPermissionRequestHandler: (fn: never) => (s.req = fn),
      setPermissionCheckHandler: (fn: never) => (s.check = fn),
      on: (_e: string, fn: never) => (s.download = fn),
      webRequest: { onBeforeRequest: (filter: unknown, fn: never) => (s.before = { filter, fn }), onHeadersReceived: (fn: never) => (s.headers = fn) },
    } as unknown as SessionLike;
    return { session, s };
  }

  it('denies permissions and downloads (but the dashboard\'s own exports), cancels remote requests, adds the CSP', async () => {
    const { session, s } = fakeSession();
    hardenSession(session);
    expect(await new Promise((r) => s.req!({}, 'geolocation', r))).toBe(false);
    expect(s.check!()).toBe(false);
    const prevented = (url: string) => {
      let cancelled = false;
      s.download!({ preventDefault: () => (cancelled = true) }, { getURL: () => url });
      return cancelled;
    };
    expect(prevented('https://example.com/file.zip')).toBe(true);
    expect(prevented('tokendesk://app/index.html')).toBe(true);
    expect(prevented('blob:https://example.com/3f2b8c1e')).toBe(true);
    expect(prevented('blob:tokendesk://evil/3f2b8c1e')).toBe(true);
    // The History tab's Export CSV / JSON: a blob of our own page, saved through the save dialog.
    expect(prevented('blob:tokendesk://app/3f2b8c1e-0000-4000-8000-000000000000')).toBe(false);
    expect(s.before!.filter).toEqual({ urls: ['<all_urls>'] });
    const cancel = (url: string) => new Promise((r) => s.before!.fn({ url }, (res) => r(res.cancel)));
    expect(await cancel('https://cdn.example/x.js')).toBe(true);
    expect(await cancel('http://localhost:5173/')).toBe(true);
    expect(await cancel('wss://example.com/')).toBe(true);
    expect(await cancel('tokendesk://app/assets/x.js')).toBe(false);
    const headers = await new Promise((r) => s.headers!({ url: 'https://x/', responseHeaders: { 'Content-Security-Policy': ['default-src *'], 'X-Other': ['1'] } }, (res) => r(res.responseHeaders)));
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('lets the Vite dev server through only when it is on localhost', () => {
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAllowedRequest('https://example.com/', 'http://localhost:5173')).toBe(false);
    expect(isAllowedRequest('http://example.com:5173/', 'http://example.com:5173')).toBe(false);
  });

  it('withCsp replaces any CSP header, whatever its case', () => {
    expect(withCsp({ 'content-security-policy': ["script-src 'unsafe-eval'"] })).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('tokendesk:// protocol', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-proto-'));
    fs.mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'renderer', 'assets', 'a.js'), 'export {}');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves files inside the renderer dir with the CSP and a content type', async () => {
    const handler = createAppProtocolHandler({ rootDir: path.join(dir, 'renderer'), pages: { '/mem.html': { body: '<p>mem</p>', type: 'text/html' } } });
    const index = await handler(new Request('tokendesk://app/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toBe('<div id="root"></div>');
    expect((await handler(new Request('tokendesk://app/'))).status).toBe(200);
    const js = await handler(new Request('tokendesk://app/assets/a.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const mem = await handler(new Request('tokendesk://app/mem.html'));
    expect([mem.status, await mem.text(), mem.headers.get('content-security-policy')]).toEqual([200, '<p>mem</p>', CONTENT_SECURITY_POLICY]);
  });

  it('serves nothing outside it, nothing for another host, no other method', async () => {
    const handler = createAppProtocolHandler({ rootDir: path.join(dir, 'renderer') });
    for (const url of [
      'tokendesk://app/../secret.txt',
      'tokendesk://app/..%2fsecret.txt',
      'tokendesk://app/%2e%2e/secret.txt',
      'tokendesk://app/assets/..%2f..%2fsecret.txt',
      'tokendesk://app/..%5csecret.txt',
      'tokendesk://app/missing.js',
      'tokendesk://app/%00',
      'tokendesk://other/index.html',
    ]) {
      expect((await handler(new Request(url))).status, url).toBe(404);
    }
    expect((await handler(new Request('tokendesk://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect(resolveAppPath(path.join(dir, 'renderer'), 'https://app/index.html')).toBeUndefined();
  });

  it('knows our pages', () => {
    expect(isDashboardUrl('tokendesk://app/index.html')).toBe(true);
    expect(isDashboardUrl('tokendesk://app/index.html#/accounts/x')).toBe(true);
    expect(isDashboardUrl('tokendesk://app/unlock.html')).toBe(false);
    expect(isDashboardUrl('file:///app/index.html')).toBe(false);
    expect(isDashboardUrl('http://localhost:5173/')).toBe(false);
    expect(isDashboardUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isUnlockUrl('tokendesk://app/unlock.html')).toBe(true);
    expect(isUnlockUrl('tokendesk://app/index.html')).toBe(false);
  });
});
