// What the desktop app is given: every Electron object it uses (so tests and the built
// bundle's smoke test can hand it stand-ins), how it was started, and which data dir this
// instance owns.
import type {
  App, BrowserWindow, Dialog, IpcMain, Menu, NativeImage, Notification, PowerMonitor, Protocol, SafeStorage, Screen, Session, Shell, Tray,
} from 'electron';
import type { ClipboardLike } from './clipboard.js';

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
  screen: Pick<Screen, 'getAllDisplays'>;
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

/** Which data dir this instance owns, and where Electron keeps its own files. */
export interface InstancePaths {
  /** The user's data dir (TOKENDESK_HOME, else the platform's config dir). */
  realDataDir: string;
  /** `--demo`: the demo data dir, wiped at each start; otherwise the real one. */
  dataDir: string;
  demoMode: boolean;
}

