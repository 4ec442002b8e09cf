// The desktop app: wires the headless core (the Owner: vault, stores, engine, local
// socket) to the Electron adapters of this folder. Every Electron object comes in
// through `ElectronApi`, so the built bundle can be loaded with a recording stand-in
// for the `electron` module (test/unit/electron-smoke.test.ts) and checked for what it wires.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type {
  App, BrowserWindow, Dialog, IpcMain, Menu, NativeImage, Notification, PowerMonitor, Protocol, SafeStorage, Session, Shell, Tray,
} from 'electron';
import type { AppSettings } from '../../shared/contract.js';
import { accountFragment } from '../../shared/routes.js';
import { defaultDemoDir, startDemo, type Demo } from '../core/demo.js';
import { Owner } from '../core/owner/owner.js';
import { resolveDataDir } from '../core/storage/data-dir.js';
import { OwnerLockedError } from '../core/storage/owner-lock.js';
import { VaultLockedError } from '../core/vault/errors.js';
import { PassphraseWrapper, type KeyWrapper } from '../core/vault/key-wrappers.js';
import { appMenuTemplate } from './app-menu.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, DASHBOARD_URL, UNLOCK_URL, createAppProtocolHandler, isDashboardUrl, isUnlockUrl } from './app-protocol.js';
import { ClipboardGuard, type ClipboardLike } from './clipboard.js';
import { appIconPng } from './icons.js';
import { forwardEvents, registerContractIpc, senderCheck, type IpcMainLike, type WindowLike } from './ipc-router.js';
import { APP_ID } from './app-id.js';
import { wireQuit, watchShutdown } from './lifecycle.js';
import { applyLaunchAtLogin, shouldStartHidden } from './login-item.js';
import { createNotifier, type NotificationClass, type Notifier } from './notifications.js';
import { watchPower } from './power.js';
import { SafeStorageWrapper } from './safe-storage-wrapper.js';
import { createTray, type TrayElectron, type TrayHandle } from './tray.js';
import type { TrayAction } from './tray-model.js';
import { planVaultKey, runPassphraseFlow, WEAK_SYSTEM_CHOICE, type PassphraseWindow } from './unlock.js';
import { UNLOCK_PAGES } from './unlock-page.js';
import { createDashboardWindow, createSessionWatcherWindow, createUnlockWindow, hardenSession, type SessionLike, type WindowDeps } from './window.js';

export interface ElectronApi {
  app: App;
  BrowserWindow: typeof BrowserWindow;
  clipboard: ClipboardLike;
  dialog: Pick<Dialog, 'showErrorBox'>;
  ipcMain: IpcMain;
  Menu: Pick<typeof Menu, 'buildFromTemplate' | 'setApplicationMenu'>;
  nativeImage: { createFromBuffer(buffer: Buffer, options?: { scaleFactor?: number }): NativeImage };
  Notification: typeof Notification;
  powerMonitor: PowerMonitor;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  safeStorage: SafeStorage;
  session: { readonly defaultSession: Session };
  shell: Pick<Shell, 'openExternal'>;
  Tray: typeof Tray;
}

export interface DesktopOptions {
  /** The built app's out/ directory (out/main/index.js lives in out/main). */
  outDir: string;
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
  platform?: NodeJS.Platform;
}

/**
 * "Explore the demo" in the app: a second instance of this app with `--demo` (its own
 * userData, so its own single-instance lock, demo data dir and window) — this one keeps
 * running with the user's accounts. The same executable and arguments that started us
 * (`electron <app dir>` in development, the packaged binary alone otherwise).
 */
export function launchDemoInstance(argv: readonly string[]): void {
  const args = [...process.execArgv, ...argv.slice(1).filter((a) => a !== '--hidden' && a !== '--demo'), '--demo'];
  spawn(process.execPath, args, { detached: true, stdio: 'ignore', env: process.env }).unref();
}

export function startDesktop(e: ElectronApi, options: DesktopOptions): void {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  const platform = options.platform ?? process.platform;
  const { app } = e;

  // One data dir for the app and the CLI (so `tokendesk token …` is a client of the running
  // app): TOKENDESK_HOME, else the platform's config dir — which is also Electron's userData.
  // `--demo`: the demo data dir (src/main/core/demo.ts), with Electron's own files beside it
  // (the demo dir is wiped at each start) — a separate instance from the real app.
  const realDataDir = resolveDataDir({ env, platform });
  const demoMode = argv.includes('--demo');
  const dataDir = demoMode ? defaultDemoDir() : realDataDir;
  const userData = demoMode ? `${dataDir}-app` : dataDir;
  app.setPath('userData', userData);
  app.setPath('sessionData', path.join(userData, 'chromium'));

  app.enableSandbox();
  e.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // Windows shows no toast for an app without an AppUserModelID matching its shortcut.
  if (platform === 'win32') app.setAppUserModelId(APP_ID);

  // The lock is per userData dir: one app per data dir; a second launch focuses the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const devServerUrl = !app.isPackaged && env['ELECTRON_RENDERER_URL'] ? env['ELECTRON_RENDERER_URL'] : undefined;
  const preload = (name: string) => path.join(options.outDir, 'preload', `${name}.cjs`);
  const windowDeps: WindowDeps = { BrowserWindow: e.BrowserWindow, shell: e.shell };
  const isOurDashboard = (url: string) => isDashboardUrl(url, devServerUrl);
  const safeStorage = new SafeStorageWrapper(e.safeStorage, platform);
  const clipboard = new ClipboardGuard(e.clipboard);

  let owner: Owner | undefined;
  let demo: Demo | undefined;
  let mainWindow: BrowserWindow | undefined;
  let unlockWindow: BrowserWindow | undefined;
  let tray: TrayHandle | undefined;
  let notifier: Notifier | undefined;
  let vaultProtection: 'strong' | 'weak' | 'unavailable' | undefined;
  const disposers: (() => void)[] = [];
  let icon: NativeImage | undefined;
  const appIcon = () => (icon ??= e.nativeImage.createFromBuffer(appIconPng(64)));

  const dashboardUrl = (accountId?: string) => (devServerUrl ?? DASHBOARD_URL) + (accountId ? accountFragment(accountId) : '');

  const showDashboard = (accountId?: string) => {
    if (!owner) return;
    if (mainWindow && !mainWindow.isDestroyed()) {
      if (accountId) void mainWindow.loadURL(dashboardUrl(accountId)).catch(() => undefined);
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
      return;
    }
    const win = createDashboardWindow(windowDeps, { preload: preload('index'), url: dashboardUrl(accountId), icon: platform === 'darwin' ? undefined : appIcon() });
    // Closing the window keeps TokenDesk in the tray (the window is rebuilt on demand).
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined;
    });
    mainWindow = win;
  };

  const notify = (title: string, body: string) => {
    try {
      if (e.Notification.isSupported()) new e.Notification({ title, body }).show();
    } catch {
      // notifications are a courtesy
    }
  };

  const settings = async (): Promise<AppSettings | undefined> => {
    const reply = await owner?.router.handle('settings.get', {});
    return reply?.ok ? (reply.result as AppSettings) : undefined;
  };

  const refreshVaultStatus = async () => {
    const reply = await owner?.router.handle('vault.status', {});
    if (reply?.ok) vaultProtection = (reply.result as { protection: typeof vaultProtection }).protection;
  };

  const applyLoginItem = (enabled: boolean) =>
    applyLaunchAtLogin({ app, platform, env }, enabled).catch((err: unknown) => console.warn(`TokenDesk: launch at login not applied: ${(err as Error).message}`));

  const passphraseWindow = (): PassphraseWindow => {
    const win = createUnlockWindow(windowDeps, { preload: preload('unlock'), url: UNLOCK_URL, icon: platform === 'darwin' ? undefined : appIcon() });
    unlockWindow = win;
    win.once('closed', () => {
      if (unlockWindow === win) unlockWindow = undefined;
    });
    return win;
  };
  /** A second launch: the unlock window while the vault is locked, else the dashboard. */
  const showFront = () => {
    if (unlockWindow && !unlockWindow.isDestroyed()) {
      if (unlockWindow.isMinimized()) unlockWindow.restore();
      unlockWindow.show();
      unlockWindow.focus();
      return;
    }
    showDashboard();
  };
  const unlockSender = (win: PassphraseWindow) => senderCheck(() => win as unknown as WindowLike, isUnlockUrl);

  /** Opens the data dir, asking for the vault passphrase when the vault has one. undefined: the user cancelled. */
  const openOwner = async (): Promise<Owner | undefined> => {
    if (demoMode) {
      demo = await startDemo({ dataDir, realDataDir });
      return demo.owner;
    }
    const open = (wrapper: KeyWrapper) =>
      Owner.open({
        dataDir,
        keyWrapper: async () => wrapper,
        schedule: true,
        lockWaitMs: 5_000,
        systemKeyWrapper: async () => safeStorage,
        startDemo: async () => {
          launchDemoInstance(argv);
          return { kind: 'app' };
        },
      });
    const plan = await planVaultKey(dataDir, safeStorage);
    if (plan.kind === 'wrapper') return open(plan.wrapper);
    let opened: Owner | undefined;
    const { weakSystem } = plan;
    const ok = await runPassphraseFlow({
      ipcMain: e.ipcMain as unknown as IpcMainLike,
      openWindow: passphraseWindow,
      isTrustedSender: unlockSender,
      info: { mode: plan.mode, reason: plan.reason, ...(weakSystem ? { systemChoice: WEAK_SYSTEM_CHOICE } : {}) },
      attempt: async (passphrase) => {
        try {
          opened = await open(new PassphraseWrapper(passphrase));
          return { ok: true };
        } catch (err) {
          if (err instanceof VaultLockedError) return { ok: false, message: err.message };
          throw err;
        }
      },
      ...(weakSystem
        ? {
            useSystem: async () => {
              opened = await open(weakSystem);
              return { ok: true };
            },
          }
        : {}),
    });
    return ok ? opened : undefined;
  };

  /** "Use a passphrase instead" (weak safeStorage), or a new passphrase: re-wraps the vault key. */
  const setPassphrase = async () => {
    const current = owner;
    if (!current) return;
    const done = await runPassphraseFlow({
      ipcMain: e.ipcMain as unknown as IpcMainLike,
      openWindow: passphraseWindow,
      isTrustedSender: unlockSender,
      info: {
        mode: 'set',
        reason:
          vaultProtection === 'strong'
            ? 'TokenDesk will ask for this passphrase each time it starts.'
            : `${safeStorage.describe().explanation} TokenDesk will ask for this passphrase each time it starts.`,
      },
      attempt: async (passphrase) => {
        await current.rewrapVault(new PassphraseWrapper(passphrase));
        return { ok: true };
      },
    }).catch((err: unknown) => {
      e.dialog.showErrorBox('TokenDesk could not change the vault key', (err as Error).message);
      return false;
    });
    if (done) {
      await refreshVaultStatus();
      tray?.update();
    }
  };

  const copyToken = async (accountId: string) => {
    const reply = await owner?.router.handle('accounts.copy', { account: accountId, format: 'token' });
    if (!reply) return;
    if (!reply.ok) {
      notify('Could not copy the token', reply.error.message);
      return;
    }
    const { text } = reply.result as { text?: string };
    if (text !== undefined) await clipboard.copy(text, (await settings())?.clipboardClearSeconds ?? 30);
  };

  const onTrayAction = (action: TrayAction) => {
    const engine = owner?.engine;
    if (!engine) return;
    switch (action.kind) {
      case 'open':
        return showDashboard(action.accountId);
      case 'refresh-all':
        for (const a of engine.list()) if (a.status !== 'revoked') engine.refresh(a.id, 'manual').catch(() => undefined);
        return;
      case 'copy':
        return void copyToken(action.accountId);
      case 'pause-all':
        engine.setAllPaused(action.paused);
        return tray?.update();
      case 'set-passphrase':
        return void setPassphrase();
      case 'quit':
        return app.quit();
    }
  };

  const ready = async () => {
    if (platform === 'win32') createSessionWatcherWindow(e);
    hardenSession(e.session.defaultSession as unknown as SessionLike, { devServerUrl });
    e.protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: path.join(options.outDir, 'renderer'), pages: UNLOCK_PAGES }));
    e.Menu.setApplicationMenu(
      e.Menu.buildFromTemplate(appMenuTemplate({ isMac: platform === 'darwin', isPackaged: app.isPackaged, openDashboard: () => showDashboard(), setPassphrase: () => void setPassphrase() })),
    );

    owner = await openOwner();
    if (!owner) {
      app.quit();
      return;
    }
    const { engine, router } = owner;
    await refreshVaultStatus();

    disposers.push(
      registerContractIpc({
        ipcMain: e.ipcMain as unknown as IpcMainLike,
        router,
        isTrustedSender: senderCheck(() => mainWindow as unknown as WindowLike | undefined, isOurDashboard),
        after: {
          // In the desktop app main writes the clipboard; the token never reaches the page.
          'accounts.copy': async (result) => {
            if (result.text === undefined) return result;
            const seconds = (await settings())?.clipboardClearSeconds ?? 30;
            await clipboard.copy(result.text, seconds);
            return seconds > 0 ? { copied: true, clearAfterSeconds: seconds } : { copied: true };
          },
          // With no account there is no account-changed event to redraw the tray's Pause/Resume.
          'accounts.setPaused': async (result) => {
            tray?.schedule();
            return result;
          },
          'settings.set': async (result) => {
            void applyLoginItem(result.launchAtLogin);
            return result;
          },
        },
        onRefused: (call, url) => console.warn(`TokenDesk: refused ${call} from ${url ?? 'an unknown frame'}`),
      }),
    );
    disposers.push(forwardEvents(engine as unknown as Parameters<typeof forwardEvents>[0], () => mainWindow as unknown as WindowLike | undefined, isOurDashboard));
    disposers.push(watchPower(e.powerMonitor, engine));
    disposers.push(watchShutdown(e.powerMonitor as unknown as Parameters<typeof watchShutdown>[0], quit, platform));

    tray = createTray(e as unknown as TrayElectron, {
      getState: () => ({ accounts: engine.list(), pausedAll: engine.pausedAll, vaultProtection, now: Date.now() }),
      onAction: onTrayAction,
      events: engine as unknown as Parameters<typeof createTray>[1]['events'],
      platform,
    });
    notifier = createNotifier(e.Notification as unknown as NotificationClass, {
      events: engine as unknown as Parameters<typeof createNotifier>[1]['events'],
      openAccount: (id) => showDashboard(id),
      initial: engine.list(),
    });

    // Playwright's _electron tests read the tray and click a notification through electronApp.evaluate.
    if (env['TOKENDESK_TEST_HOOKS'] === '1') {
      Object.assign(globalThis, {
        __tokendeskTray: () => tray?.snapshot(),
        __tokendeskNotifications: () => notifier?.shown().map((n) => n.title) ?? [],
        __tokendeskClickNotification: (index: number) => notifier?.shown()[index]?.click(),
      });
    }

    const current = await settings();
    if (current) void applyLoginItem(current.launchAtLogin);
    if (!shouldStartHidden(argv, app, platform)) showDashboard();
  };

  // ── lifecycle ────────────────────────────────────────────────────────────
  app.on('second-instance', () => showFront());
  app.on('activate', () => showDashboard()); // macOS: the dock icon
  app.on('window-all-closed', () => {
    // Stay in the tray: quitting is explicit (tray, menu, Cmd+Q).
  });
  // Every web contents, ours or not: no webviews, no new windows, no navigation.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.on('will-navigate', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  // Quit (bounded) and the end of the OS session (≤ 2 s, never blocking the OS): quit.ts.
  const quit = wireQuit({
    app,
    platform,
    teardown: async () => {
      await clipboard.clearIfHeld().catch(() => false);
      notifier?.dispose();
      tray?.destroy();
      for (const dispose of disposers.splice(0)) dispose();
      // Engine stopped (refreshes in flight finish and are saved), files flushed, socket closed, lock released.
      // The demo's close() also stops its simulators.
      const closing = demo ? demo.close() : owner?.close();
      owner = undefined;
      demo = undefined;
      await closing;
    },
  });

  app
    .whenReady()
    .then(ready)
    .catch((err: unknown) => {
      const title = err instanceof OwnerLockedError ? 'TokenDesk is already running' : 'TokenDesk could not start';
      const message = err instanceof Error ? err.message : String(err);
      console.error(`TokenDesk: ${title}: ${message}`);
      e.dialog.showErrorBox(title, message);
      app.quit();
    });
}
