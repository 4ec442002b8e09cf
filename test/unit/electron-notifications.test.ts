// Notifications: once per episode when an account needs re-authentication (or its
// settings fixed), once per streak when it keeps failing; a click opens that account.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/shared/contract.js';
import { createNotifier, type NotificationClass } from '../../src/main/app/notifications.js';

function fakeNotification(supported = true) {
  const shown: FakeNotification[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported = () => supported;
    closed = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
    }
    show() {
      shown.push(this);
    }
    close() {
      this.closed = true;
      this.emit('close');
    }
  }
  return { Notification: FakeNotification as unknown as NotificationClass, shown };
}

const view = (status: AccountView['status'], over: Partial<AccountView> = {}) => ({ id: 'a1', name: 'ups-prod', status, ...over }) as AccountView;
const finished = (ok: boolean, errorClass?: string, message?: string) => ({ accountId: 'a1', ok, event: { outcome: ok ? 'ok' : 'error', errorClass, message } });

describe('notifications', () => {
  it('says so once when an account turns reauth_required; a click opens it', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification();
    const opened: string[] = [];
    createNotifier(Notification, { events: engine as never, openAccount: (id) => opened.push(id) });
    engine.emit('account-changed', view('active'));
    engine.emit('account-changed', view('refreshing'));
    engine.emit('account-changed', view('reauth_required', { statusMessage: 'The refresh token was revoked' }));
    // A manual retry passes through "refreshing" and fails the same way: same episode.
    engine.emit('account-changed', view('refreshing'));
    engine.emit('account-changed', view('reauth_required'));
    expect(shown.map((n) => n.options)).toEqual([expect.objectContaining({ title: 'ups-prod: sign in again', body: 'The refresh token was revoked' })]);
    shown[0]!.emit('click');
    expect(opened).toEqual(['a1']);
    // Fixed, then broken again: a new episode.
    engine.emit('account-changed', view('active'));
    engine.emit('account-changed', view('reauth_required'));
    expect(shown).toHaveLength(2);
  });

  it('says so for config_error too', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification();
    createNotifier(Notification, { events: engine as never, openAccount: () => undefined });
    engine.emit('account-changed', view('config_error', { statusMessage: 'invalid_client' }));
    expect(shown[0]!.options).toMatchObject({ title: 'ups-prod: check its settings', body: 'invalid_client' });
  });

  it('a status the account already had at start is not news', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification();
    createNotifier(Notification, { events: engine as never, openAccount: () => undefined, initial: [view('reauth_required')] });
    engine.emit('account-changed', view('reauth_required'));
    expect(shown).toHaveLength(0);
  });

  it('after 3 failures in a row: one "keeps failing", reset by a success', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification();
    const opened: string[] = [];
    createNotifier(Notification, { events: engine as never, openAccount: (id) => opened.push(id) });
    engine.emit('account-changed', view('retrying'));
    engine.emit('refresh-finished', finished(false, 'transient', 'HTTP 503'));
    engine.emit('refresh-finished', finished(false, 'transient', 'HTTP 503'));
    expect(shown).toHaveLength(0);
    engine.emit('refresh-finished', finished(false, 'transient', 'HTTP 503'));
    engine.emit('refresh-finished', finished(false, 'transient', 'HTTP 503'));
    expect(shown.map((n) => n.options.title)).toEqual(['ups-prod keeps failing to refresh']);
    expect(shown[0]!.options.body).toBe('3 attempts in a row failed: HTTP 503. TokenDesk keeps retrying.');
    shown[0]!.emit('click');
    expect(opened).toEqual(['a1']);
    engine.emit('refresh-finished', finished(true));
    for (let i = 0; i < 3; i++) engine.emit('refresh-finished', finished(false, 'rate_limited'));
    expect(shown).toHaveLength(2);
  });

  it('leaves reauth/config failures to the status notification', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification();
    createNotifier(Notification, { events: engine as never, openAccount: () => undefined, failureThreshold: 1 });
    engine.emit('refresh-finished', finished(false, 'reauth_required'));
    expect(shown).toHaveLength(0);
  });

  it('does nothing where notifications are unsupported, and disposes cleanly', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification(false);
    const notifier = createNotifier(Notification, { events: engine as never, openAccount: () => undefined });
    engine.emit('account-changed', view('reauth_required'));
    expect(shown).toHaveLength(0);
    notifier.dispose();
    expect(engine.eventNames()).toEqual([]);
  });
});

describe('notifications: refresh-token expiry', () => {
  const DAY = 86_400_000;
  const NOW = 1_700_000_000_000;
  const manualInterval = () => {
    let fn: (() => void) | undefined;
    return { timers: { setInterval: (f: () => void) => ((fn = f), 1), clearInterval: () => (fn = undefined) }, tick: () => fn?.(), armed: () => fn !== undefined };
  };

  it('warns once per refresh token when it enters the window; a click opens the account', () => {
    const engine = new EventEmitter();
    const { Notification, shown } = fakeNotification();
    const opened: string[] = [];
    let now = NOW;
    const clock = manualInterval();
    const notifier = createNotifier(Notification, {
      events: engine as never,
      openAccount: (id) => opened.push(id),
      refreshTokenWarningDays: () => 7,
      now: () => now,
      timers: clock.timers,
      initial: [view('active', { refreshTokenExpiresAt: NOW + 10 * DAY })],
    });
    expect(shown).toHaveLength(0);
    // Time alone brings it into the window: the periodic check notices.
    now = NOW + 4 * DAY;
    clock.tick();
    expect(shown.map((n) => n.options.title)).toEqual(['ups-prod: refresh token expires in 6 days']);
    expect(shown[0]!.options.body).toMatch(/^Sign in again before it does/);
    shown[0]!.emit('click');
    expect(opened).toEqual(['a1']);
    // Refreshes rotate the token but it keeps its expiry (about): the same token, no news.
    engine.emit('account-changed', view('active', { refreshTokenExpiresAt: NOW + 10 * DAY + 1000 }));
    now = NOW + 9 * DAY;
    clock.tick();
    expect(shown).toHaveLength(1);
    // A new sign-in brings a new refresh token; when that one nears its end, it is news again.
    engine.emit('account-changed', view('active', { refreshTokenExpiresAt: now + 6 * DAY }));
    expect(shown.map((n) => n.options.title).at(-1)).toBe('ups-prod: refresh token expires in 6 days');
    expect(shown).toHaveLength(2);
    notifier.dispose();
    expect(clock.armed()).toBe(false);
  });

  it('warns at start for an account already in the window; not with warnings off or for a stopped account', () => {
    const { Notification, shown } = fakeNotification();
    createNotifier(Notification, {
      events: new EventEmitter() as never,
      openAccount: () => undefined,
      refreshTokenWarningDays: () => 7,
      now: () => NOW,
      timers: manualInterval().timers,
      initial: [view('active', { refreshTokenExpiresAt: NOW + 3 * DAY }), view('reauth_required', { id: 'a2', name: 'dead', refreshTokenExpiresAt: NOW + DAY })],
    });
    expect(shown.map((n) => n.options.title)).toEqual(['ups-prod: refresh token expires in 3 days']);

    const off = fakeNotification();
    let days = 0;
    const notifier = createNotifier(off.Notification, {
      events: new EventEmitter() as never,
      openAccount: () => undefined,
      refreshTokenWarningDays: () => days,
      now: () => NOW,
      timers: manualInterval().timers,
      initial: [view('active', { refreshTokenExpiresAt: NOW + 3 * DAY })],
    });
    expect(off.shown).toHaveLength(0);
    // The setting changes: the desktop session asks for a fresh look.
    days = 7;
    notifier.checkRefreshTokens();
    expect(off.shown).toHaveLength(1);
  });
  it('remembers a warning across app starts: the same token is not news after a restart; a removed account is forgotten', () => {
    const remembered = new Map<string, number>();
    const warned = { get: (id: string) => remembered.get(id), set: (id: string, at: number) => void remembered.set(id, at), delete: (id: string) => void remembered.delete(id) };
    const start = (refreshTokenExpiresAt: number) => {
      const engine = new EventEmitter();
      const { Notification, shown } = fakeNotification();
      const notifier = createNotifier(Notification, {
        events: engine as never,
        openAccount: () => undefined,
        refreshTokenWarningDays: () => 7,
        now: () => NOW,
        timers: manualInterval().timers,
        warned,
        initial: [view('active', { refreshTokenExpiresAt })],
      });
      return { engine, shown, notifier };
    };
    const first = start(NOW + 3 * DAY);
    expect(first.shown.map((n) => n.options.title)).toEqual(['ups-prod: refresh token expires in 3 days']);
    expect(remembered.get('a1')).toBe(NOW + 3 * DAY);
    first.notifier.dispose();
    // The app starts again: the same refresh token (rotations keep about its expiry).
    expect(start(NOW + 3 * DAY + 1000).shown).toHaveLength(0);
    // After a new sign-in the new token nears its end: news again.
    const later = start(NOW + 3 * DAY + 2 * 3_600_000);
    expect(later.shown).toHaveLength(1);
    later.engine.emit('account-removed', { id: 'a1' });
    expect(remembered.has('a1')).toBe(false);
  });
});
