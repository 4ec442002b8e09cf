// Windows and web contents, locked down along Electron's security checklist: isolated,
// sandboxed, no Node, web security on, no navigation, no new windows, no webviews, no
// permissions, no remote requests, CSP on every response. The Electron classes are
// passed in, so tests drive these functions with recording stand-ins.
import type { BrowserWindow, BrowserWindowConstructorOptions, Event, HandlerDetails, Session, Shell, WebContents, WindowOpenHandlerResponse } from 'electron';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isDashboardUrl } from './app-protocol.js';
import { openExternalChecked } from './external-links.js';

/** The webPreferences of every TokenDesk window (plus its own `preload`). */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} satisfies BrowserWindowConstructorOptions['webPreferences']);

type WebContentsLike = Pick<WebContents, 'setWindowOpenHandler'> & {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
};

export interface HardenOptions {
  shell: Pick<Shell, 'openExternal'>;
}

/**
 * No navigation away from the page and no new windows, ever. A link to an allowed
 * documentation site opens in the user's browser instead; anything else is dropped.
 */
export function hardenWebContents(contents: WebContentsLike, { shell }: HardenOptions): void {
  contents.on('will-navigate', (event: Event, url: string) => {
    event.preventDefault();
    openExternalChecked(shell, url);
  });
  contents.on('will-redirect', (event: Event, url: string) => {
    event.preventDefault();
    openExternalChecked(shell, url);
  });
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails): WindowOpenHandlerResponse => {
    openExternalChecked(shell, details.url);
    return { action: 'deny' };
  });
}

export interface SessionLike {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  on(event: 'will-download', listener: (event: Event, item: { getURL(): string }) => void): unknown;
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
}

/** Only our own scheme (and the Vite dev server during `electron-vite dev`) may be fetched by a page. */
export function isAllowedRequest(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'tokendesk:' || parsed.protocol === 'devtools:') return true;
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    // HMR uses a WebSocket on the same host and port.
    return parsed.host === dev.host && ['http:', 'ws:'].includes(parsed.protocol) && ['localhost', '127.0.0.1', '[::1]'].includes(dev.hostname);
  }
  return false;
}

/** Adds the CSP to a response's headers (replacing any the response brought). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/**
 * The dashboard's own exports (History → Export CSV / JSON): a blob the page made from rows it
 * shows, saved where the user picks in Electron's save dialog. Every other download is refused.
 */
export function isOwnExport(url: string): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`);
}

/** Denies every permission and download (but the dashboard's own exports), cancels every remote request, puts the CSP on every response. */
export function hardenSession(session: SessionLike, options: { devServerUrl?: string } = {}): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event: Event, item) => {
    if (!isOwnExport(item.getURL())) event.preventDefault();
  });
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, options.devServerUrl) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    // The dev server's React refresh needs its inline preamble: no header there (dev only).
    if (options.devServerUrl && isDashboardUrl(details.url, options.devServerUrl) && !details.url.startsWith('tokendesk:')) {
      callback({ responseHeaders: details.responseHeaders });
      return;
    }
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}

export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  shell: Pick<Shell, 'openExternal'>;
}

export interface SecureWindowOptions {
  preload: string;
  url: string;
  window?: Omit<BrowserWindowConstructorOptions, 'webPreferences'>;
  /** Extra webPreferences (e.g. `additionalArguments`); never the secure ones. */
  extraPreferences?: Pick<NonNullable<BrowserWindowConstructorOptions['webPreferences']>, 'additionalArguments' | 'partition'>;
}

export function createSecureWindow(deps: WindowDeps, options: SecureWindowOptions): BrowserWindow {
  const win = new deps.BrowserWindow({
    show: false,
    ...options.window,
    webPreferences: { ...options.extraPreferences, ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  hardenWebContents(win.webContents, { shell: deps.shell });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.url).catch(() => undefined);
  return win;
}

export function createDashboardWindow(
  deps: WindowDeps,
  options: { preload: string; url: string; icon?: BrowserWindowConstructorOptions['icon']; bounds?: Partial<Pick<BrowserWindowConstructorOptions, 'x' | 'y' | 'width' | 'height'>> },
): BrowserWindow {
  return createSecureWindow(deps, {
    preload: options.preload,
    url: options.url,
    window: {
      title: 'TokenDesk',
      width: 1200,
      height: 800,
      ...options.bounds,
      // The dashboard's layout holds from 600 px wide (src/renderer/src/styles.css).
      minWidth: 600,
      minHeight: 480,
      backgroundColor: '#111418',
      autoHideMenuBar: true,
      ...(options.icon ? { icon: options.icon } : {}),
    },
  });
}

export function createUnlockWindow(deps: WindowDeps, options: { preload: string; url: string; icon?: BrowserWindowConstructorOptions['icon'] }): BrowserWindow {
  return createSecureWindow(deps, {
    preload: options.preload,
    url: options.url,
    window: {
      title: 'Unlock TokenDesk',
      width: 440,
      height: 360,
      resizable: false,
      maximizable: false,
      minimizable: false,
      fullscreenable: false,
      backgroundColor: '#111418',
      autoHideMenuBar: true,
      ...(options.icon ? { icon: options.icon } : {}),
    },
  });
}

/**
 * Windows only: an invisible window that exists so the app hears `query-session-end` and
 * `session-end` while it lives in the tray with no window open (Windows sends them to
 * windows, and `before-quit` never fires at session end). It loads nothing.
 */
export function createSessionWatcherWindow(deps: Pick<WindowDeps, 'BrowserWindow'>): BrowserWindow {
  return new deps.BrowserWindow({
    title: 'TokenDesk session watcher',
    show: false,
    width: 1,
    height: 1,
    skipTaskbar: true,
    focusable: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES },
  });
}
