// The desktop app once Electron is ready: opens the data dir (or the demo), serves the
// contract over IPC to the dashboard, keeps the tray and notifications in step with the
// engine, and tears it all down at quit. desktop.ts creates it before `ready`.
import path from 'node:path';
import type { NativeImage } from 'electron';
import type { AppSettings } from '../../shared/contract.js';
import { DEFAULT_SETTINGS } from '../../shared/domain.js';
import type { Demo } from '../core/demo.js';
import { localClient, type OwnerCalls } from '../core/owner/local-client.js';
import type { Owner } from '../core/owner/owner.js';
import { ContractError } from '../core/contract.js';
import { appMenuTemplate } from './app-menu.js';
import { openSignInUrl } from './external-links.js';
import { APP_SCHEME, createAppProtocolHandler } from './app-protocol.js';
import { ClipboardGuard } from './clipboard.js';
import type { ElectronApi, InstancePaths } from './electron-api.js';
import { appIconPng } from './icons.js';
import { forwardEvents, registerContractIpc } from './ipc-router.js';
import { watchShutdown } from './lifecycle.js';
import { applyLaunchAtLogin, shouldStartHidden } from './login-item.js';
import { NotificationMemory } from './notification-memory.js';
import { createNotifier, type Notifier } from './notifications.js';
import { watchPower } from './power.js';
import type { QuitController } from './quit.js';
import { SafeStorageWrapper } from './safe-storage-wrapper.js';
import { createTray, type TrayHandle } from './tray.js';
import type { TrayAction } from './tray-model.js';
import { UNLOCK_PAGES } from './unlock-page.js';
import { changeToPassphrase, openDesktopOwner } from './vault-flows.js';
import { createSessionWatcherWindow, hardenSession } from './window.js';
import { WindowManager } from './window-manager.js';
import { WindowState } from './window-state.js';

export interface SessionOptions extends InstancePaths {
  outDir: string;
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  platform: NodeJS.Platform;
}

type Protection = 'strong' | 'weak' | 'unavailable';

export class DesktopSession {
  readonly windows: WindowManager;
  readonly #safeStorage: SafeStorageWrapper;
  readonly #clipboard: ClipboardGuard;
  readonly #devServerUrl?: string;
  #owner?: Owner;
  #demo?: Demo;
  #client?: OwnerCalls;
  #tray?: TrayHandle;
  #notifier?: Notifier;
  #protection?: Protection;
  /** The refreshTokenWarningDays setting, kept here for the tray and the notifications (which read it synchronously). */
  #warningDays: number = DEFAULT_SETTINGS.refreshTokenWarningDays;
  #icon?: NativeImage;
  readonly #disposers: (() => void)[] = [];

  constructor(
    private readonly e: ElectronApi,
    private readonly o: SessionOptions,
  ) {
    const { app } = e;
    this.#devServerUrl = !app.isPackaged && o.env['ELECTRON_RENDERER_URL'] ? o.env['ELECTRON_RENDERER_URL'] : undefined;
    this.#safeStorage = new SafeStorageWrapper(e.safeStorage, o.platform);
    this.#clipboard = new ClipboardGuard(e.clipboard);
    this.windows = new WindowManager({
      deps: { BrowserWindow: e.BrowserWindow, shell: e.shell },
      preloadDir: path.join(o.outDir, 'preload'),
      devServerUrl: this.#devServerUrl,
      icon: o.platform === 'darwin' ? undefined : () => (this.#icon ??= e.nativeImage.createFromBuffer(appIconPng(64))),
      canShowDashboard: () => this.#owner !== undefined,
      state: new WindowState(),
      displays: () => e.screen.getAllDisplays(),
    });
  }

  /** After `ready`: the protocol, the menu, the data dir, then everything that serves it. */
  async start(quit: QuitController): Promise<void> {
    const { e, o } = this;
    if (o.platform === 'win32') createSessionWatcherWindow(e);
    hardenSession(e.session.defaultSession, { devServerUrl: this.#devServerUrl });
    e.protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: path.join(o.outDir, 'renderer'), pages: UNLOCK_PAGES }));
    const menu = appMenuTemplate({ isMac: o.platform === 'darwin', isPackaged: e.app.isPackaged, openDashboard: () => this.windows.showDashboard(), setPassphrase: () => void this.#setPassphrase() });
    e.Menu.setApplicationMenu(e.Menu.buildFromTemplate(menu));

    const opened = await openDesktopOwner({ ...o, ipcMain: e.ipcMain, safeStorage: this.#safeStorage, openUnlock: this.windows.openUnlock });
    if (!opened) return e.app.quit(); // the user cancelled the passphrase window
    this.#owner = opened.owner;
    this.#demo = opened.demo;
    // main's own calls are the tray's (copy, refresh all, pause all); the window's come over IPC.
    this.#client = localClient(opened.owner.router, { actor: 'tray' });
    await this.#refreshVaultStatus();

    this.#serveDashboard(opened.owner);
    this.#disposers.push(watchPower(e.powerMonitor, opened.owner.engine), watchShutdown(e.powerMonitor, quit, o.platform));
    const settings = await this.#settings();
    if (settings) this.#warningDays = settings.refreshTokenWarningDays;
    this.#showInTrayAndNotifications(opened.owner);

    if (settings) void this.#applyLoginItem(settings.launchAtLogin);
    if (!shouldStartHidden(o.argv, e.app, o.platform)) this.windows.showDashboard();
  }

  /** Clipboard cleared, tray and IPC gone, engine stopped (in-flight refreshes saved), lock released. */
  async teardown(): Promise<void> {
    await this.#clipboard.clearIfHeld().catch(() => false);
    this.#notifier?.dispose();
    this.#tray?.destroy();
    for (const dispose of this.#disposers.splice(0)) dispose();
    // The demo's close() also stops its simulators.
    const closing = this.#demo ? this.#demo.close() : this.#owner?.close();
    this.#owner = undefined;
    this.#demo = undefined;
    await closing;
  }

  /** The contract over IPC for the dashboard window, and the engine's events to it. */
  #serveDashboard(owner: Owner): void {
    const { windows } = this;
    this.#disposers.push(
      registerContractIpc({
        ipcMain: this.e.ipcMain,
        router: owner.router,
        isTrustedSender: windows.dashboardSender,
        after: {
          // In the desktop app main writes the clipboard; the token never reaches the page.
          'accounts.copy': async (result) => {
            if (result.text === undefined) return result;
            const seconds = (await this.#settings())?.clipboardClearSeconds ?? 30;
            await this.#clipboard.copy(result.text, seconds);
            return seconds > 0 ? { copied: true, clearAfterSeconds: seconds } : { copied: true };
          },
          // With no account there is no account-changed event to redraw the tray's Pause/Resume.
          'accounts.setPaused': async (result) => {
            this.#tray?.schedule();
            return result;
          },
          'settings.set': async (result) => {
            void this.#applyLoginItem(result.launchAtLogin);
            this.#warningDays = result.refreshTokenWarningDays;
            this.#tray?.schedule();
            this.#notifier?.checkRefreshTokens();
            return result;
          },
          // A browser sign-in opens in the system browser, never in a TokenDesk window.
          'signin.start': async (result) => {
            if (result.method === 'browser' && !openSignInUrl(this.e.shell, result.url)) {
              owner.signIn.cancel(result.sessionId);
              throw new ContractError('config_error', 'The authorization URL cannot be opened (it must be https, or http on this computer)');
            }
            return result;
          },
        },
        onRefused: (call, url) => console.warn(`TokenDesk: refused ${call} from ${url ?? 'an unknown frame'}`),
      }),
      forwardEvents(owner.engine, () => windows.dashboard, windows.isOurDashboard),
    );
  }

  #showInTrayAndNotifications(owner: Owner): void {
    const { engine } = owner;
    this.#tray = createTray(this.e, {
      getState: () => ({
        accounts: engine.list(),
        pausedAll: engine.pausedAll,
        vaultProtection: this.#protection,
        teamOffline: owner.team.store !== undefined && !owner.team.store.connection.online,
        now: Date.now(),
        refreshTokenWarningDays: this.#warningDays,
      }),
      onAction: (action) => this.#onTrayAction(action),
      events: engine,
      platform: this.o.platform,
    });
    this.#notifier = createNotifier(this.e.Notification, {
      events: engine,
      openAccount: (id) => this.windows.showDashboard(id),
      initial: engine.list(),
      refreshTokenWarningDays: () => this.#warningDays,
      warned: new NotificationMemory(),
    });
    // Playwright's _electron tests read the tray and click a notification through electronApp.evaluate.
    if (this.o.env['TOKENDESK_TEST_HOOKS'] === '1') {
      Object.assign(globalThis, {
        __tokendeskTray: () => this.#tray?.snapshot(),
        __tokendeskNotifications: () => this.#notifier?.shown().map((n) => n.title) ?? [],
        __tokendeskClickNotification: (index: number) => this.#notifier?.shown()[index]?.click(),
      });
    }
  }

  #onTrayAction(action: TrayAction): void {
    const engine = this.#owner?.engine;
    if (!engine) return;
    switch (action.kind) {
      case 'open':
        return this.windows.showDashboard(action.accountId);
      case 'refresh-all':
        // Through the contract, so each refresh's history row says the tray asked.
        for (const a of engine.list()) if (a.status !== 'revoked') this.#client?.call('accounts.refresh', { account: a.id, trigger: 'manual' }).catch(() => undefined);
        return;
      case 'copy':
        return void this.#copyToken(action.accountId);
      case 'pause-all':
        return void this.#client
          ?.call('accounts.setPaused', { all: true, paused: action.paused })
          .catch(() => undefined)
          .then(() => this.#tray?.update());
      case 'set-passphrase':
        return void this.#setPassphrase();
      case 'quit':
        return this.e.app.quit();
    }
  }

  async #copyToken(accountId: string): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const { text } = await client.call('accounts.copy', { account: accountId, format: 'token' });
      if (text !== undefined) await this.#clipboard.copy(text, (await this.#settings())?.clipboardClearSeconds ?? 30);
    } catch (err) {
      this.#notify('Could not copy the token', (err as Error).message);
    }
  }

  async #setPassphrase(): Promise<void> {
    const owner = this.#owner;
    if (!owner) return;
    const changed = await changeToPassphrase({ ipcMain: this.e.ipcMain, safeStorage: this.#safeStorage, openUnlock: this.windows.openUnlock, owner, protection: this.#protection }).catch(
      (err: unknown) => {
        this.e.dialog.showErrorBox('TokenDesk could not change the vault key', (err as Error).message);
        return false;
      },
    );
    if (changed) {
      await this.#refreshVaultStatus();
      this.#tray?.update();
    }
  }

  async #settings(): Promise<AppSettings | undefined> {
    return this.#client?.call('settings.get').catch(() => undefined);
  }

  async #refreshVaultStatus(): Promise<void> {
    const status = await this.#client?.call('vault.status').catch(() => undefined);
    if (status) this.#protection = status.protection;
  }

  #applyLoginItem(enabled: boolean): Promise<unknown> {
    const { app } = this.e;
    return applyLaunchAtLogin({ app, platform: this.o.platform, env: this.o.env }, enabled).catch((err: unknown) =>
      console.warn(`TokenDesk: launch at login not applied: ${(err as Error).message}`),
    );
  }

  #notify(title: string, body: string): void {
    try {
      if (this.e.Notification.isSupported()) new this.e.Notification({ title, body }).show();
    } catch {
      // notifications are a courtesy
    }
  }
}
