// "Launch at login" (settings.launchAtLogin). macOS and Windows have
// app.setLoginItemSettings; Linux has none, so there we write (or delete) an XDG
// autostart entry. Only a packaged app registers itself: a dev build would register
// the bare Electron binary.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';

export interface LoginItemDeps {
  app: Pick<App, 'setLoginItemSettings' | 'isPackaged'>;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  execPath?: string;
  home?: string;
}

/**
 * Whether this launch starts in the tray without a window: `--hidden` (Windows' login item
 * and the Linux autostart entry pass it), or macOS reporting that it opened us at login
 * (the login item's `args` are ignored there).
 */
export function shouldStartHidden(argv: readonly string[], app: Pick<App, 'getLoginItemSettings'>, platform: NodeJS.Platform = process.platform): boolean {
  if (argv.includes('--hidden')) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}

export type LoginItemResult = { applied: true; how: 'login-item' | 'autostart-file' } | { applied: false; reason: string };

export function autostartFile(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'autostart', 'tokendesk.desktop');
}

/** A .desktop Exec value: quoted, with the characters the spec reserves escaped. */
function desktopExec(executable: string): string {
  return `"${executable.replace(/([\\"`$])/g, '\\$1')}" --hidden`;
}

export async function applyLaunchAtLogin(deps: LoginItemDeps, enabled: boolean): Promise<LoginItemResult> {
  if (!deps.app.isPackaged) return { applied: false, reason: 'not a packaged app' };
  const platform = deps.platform ?? process.platform;
  if (platform === 'darwin' || platform === 'win32') {
    deps.app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
    return { applied: true, how: 'login-item' };
  }
  const env = deps.env ?? process.env;
  const file = autostartFile(env, deps.home);
  if (!enabled) {
    await rm(file, { force: true });
    return { applied: true, how: 'autostart-file' };
  }
  // An AppImage runs from a temporary mount: autostart the image itself.
  const executable = env['APPIMAGE'] || deps.execPath || process.execPath;
  const entry = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=TokenDesk',
    'Comment=Keeps API access tokens alive',
    `Exec=${desktopExec(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, entry, { mode: 0o644 });
  return { applied: true, how: 'autostart-file' };
}
