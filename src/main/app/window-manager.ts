// The app's two windows — the dashboard and the passphrase (unlock) window — and what
// brings them to the front: a tray or menu entry, a notification click (the dashboard at
// `#/accounts/<id>`), a second launch (the unlock window while the vault is locked).
import type { BrowserWindow, NativeImage } from 'electron';
import { accountFragment } from '../../shared/routes.js';
import { DASHBOARD_URL, UNLOCK_URL, isDashboardUrl, isUnlockUrl } from './app-protocol.js';
import { senderCheck, type SenderCheck } from './ipc-router.js';
import { createDashboardWindow, createUnlockWindow, type WindowDeps } from './window.js';
import { restoredBounds, type DisplayArea } from './window-bounds.js';
import type { WindowState } from './window-state.js';

export interface WindowManagerOptions {
  deps: WindowDeps;
  /** out/preload: the built preloads. */
  preloadDir: string;
  /** `electron-vite dev`'s renderer server, when running under it. */
  devServerUrl?: string;
  /** The window icon (none on macOS, where the bundle's icon is used). */
  icon?: () => NativeImage;
  /** The dashboard opens only once the data dir is open. */
  canShowDashboard: () => boolean;
  /** Where the dashboard's bounds are kept across launches, and the displays to fit them on. */
  state?: WindowState;
  displays?: () => readonly DisplayArea[];
}

function bringToFront(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

export class WindowManager {
  #dashboard?: BrowserWindow;
  #unlock?: BrowserWindow;

  constructor(private readonly options: WindowManagerOptions) {}

  get dashboard(): BrowserWindow | undefined {
    return this.#dashboard;
  }

  isOurDashboard = (url: string): boolean => isDashboardUrl(url, this.options.devServerUrl);

  /** IPC calls are answered only for the dashboard window's main frame showing our page. */
  readonly dashboardSender: SenderCheck = senderCheck(() => this.#dashboard, this.isOurDashboard);

  dashboardUrl(accountId?: string): string {
    return (this.options.devServerUrl ?? DASHBOARD_URL) + (accountId ? accountFragment(accountId) : '');
  }

  /** Shows the dashboard (creating it if closed); with an account, opens that account. */
  showDashboard = (accountId?: string): void => {
    if (!this.options.canShowDashboard()) return;
    const current = this.#dashboard;
    if (current && !current.isDestroyed()) {
      if (accountId) void current.loadURL(this.dashboardUrl(accountId)).catch(() => undefined);
      bringToFront(current);
      return;
    }
    const { state, displays } = this.options;
    const { maximized, ...bounds } = restoredBounds(state?.dashboard, displays?.() ?? []);
    const win = createDashboardWindow(this.options.deps, { preload: this.#preload('index'), url: this.dashboardUrl(accountId), icon: this.options.icon?.(), bounds });
    if (maximized) win.once('ready-to-show', () => win.maximize());
    // Remember where the user left it (the bounds it has when not maximized).
    win.on('close', () => state?.saveDashboard({ ...win.getNormalBounds(), maximized: win.isMaximized() }));
    // Closing the window keeps TokenDesk in the tray (the window is rebuilt on demand).
    win.on('closed', () => {
      if (this.#dashboard === win) this.#dashboard = undefined;
    });
    this.#dashboard = win;
  };

  /** A second launch: the unlock window while the vault is locked, else the dashboard. */
  showFront = (): void => {
    if (this.#unlock && !this.#unlock.isDestroyed()) return bringToFront(this.#unlock);
    this.showDashboard();
  };

  /** Opens the passphrase window; its sender check accepts only that window's page. */
  openUnlock = (): { window: BrowserWindow; isTrustedSender: SenderCheck } => {
    const win = createUnlockWindow(this.options.deps, { preload: this.#preload('unlock'), url: UNLOCK_URL, icon: this.options.icon?.() });
    this.#unlock = win;
    win.once('closed', () => {
      if (this.#unlock === win) this.#unlock = undefined;
    });
    return { window: win, isTrustedSender: senderCheck(() => win, isUnlockUrl) };
  };

  #preload(name: string): string {
    return `${this.options.preloadDir}/${name}.cjs`;
  }
}
