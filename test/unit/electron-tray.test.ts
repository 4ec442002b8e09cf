// The tray: its menu model as plain data (health, order, labels, actions), and the
// adapter with stand-ins for Tray, Menu and nativeImage (icon per health, throttled
// rebuilds on engine events, clicks become actions, destroy unsubscribes).
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/shared/contract.js';
import { pngSize, trayIconPng } from '../../src/main/app/icons.js';
import { createTray, toMenuTemplate, type TrayElectron } from '../../src/main/app/tray.js';
import {
  MAX_MENU_ACCOUNTS, expiryText, healthSummary, humanDuration, menuOrder, overallHealth, trayMenuModel, type TrayAction, type TrayMenuItem, type TrayState,
} from '../../src/main/app/tray-model.js';

const NOW = 1_700_000_000_000;
let n = 0;
function account(over: Partial<AccountView> = {}): AccountView {
  n++;
  return {
    id: `id${n}`, name: `acct${n}`, providerId: 'ups', settings: {}, paused: false, status: 'active', createdAt: 1, updatedAt: 1,
    notSaved: false, hasAccessToken: true, retryAttempt: 0, expiresAt: NOW + 3_600_000, ...over,
  } as AccountView;
}
const state = (accounts: AccountView[], over: Partial<TrayState> = {}): TrayState => ({ accounts, pausedAll: false, now: NOW, vaultProtection: 'strong', ...over });
const byId = (items: TrayMenuItem[], id: string) => items.find((i) => i.id === id);

describe('tray model', () => {
  it('colours by the worst account: attention > retrying > ok', () => {
    expect(overallHealth([])).toBe('ok');
    expect(overallHealth([account(), account({ status: 'paused' }), account({ status: 'revoked' })])).toBe('ok');
    expect(overallHealth([account(), account({ status: 'retrying', retryAttempt: 2 })])).toBe('retrying');
    expect(overallHealth([account({ notSaved: true })])).toBe('retrying');
    expect(overallHealth([account({ status: 'retrying' }), account({ status: 'reauth_required' })])).toBe('attention');
    expect(overallHealth([account({ status: 'config_error' })])).toBe('attention');
  });

  it('summarises in words', () => {
    expect(healthSummary([])).toBe('No accounts yet');
    expect(healthSummary([account()])).toBe('The account is fine');
    expect(healthSummary([account(), account()], true)).toBe('All 2 accounts are fine · auto-refresh paused');
    expect(healthSummary([account({ status: 'reauth_required' }), account({ status: 'retrying' }), account({ status: 'retrying' })])).toBe(
      '1 account needs you · 2 accounts are retrying',
    );
  });

  it('writes expiry coarsely', () => {
    expect(humanDuration(45_000)).toBe('45 s');
    expect(humanDuration(3 * 60_000)).toBe('3 min');
    expect(humanDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(humanDuration(5 * 86_400_000)).toBe('5 d');
    expect(expiryText(account({ expiresAt: NOW + 90_000 }), NOW)).toBe('expires in 1 min');
    expect(expiryText(account({ expiresAt: NOW - 600_000 }), NOW)).toBe('expired 10 min ago');
    expect(expiryText(account({ expiresAt: undefined }), NOW)).toBe('no known expiry');
    expect(expiryText(account({ hasAccessToken: false }), NOW)).toBe('no token');
  });

  it('lists accounts most urgent first, then by expiry', () => {
    const later = account({ name: 'later', expiresAt: NOW + 9e6 });
    const sooner = account({ name: 'sooner', expiresAt: NOW + 1e6 });
    const broken = account({ name: 'broken', status: 'reauth_required' });
    const retry = account({ name: 'retry', status: 'retrying', retryAttempt: 1 });
    expect(menuOrder([later, sooner, retry, broken]).map((a) => a.name)).toEqual(['broken', 'retry', 'sooner', 'later']);
  });

  it('has the whole menu: summary, accounts, refresh all, copy ▸, pause, open, quit', () => {
    const a = account({ name: 'R&D prod', expiresAt: NOW + 12 * 60_000 });
    const b = account({ name: 'stuck', status: 'reauth_required', statusMessage: 'invalid_grant' });
    const items = trayMenuModel(state([a, b]));
    expect(items.map((i) => i.id ?? i.type)).toEqual(['summary', 'separator', `account:${b.id}`, `account:${a.id}`, 'separator', 'refresh-all', 'copy', 'pause', 'separator', 'open', 'quit']);
    expect(byId(items, 'summary')).toMatchObject({ label: '1 account needs you', enabled: false });
    expect(byId(items, `account:${a.id}`)).toMatchObject({ label: 'R&&D prod — active, expires in 12 min', action: { kind: 'open', accountId: a.id } });
    expect(byId(items, `account:${b.id}`)?.label).toBe('⚠ stuck — sign in again, expires in 1 h');
    const copy = byId(items, 'copy')!;
    expect(copy.type).toBe('submenu');
    expect(copy.submenu).toEqual([
      { id: `copy:${b.id}`, label: 'stuck', enabled: false, action: { kind: 'copy', accountId: b.id } },
      { id: `copy:${a.id}`, label: 'R&&D prod', enabled: true, action: { kind: 'copy', accountId: a.id } },
    ]);
    expect(byId(items, 'refresh-all')).toMatchObject({ enabled: true, action: { kind: 'refresh-all' } });
    expect(byId(items, 'pause')).toMatchObject({ label: 'Pause auto-refresh', action: { kind: 'pause-all', paused: true } });
    expect(byId(items, 'quit')?.action).toEqual({ kind: 'quit' });
  });

  it('offers Resume when paused, a passphrase when the vault is weak, and nothing to copy without accounts', () => {
    const paused = trayMenuModel(state([account()], { pausedAll: true, vaultProtection: 'weak' }));
    expect(byId(paused, 'pause')).toMatchObject({ label: 'Resume auto-refresh', action: { kind: 'pause-all', paused: false } });
    expect(byId(paused, 'set-passphrase')?.action).toEqual({ kind: 'set-passphrase' });
    const empty = trayMenuModel(state([]));
    expect(byId(empty, 'copy')).toMatchObject({ enabled: false, submenu: [] });
    expect(byId(empty, 'refresh-all')?.enabled).toBe(false);
    expect(byId(empty, 'set-passphrase')).toBeUndefined();
  });

  it(`shows at most ${MAX_MENU_ACCOUNTS} accounts and says how many more`, () => {
    const many = Array.from({ length: MAX_MENU_ACCOUNTS + 5 }, () => account());
    const items = trayMenuModel(state(many));
    expect(items.filter((i) => i.id?.startsWith('account:'))).toHaveLength(MAX_MENU_ACCOUNTS);
    expect(byId(items, 'more')).toMatchObject({ label: '… and 5 more', action: { kind: 'open' } });
  });
});

function fakeElectron() {
  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    images: unknown[] = [];
    tooltip?: string;
    menus: { template: ReturnType<typeof toMenuTemplate> }[] = [];
    destroyed = false;
    constructor(image: unknown) {
      super();
      this.images.push(image);
      trays.push(this);
    }
    setImage(i: unknown) {
      this.images.push(i);
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu(m: { template: ReturnType<typeof toMenuTemplate> }) {
      this.menus.push(m);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const electron = {
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
    nativeImage: { createFromBuffer: (buffer: Buffer, options: unknown) => ({ buffer, options }) },
  } as unknown as TrayElectron;
  return { electron, trays };
}

function manualTimers() {
  const pending = new Map<number, () => void>();
  let id = 0;
  return {
    pending,
    timers: {
      setTimeout: (fn: () => void) => (pending.set(++id, fn), id),
      clearTimeout: (h: unknown) => void pending.delete(h as number),
      setInterval: () => -1,
      clearInterval: () => undefined,
    },
    runAll() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
  };
}

describe('tray: refresh-token expiry warnings', () => {
  const DAY = 86_400_000;
  it('names a refresh token that dies within the warning window, first in the menu, with sign in as the way out', () => {
    const fine = account({ name: 'fine', expiresAt: NOW + 60_000, refreshTokenExpiresAt: NOW + 50 * DAY });
    const dying = account({ name: 'dying', expiresAt: NOW + 3_600_000, refreshTokenExpiresAt: NOW + 5 * DAY });
    const items = trayMenuModel(state([fine, dying], { refreshTokenWarningDays: 7 }));
    expect(items.filter((i) => i.id?.startsWith('account:')).map((i) => i.id)).toEqual([`account:${dying.id}`, `account:${fine.id}`]);
    expect(byId(items, `account:${dying.id}`)).toMatchObject({
      label: '⚠ dying — active, expires in 1 h; refresh token expires in 5 days, sign in again',
      action: { kind: 'open', accountId: dying.id },
    });
    expect(byId(items, `account:${fine.id}`)?.label).toBe('fine — active, expires in 1 min');
    expect(byId(items, 'summary')?.label).toBe('1 refresh token expires soon');
    // A shorter window (or 0 = off) and the warning is gone.
    expect(byId(trayMenuModel(state([dying], { refreshTokenWarningDays: 3 })), 'summary')?.label).toBe('The account is fine');
    expect(byId(trayMenuModel(state([dying], { refreshTokenWarningDays: 0 })), `account:${dying.id}`)?.label).toBe('dying — active, expires in 1 h');
  });

  it('puts the warning in the tooltip too', () => {
    const { electron, trays } = fakeElectron();
    const dying = account({ name: 'dying', refreshTokenExpiresAt: NOW + 2 * DAY });
    const other = account({ name: 'other', refreshTokenExpiresAt: NOW + DAY });
    createTray(electron, { getState: () => state([dying, other], { refreshTokenWarningDays: 7 }), onAction: () => undefined, events: new EventEmitter() as never, timers: manualTimers().timers });
    expect(trays[0]!.tooltip).toBe('TokenDesk — 2 refresh tokens expire soon');
  });
});

describe('tray adapter', () => {
  it('builds icon, tooltip and menu at once; clicks become actions', () => {
    const { electron, trays } = fakeElectron();
    const actions: TrayAction[] = [];
    const a = account({ name: 'prod' });
    const engine = new EventEmitter();
    createTray(electron, { getState: () => state([a]), onAction: (x) => actions.push(x), events: engine as never, timers: manualTimers().timers, platform: 'linux' });
    const tray = trays[0]!;
    expect(tray.tooltip).toBe('TokenDesk — The account is fine');
    const template = tray.menus.at(-1)!.template;
    template.find((i) => i.id === `account:${a.id}`)!.click!({} as never, undefined, {} as never);
    (template.find((i) => i.id === 'copy')!.submenu as ReturnType<typeof toMenuTemplate>)[0]!.click!({} as never, undefined, {} as never);
    template.find((i) => i.id === 'quit')!.click!({} as never, undefined, {} as never);
    expect(actions).toEqual([{ kind: 'open', accountId: a.id }, { kind: 'copy', accountId: a.id }, { kind: 'quit' }]);
  });

  it('draws the icon in the health colour (32 px at scale 2) and swaps it only when health changes', () => {
    const { electron, trays } = fakeElectron();
    const accounts = [account()];
    const t = manualTimers();
    const engine = new EventEmitter();
    const handle = createTray(electron, { getState: () => state(accounts), onAction: () => undefined, events: engine as never, timers: t.timers });
    const tray = trays[0]!;
    const imagesAtStart = tray.images.length;
    handle.update();
    expect(tray.images).toHaveLength(imagesAtStart);
    accounts[0] = { ...accounts[0]!, status: 'reauth_required' };
    handle.update();
    const last = tray.images.at(-1) as { buffer: Buffer; options: unknown };
    expect(last.options).toEqual({ scaleFactor: 2 });
    expect(pngSize(last.buffer)).toEqual({ width: 32, height: 32 });
    expect(last.buffer.equals(trayIconPng('attention', 32))).toBe(true);
  });

  it('coalesces a burst of engine events into one rebuild, and stops listening on destroy', () => {
    const { electron, trays } = fakeElectron();
    const t = manualTimers();
    const engine = new EventEmitter();
    const getState = vi.fn(() => state([account()]));
    const handle = createTray(electron, { getState, onAction: () => undefined, events: engine as never, timers: t.timers });
    expect(getState).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) engine.emit(i % 2 ? 'account-changed' : 'refresh-finished', {});
    expect(t.pending.size).toBe(1);
    t.runAll();
    expect(getState).toHaveBeenCalledTimes(2);
    expect(trays[0]!.menus).toHaveLength(2);
    handle.destroy();
    expect(trays[0]!.destroyed).toBe(true);
    expect(engine.eventNames()).toEqual([]);
    engine.emit('account-changed', {});
    expect(t.pending.size).toBe(0);
  });

  it('opens the dashboard on a left click on Windows', () => {
    const { electron, trays } = fakeElectron();
    const actions: TrayAction[] = [];
    createTray(electron, { getState: () => state([]), onAction: (x) => actions.push(x), events: new EventEmitter() as never, timers: manualTimers().timers, platform: 'win32' });
    trays[0]!.emit('click');
    expect(actions).toEqual([{ kind: 'open' }]);
  });
});
