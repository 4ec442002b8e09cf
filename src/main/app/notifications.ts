// Desktop notifications for what needs the user: an account that turned
// reauth_required (or config_error), one that keeps failing (N failed refreshes in a
// row), and one whose refresh token dies soon (the `refreshTokenWarningDays` setting).
// One notification per episode, not per attempt — per refresh token for the warning;
// clicking opens that account, where Sign in is the offered action.
import type { NotificationConstructorOptions } from 'electron';
import type { AccountView, EventName, EventPayload } from '../../shared/contract.js';
import { refreshTokenWarning } from '../../shared/refresh-token-warning.js';

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
  close(): void;
}

export interface NotificationClass {
  new (options: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
}

export interface NotifierEvents {
  on(event: EventName, listener: (payload: unknown) => void): unknown;
  off(event: EventName, listener: (payload: unknown) => void): unknown;
}

/** Which refresh token (by its expiry) each account was warned about, kept across app starts. */
export interface WarnedRefreshTokens {
  get(accountId: string): number | undefined;
  set(accountId: string, expiresAt: number): void;
  delete(accountId: string): void;
}

export interface NotifierOptions {
  events: NotifierEvents;
  /** Opens the dashboard on this account. */
  openAccount(accountId: string): void;
  /** Failed refreshes in a row before "keeps failing" (default 3). */
  failureThreshold?: number;
  icon?: NotificationConstructorOptions['icon'];
  /** The accounts as they are at start: a status they already have is not news. */
  initial?: readonly AccountView[];
  /** The `refreshTokenWarningDays` setting now; absent = no refresh-token warnings. */
  refreshTokenWarningDays?: () => number | undefined;
  /** Warnings already shown, remembered across starts: a token warned about yesterday is not news today. */
  warned?: WarnedRefreshTokens;
  now?: () => number;
  /** How often the warning window is checked while no event arrives (default 1 h). */
  checkEveryMs?: number;
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
}

export interface Notifier {
  dispose(): void;
  /** The notifications still on screen, newest last (the _electron tests click them). */
  shown(): readonly { title: string; click(): void }[];
  /** Checks every account's refresh-token expiry now (after a settings change). */
  checkRefreshTokens(): void;
}

interface Tracked {
  name: string;
  status?: AccountView['status'];
  failures: number;
  /** The current failure streak has been notified. */
  streakNotified: boolean;
  refreshTokenExpiresAt?: number;
  /** The refresh-token expiry a warning was shown for. */
  warnedExpiry?: number;
}

/**
 * A rotated refresh token that inherits its predecessor's life comes back with (about) the
 * same expiry: the same token as far as the warning goes. One that lives longer than this
 * beyond the warned one is a new token (a new sign-in) and gets its own warning.
 */
const SAME_TOKEN_SLACK_MS = 3_600_000;

export function createNotifier(Notification: NotificationClass, options: NotifierOptions): Notifier {
  const threshold = options.failureThreshold ?? 3;
  const accounts = new Map<string, Tracked>();
  // Notifications are kept referenced until closed: a collected one loses its click handler.
  const live = new Map<NotificationLike, { title: string; click(): void }>();
  const supported = (() => {
    try {
      return Notification.isSupported();
    } catch {
      return false;
    }
  })();

  const tracked = (id: string) => {
    let t = accounts.get(id);
    if (!t) accounts.set(id, (t = { name: 'An account', failures: 0, streakNotified: false }));
    return t;
  };

  const show = (accountId: string, title: string, body: string) => {
    if (!supported) return;
    const n = new Notification({ title, body, silent: false, ...(options.icon ? { icon: options.icon } : {}) });
    const click = () => {
      live.delete(n);
      options.openAccount(accountId);
    };
    live.set(n, { title, click });
    n.on('click', click);
    n.on('close', () => live.delete(n));
    n.show();
  };

  const now = options.now ?? Date.now;
  const warnIfExpiring = (id: string, t: Tracked) => {
    const days = options.refreshTokenWarningDays?.();
    if (days === undefined || !t.status) return;
    const warning = refreshTokenWarning({ refreshTokenExpiresAt: t.refreshTokenExpiresAt, status: t.status }, days, now());
    if (!warning) return;
    if (t.warnedExpiry !== undefined && warning.expiresAt <= t.warnedExpiry + SAME_TOKEN_SLACK_MS) return;
    t.warnedExpiry = warning.expiresAt;
    options.warned?.set(id, warning.expiresAt);
    const body =
      warning.leftMs > 0
        ? `Sign in again before it does, or TokenDesk can no longer refresh this account (${new Date(warning.expiresAt).toLocaleString()}).`
        : 'Sign in again: TokenDesk can no longer refresh this account.';
    show(id, `${t.name}: refresh token ${warning.when}`, body);
  };
  const checkRefreshTokens = () => {
    for (const [id, t] of accounts) warnIfExpiring(id, t);
  };

  for (const view of options.initial ?? []) {
    const warnedExpiry = options.warned?.get(view.id);
    Object.assign(tracked(view.id), { name: view.name, status: view.status, refreshTokenExpiresAt: view.refreshTokenExpiresAt, warnedExpiry });
  }

  const onChanged = (payload: unknown) => {
    const view = payload as EventPayload<'account-changed'>;
    const t = tracked(view.id);
    t.name = view.name;
    t.refreshTokenExpiresAt = view.refreshTokenExpiresAt;
    // "refreshing" is a passing state: reauth → refreshing (a manual retry) → reauth is the same episode.
    if (view.status === 'refreshing') return;
    const before = t.status;
    t.status = view.status;
    warnIfExpiring(view.id, t);
    // Only a change into the state: one notification per episode.
    if (before === view.status) return;
    if (view.status === 'reauth_required') {
      show(view.id, `${view.name}: sign in again`, view.statusMessage || 'The provider no longer accepts the refresh token. Open the account to enter new credentials.');
    } else if (view.status === 'config_error') {
      show(view.id, `${view.name}: check its settings`, view.statusMessage || 'The provider rejected the account’s settings.');
    }
  };

  const onFinished = (payload: unknown) => {
    const outcome = payload as EventPayload<'refresh-finished'>;
    const t = tracked(outcome.accountId);
    if (outcome.ok) {
      t.failures = 0;
      t.streakNotified = false;
      return;
    }
    t.failures++;
    const errorClass = outcome.event.errorClass;
    // reauth/config failures are announced by their status change above.
    if (errorClass === 'reauth_required' || errorClass === 'config_error') return;
    if (t.failures >= threshold && !t.streakNotified) {
      t.streakNotified = true;
      show(
        outcome.accountId,
        `${t.name} keeps failing to refresh`,
        `${t.failures} attempts in a row failed${outcome.event.message ? `: ${outcome.event.message}` : ''}. TokenDesk keeps retrying.`,
      );
    }
  };

  const onRemoved = (payload: unknown) => {
    const { id } = payload as EventPayload<'account-removed'>;
    accounts.delete(id);
    options.warned?.delete(id);
  };

  const { events } = options;
  events.on('account-changed', onChanged);
  events.on('refresh-finished', onFinished);
  events.on('account-removed', onRemoved);
  // Time alone brings an account into the warning window: look again now and then.
  const timers = options.timers ?? { setInterval: (fn: () => void, ms: number) => setInterval(fn, ms).unref(), clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout) };
  const interval = timers.setInterval(checkRefreshTokens, options.checkEveryMs ?? 3_600_000);
  checkRefreshTokens();

  return {
    dispose() {
      events.off('account-changed', onChanged);
      events.off('refresh-finished', onFinished);
      events.off('account-removed', onRemoved);
      timers.clearInterval(interval);
      for (const n of live.keys()) n.close();
      live.clear();
    },
    shown: () => [...live.values()],
    checkRefreshTokens,
  };
}
