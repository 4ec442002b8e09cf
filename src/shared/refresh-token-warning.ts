// When an account's refresh token is about to die. Some providers say how long a refresh
// token lives (UPS `refresh_token_expires_in`, about 60 days); refreshing does not extend
// it, so before it runs out the user must sign in again. This decides, for the list, the
// tray, the notifications and `tokendesk list` alike, whether an account is in the
// warning window (the `refreshTokenWarningDays` setting) and says so in words.
import type { AccountRecord } from './domain.js';
import { plural } from './plural.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface RefreshTokenWarning {
  /** When the refresh token stops working. */
  expiresAt: number;
  /** Milliseconds left; 0 or less once it has expired. */
  leftMs: number;
  /** "expires in 5 days", "expires in 3 hours", "expired". */
  when: string;
}

type Account = Pick<AccountRecord, 'refreshTokenExpiresAt' | 'status'>;

/**
 * The warning for `account` at `now`, or undefined when there is none: no known
 * refresh-token expiry, more than `warningDays` left, warnings off (0 days), or an account
 * already stopped (a refused or revoked refresh token has its own message).
 */
export function refreshTokenWarning(account: Account, warningDays: number, now: number): RefreshTokenWarning | undefined {
  const expiresAt = account.refreshTokenExpiresAt;
  if (expiresAt === undefined || !(warningDays > 0)) return undefined;
  if (account.status === 'reauth_required' || account.status === 'revoked' || account.status === 'config_error') return undefined;
  const leftMs = expiresAt - now;
  if (leftMs > warningDays * DAY) return undefined;
  return { expiresAt, leftMs, when: expiresInWords(leftMs) };
}

/** Days (rounded) from a day and a half, then hours, then minutes: the dashboard has the exact time. */
export function durationWords(ms: number): string {
  if (ms >= 36 * HOUR) return plural(Math.round(ms / DAY), 'day');
  if (ms >= 2 * HOUR) return plural(Math.round(ms / HOUR), 'hour');
  return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

export function expiresInWords(leftMs: number): string {
  return leftMs <= 0 ? 'expired' : `expires in ${durationWords(leftMs)}`;
}

/** "Refresh token expires in 5 days — sign in" (or "— paste a new one with Edit"). */
export function refreshTokenWarningText(warning: RefreshTokenWarning, canSignIn: boolean): string {
  return `Refresh token ${warning.when} — ${canSignIn ? 'sign in' : 'paste a new one with Edit'}`;
}

/** The short form for a narrow cell: "5 days to sign in", "Refresh token expired". */
export function refreshTokenWarningShort(warning: RefreshTokenWarning, canSignIn: boolean): string {
  if (warning.leftMs <= 0) return 'Refresh token expired';
  return `${durationWords(warning.leftMs)} to ${canSignIn ? 'sign in' : 'renew'}`;
}
