// The system tray: the health-coloured icon and the menu of tray-model.ts, rebuilt
// when the engine's events arrive (throttled: a refresh burst rebuilds once) and once
// a minute so "expires in" stays roughly right. Electron classes are injected.
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { EventName } from '../../shared/contract.js';
import { EVENT_NAMES } from '../../shared/ipc.js';
import { trayIconPng, type Health } from './icons.js';
import type { Timers } from './clipboard.js';
import { healthSummary, overallHealth, trayMenuModel, type TrayAction, type TrayMenuItem, type TrayState } from './tray-model.js';

export interface TrayElectron {
  Tray: new (image: NativeImage) => Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: { createFromBuffer(buffer: Buffer, options?: { scaleFactor?: number }): NativeImage };
}

export interface TrayEvents {
  on(event: EventName, listener: (payload: unknown) => void): unknown;
  off(event: EventName, listener: (payload: unknown) => void): unknown;
}

export interface TrayOptions {
  getState(): TrayState;
  onAction(action: TrayAction): void;
  events: TrayEvents;
  throttleMs?: number;
  /** Periodic rebuild for the "expires in" texts (0 = none). */
  tickMs?: number;
  timers?: Timers & { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
  platform?: NodeJS.Platform;
}

export interface TrayHandle {
  readonly tray: Tray;
  /** Rebuilds icon, tooltip and menu now. */
  update(): void;
  /** Rebuilds soon (coalescing bursts). */
  schedule(): void;
  /** What the tray shows now (tooltip, health, menu model): for tests that drive a real app. */
  snapshot(): { tooltip: string; health: Health; menu: TrayMenuItem[] };
  destroy(): void;
}

const defaultTimers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn: () => void, ms: number) => setInterval(fn, ms).unref(),
  clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout),
};

/** The model as Electron menu templates, with click handlers bound to `onAction`. */
export function toMenuTemplate(items: TrayMenuItem[], onAction: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    if (item.type === 'separator') return { type: 'separator' };
    const out: MenuItemConstructorOptions = { label: item.label, enabled: item.enabled ?? true };
    if (item.id) out.id = item.id;
    if (item.submenu) out.submenu = toMenuTemplate(item.submenu, onAction);
    const action = item.action;
    if (action) out.click = () => onAction(action);
    return out;
  });
}

export function createTray(electron: TrayElectron, options: TrayOptions): TrayHandle {
  const timers = options.timers ?? defaultTimers;
  const throttleMs = options.throttleMs ?? 500;
  const images = new Map<Health, NativeImage>();
  const image = (health: Health) => {
    let img = images.get(health);
    if (!img) {
      // 32 px drawn at scale factor 2: a crisp 16-point icon on every platform.
      img = electron.nativeImage.createFromBuffer(trayIconPng(health, 32), { scaleFactor: 2 });
      images.set(health, img);
    }
    return img;
  };

  const tray = new electron.Tray(image('ok'));
  let shownHealth: Health = 'ok';
  let destroyed = false;
  let pending: unknown;
  let lastUpdate = -Infinity;
  let shown: ReturnType<TrayHandle['snapshot']> = { tooltip: '', health: 'ok', menu: [] };

  const update = () => {
    if (destroyed) return;
    if (pending !== undefined) timers.clearTimeout(pending);
    pending = undefined;
    lastUpdate = Date.now();
    const state = options.getState();
    const health = overallHealth(state.accounts);
    if (health !== shownHealth) {
      tray.setImage(image(health));
      shownHealth = health;
    }
    const days = state.refreshTokenWarningDays;
    const tooltip = `TokenDesk — ${healthSummary(state.accounts, state.pausedAll, days === undefined ? undefined : { days, now: state.now })}`;
    const menu = trayMenuModel(state);
    tray.setToolTip(tooltip);
    tray.setContextMenu(electron.Menu.buildFromTemplate(toMenuTemplate(menu, options.onAction)));
    shown = { tooltip, health, menu };
  };

  const schedule = () => {
    if (destroyed || pending !== undefined) return;
    const wait = Math.max(0, lastUpdate + throttleMs - Date.now());
    pending = timers.setTimeout(update, wait);
  };

  const listener = () => schedule();
  for (const name of EVENT_NAMES) options.events.on(name, listener);
  const tick = options.tickMs === 0 ? undefined : timers.setInterval(update, options.tickMs ?? 60_000);

  // Windows: a left click on the icon opens the window (macOS and Linux show the menu).
  if ((options.platform ?? process.platform) === 'win32') tray.on('click', () => options.onAction({ kind: 'open' }));
  update();

  return {
    tray,
    update,
    schedule,
    snapshot: () => shown,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (pending !== undefined) timers.clearTimeout(pending);
      if (tick !== undefined) timers.clearInterval(tick);
      for (const name of EVENT_NAMES) options.events.off(name, listener);
      tray.destroy();
    },
  };
}
