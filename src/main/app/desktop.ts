// The desktop app: wires the headless core (the Owner: vault, stores, engine, local
// socket) to the Electron adapters of this folder. Every Electron object comes in
// through `ElectronApi`, so the built bundle can be loaded with a recording stand-in
// for the `electron` module (test/unit/electron-smoke.test.ts) and checked for what it wires.
//   desktop.ts          before `ready`: paths, sandbox, scheme, single instance, app events
//   desktop-session.ts  after `ready`: the owner, IPC, tray, notifications, teardown
import path from 'node:path';
import { defaultDemoDir } from '../core/demo.js';
import { resolveDataDir } from '../core/storage/data-dir.js';
import { OwnerLockedError } from '../core/storage/owner-lock.js';
import { APP_ID } from './app-id.js';
import { APP_SCHEME_PRIVILEGES } from './app-protocol.js';
import { DesktopSession } from './desktop-session.js';
import type { DesktopOptions, ElectronApi, InstancePaths } from './electron-api.js';
import { wireQuit } from './lifecycle.js';

export { launchDemoInstance } from './vault-flows.js';
export type { DesktopOptions, ElectronApi } from './electron-api.js';

function instancePaths(env: NodeJS.ProcessEnv, argv: readonly string[], platform: NodeJS.Platform): InstancePaths & { userData: string } {
  // One data dir for the app and the CLI (so `tokendesk token …` is a client of the running
  // app) — which is also Electron's userData. The demo keeps Electron's files beside its dir.
  const realDataDir = resolveDataDir({ env, platform });
  const demoMode = argv.includes('--demo');
  const dataDir = demoMode ? defaultDemoDir() : realDataDir;
  return { realDataDir, dataDir, demoMode, userData: demoMode ? `${dataDir}-app` : dataDir };
}

export function startDesktop(e: ElectronApi, options: DesktopOptions): void {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  const platform = options.platform ?? process.platform;
  const { app } = e;

  const paths = instancePaths(env, argv, platform);
  app.setPath('userData', paths.userData);
  app.setPath('sessionData', path.join(paths.userData, 'chromium'));
  app.enableSandbox();
  e.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // Windows shows no toast for an app without an AppUserModelID matching its shortcut.
  if (platform === 'win32') app.setAppUserModelId(APP_ID);

  // The lock is per userData dir: one app per data dir; a second launch focuses the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const session = new DesktopSession(e, { ...paths, outDir: options.outDir, env, argv, platform });
  app.on('second-instance', () => session.windows.showFront());
  app.on('activate', () => session.windows.showDashboard()); // macOS: the dock icon
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
  const quit = wireQuit({ app, platform, teardown: () => session.teardown() });

  app
    .whenReady()
    .then(() => session.start(quit))
    .catch((err: unknown) => {
      const title = err instanceof OwnerLockedError ? 'TokenDesk is already running' : 'TokenDesk could not start';
      const message = err instanceof Error ? err.message : String(err);
      console.error(`TokenDesk: ${title}: ${message}`);
      e.dialog.showErrorBox(title, message);
      app.quit();
    });
}
