// What the tray shows, as plain data: the overall health (icon colour), a one-line
// summary (tooltip) and the menu. Pure functions of the account views, so the tray's
// content is unit-tested without Electron; tray.ts only turns this into a Menu.
import type { AccountView } from '../../shared/contract.js';
import { plural } from '../../shared/plural.js';
import { refreshTokenWarning } from '../../shared/refresh-token-warning.js';
import type { Health } from './icons.js';

export type TrayAction =
  | { kind: 'open'; accountId?: string }
  | { kind: 'refresh-all' }
  | { kind: 'copy'; accountId: string }
  | { kind: 'pause-all'; paused: boolean }
  | { kind: 'set-passphrase' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
  /** Stable id, for tests and Menu.getMenuItemById. */
  id?: string;
}

export interface TrayState {
  accounts: readonly AccountView[];
  pausedAll: boolean;
  /** vault.status: 'weak' adds a "set a passphrase" entry. */
  vaultProtection?: 'strong' | 'weak' | 'unavailable';
  /** In a team whose database does not answer (docs/ARCHITECTURE.md "Team vault"). */
  teamOffline?: boolean;
  now: number;
  /** The `refreshTokenWarningDays` setting; absent = no refresh-token warnings. */
  refreshTokenWarningDays?: number;
}

/** Accounts listed in the menu; more are summarised by one line. */
export const MAX_MENU_ACCOUNTS = 15;

const NEEDS_USER = new Set<AccountView['status']>(['reauth_required', 'config_error']);

export function accountHealth(a: AccountView): Health {
  if (NEEDS_USER.has(a.status)) return 'attention';
  if (a.status === 'retrying' || a.notSaved || a.retryAttempt > 0) return 'retrying';
  return 'ok';
}

/** Red when anything needs the user, amber when anything is retrying, else green. */
export function overallHealth(accounts: readonly AccountView[]): Health {
  let health: Health = 'ok';
  for (const a of accounts) {
    const h = accountHealth(a);
    if (h === 'attention') return h;
    if (h === 'retrying') health = h;
  }
  return health;
}

/** The refresh-token warning's words for the menu ("refresh token expires in 5 days"), or undefined. */
export function refreshTokenText(a: AccountView, warningDays: number | undefined, now: number): string | undefined {
  const warning = warningDays === undefined ? undefined : refreshTokenWarning(a, warningDays, now);
  return warning && `refresh token ${warning.when}`;
}

export function healthSummary(accounts: readonly AccountView[], pausedAll = false, warnings?: { days: number; now: number }): string {
  const attention = accounts.filter((a) => accountHealth(a) === 'attention').length;
  const retrying = accounts.filter((a) => accountHealth(a) === 'retrying').length;
  const parts: string[] = [];
  if (!accounts.length) parts.push('No accounts yet');
  else if (attention) parts.push(`${plural(attention, 'account needs', 'accounts need')} you`);
  if (retrying) parts.push(`${plural(retrying, 'account is', 'accounts are')} retrying`);
  const expiring = warnings ? accounts.filter((a) => refreshTokenWarning(a, warnings.days, warnings.now)).length : 0;
  if (expiring) parts.push(`${plural(expiring, 'refresh token expires', 'refresh tokens expire')} soon`);
  if (accounts.length && !attention && !retrying && !expiring) parts.push(accounts.length === 1 ? 'The account is fine' : `All ${accounts.length} accounts are fine`);
  if (pausedAll) parts.push('auto-refresh paused');
  return parts.join(' · ');
}

const STATUS_TEXT: Record<AccountView['status'], string> = {
  active: 'active',
  refreshing: 'refreshing…',
  retrying: 'retrying',
  reauth_required: 'sign in again',
  config_error: 'fix settings',
  revoked: 'revoked',
  paused: 'paused',
};

export function statusText(a: AccountView): string {
  return a.notSaved ? `${STATUS_TEXT[a.status]}, not saved` : STATUS_TEXT[a.status];
}

/** "3 min", "2 h 5 min", "4 d" — coarse on purpose: the dashboard has the live countdown. */
export function humanDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export function expiryText(a: AccountView, now: number): string {
  if (a.status === 'revoked' || !a.hasAccessToken) return 'no token';
  if (a.expiresAt === undefined) return 'no known expiry';
  const left = a.expiresAt - now;
  return left > 0 ? `expires in ${humanDuration(left)}` : `expired ${humanDuration(left)} ago`;
}

/** Menu labels are mnemonics on Windows/Linux: a literal "&" must be doubled. */
export function menuText(s: string): string {
  return s.replace(/&/g, '&&');
}

const URGENCY: Record<Health, number> = { attention: 0, retrying: 1, ok: 2 };

/**
 * The accounts in menu order: those that need the user first, then (with `warnings`) those
 * whose refresh token dies soon, then soonest expiry, then name.
 */
export function menuOrder(accounts: readonly AccountView[], warnings?: { days: number; now: number }): AccountView[] {
  const warned = (a: AccountView) => (warnings && refreshTokenWarning(a, warnings.days, warnings.now) ? 0 : 1);
  return [...accounts].sort(
    (a, b) =>
      URGENCY[accountHealth(a)] - URGENCY[accountHealth(b)] ||
      warned(a) - warned(b) ||
      (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) ||
      a.name.localeCompare(b.name),
  );
}

const MARK: Record<Health, string> = { attention: '⚠ ', retrying: '↻ ', ok: '' };

export function trayMenuModel(state: TrayState): TrayMenuItem[] {
  const days = state.refreshTokenWarningDays;
  const warnings = days === undefined ? undefined : { days, now: state.now };
  const ordered = menuOrder(state.accounts, warnings);
  const shown = ordered.slice(0, MAX_MENU_ACCOUNTS);
  const items: TrayMenuItem[] = [{ id: 'summary', label: menuText(healthSummary(state.accounts, state.pausedAll, warnings)), enabled: false }];
  if (state.teamOffline) items.push({ id: 'team-offline', label: '⚠ Team store offline — valid team tokens are served, rotating ones wait', enabled: false });
  if (shown.length) items.push({ type: 'separator' });
  for (const a of shown) {
    // A refresh token about to die: the way out is signing in again, from the account's page.
    const rt = refreshTokenText(a, days, state.now);
    const mark = rt && accountHealth(a) === 'ok' ? '⚠ ' : MARK[accountHealth(a)];
    items.push({
      id: `account:${a.id}`,
      label: menuText(`${mark}${a.name} — ${statusText(a)}, ${expiryText(a, state.now)}${rt ? `; ${rt}, sign in again` : ''}`),
      action: { kind: 'open', accountId: a.id },
    });
  }
  if (ordered.length > shown.length) {
    items.push({ id: 'more', label: `… and ${ordered.length - shown.length} more`, action: { kind: 'open' } });
  }
  items.push({ type: 'separator' });
  items.push({ id: 'refresh-all', label: 'Refresh all', enabled: state.accounts.some((a) => a.status !== 'revoked'), action: { kind: 'refresh-all' } });
  items.push({
    id: 'copy',
    label: 'Copy token',
    type: 'submenu',
    enabled: shown.length > 0,
    submenu: shown.map((a) => ({
      id: `copy:${a.id}`,
      label: menuText(a.name),
      enabled: a.status !== 'revoked' && a.status !== 'reauth_required' && a.status !== 'config_error',
      action: { kind: 'copy', accountId: a.id },
    })),
  });
  items.push(
    state.pausedAll
      ? { id: 'pause', label: 'Resume auto-refresh', action: { kind: 'pause-all', paused: false } }
      : { id: 'pause', label: 'Pause auto-refresh', action: { kind: 'pause-all', paused: true } },
  );
  items.push({ type: 'separator' });
  if (state.vaultProtection === 'weak' || state.vaultProtection === 'unavailable') {
    items.push({ id: 'set-passphrase', label: '⚠ Secrets are weakly protected — set a passphrase…', action: { kind: 'set-passphrase' } });
  }
  items.push({ id: 'open', label: 'Open dashboard', action: { kind: 'open' } });
  items.push({ id: 'quit', label: 'Quit TokenDesk', action: { kind: 'quit' } });
  return items;
}
