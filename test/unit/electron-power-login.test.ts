// powerMonitor resume/unlock → engine catch-up; launch at login per platform.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchPower } from '../../src/main/app/power.js';
import { applyLaunchAtLogin, autostartFile } from '../../src/main/app/login-item.js';

describe('power events', () => {
  it('resume and unlock-screen each run engine.catchUp("resume"); the watcher detaches', () => {
    const power = new EventEmitter();
    const triggers: (string | undefined)[] = [];
    const stop = watchPower(power, { catchUp: (t) => void triggers.push(t) });
    power.emit('resume');
    power.emit('unlock-screen');
    power.emit('suspend');
    expect(triggers).toEqual(['resume', 'resume']);
    stop();
    expect(power.eventNames()).toEqual([]);
  });
});

describe('launch at login', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const fakeApp = (isPackaged = true) => {
    const calls: unknown[] = [];
    return { app: { isPackaged, setLoginItemSettings: (s: unknown) => void calls.push(s) }, calls };
  };

  it('uses the login-item API on macOS and Windows, starting hidden in the tray', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { app, calls } = fakeApp();
      expect(await applyLaunchAtLogin({ app, platform }, true)).toEqual({ applied: true, how: 'login-item' });
      await applyLaunchAtLogin({ app, platform }, false);
      expect(calls).toEqual([
        { openAtLogin: true, args: ['--hidden'] },
        { openAtLogin: false, args: ['--hidden'] },
      ]);
    }
  });

  it('writes and removes an XDG autostart entry on Linux (the AppImage itself when packaged as one)', async () => {
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'td-autostart-'));
    dirs.push(config);
    const env = { XDG_CONFIG_HOME: config, APPIMAGE: '/home/u/Apps/TokenDesk "1".AppImage' };
    const { app } = fakeApp();
    expect(await applyLaunchAtLogin({ app, platform: 'linux', env }, true)).toEqual({ applied: true, how: 'autostart-file' });
    const file = autostartFile(env);
    expect(file).toBe(path.join(config, 'autostart', 'tokendesk.desktop'));
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\nName=TokenDesk\n/);
    expect(entry).toContain('Exec="/home/u/Apps/TokenDesk \\"1\\".AppImage" --hidden\n');
    await applyLaunchAtLogin({ app, platform: 'linux', env }, false);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('does nothing for an unpackaged (development) app', async () => {
    const { app, calls } = fakeApp(false);
    expect(await applyLaunchAtLogin({ app, platform: 'darwin' }, true)).toEqual({ applied: false, reason: 'not a packaged app' });
    expect(calls).toEqual([]);
  });
});
