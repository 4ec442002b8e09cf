// Time as the dashboard shows it. Pure functions (unit-tested): the countdowns call
// these once per visible cell per tick, so they stay cheap and allocation-light. Durations
// people type (Refresh every) are read and written by src/shared/duration.ts.
import { format, isSameDay } from 'date-fns';
import type { AccountView } from '../../../shared/contract.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * A compact duration: "45s", "12m 05s", "3h 12m", "2d 4h", "400d". Seconds are shown
 * under an hour (they move), minutes under a day. Negative values use their magnitude.
 */
export function compactDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)}s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)}m ${pad2(Math.floor((abs % MINUTE) / SECOND))}s`;
  if (abs < DAY) return `${Math.floor(abs / HOUR)}h ${pad2(Math.floor((abs % HOUR) / MINUTE))}m`;
  const days = Math.floor(abs / DAY);
  return days >= 100 ? `${days}d` : `${days}d ${Math.floor((abs % DAY) / HOUR)}h`;
}

/** "in 12m 05s" / "3m 10s ago" around `now`. */
export function relativeTo(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < SECOND) return 'now';
  return delta > 0 ? `in ${compactDuration(delta)}` : `${compactDuration(delta)} ago`;
}

/** A coarse "ago" (no seconds past a minute) for things that happened: "just now", "4m ago", "2h ago". */
export function agoCoarse(at: number, now: number): string {
  const delta = Math.max(0, now - at);
  if (delta < 10 * SECOND) return 'just now';
  if (delta < MINUTE) return `${Math.floor(delta / SECOND)}s ago`;
  if (delta < HOUR) return `${Math.floor(delta / MINUTE)}m ago`;
  if (delta < DAY) return `${Math.floor(delta / HOUR)}h ago`;
  return `${Math.floor(delta / DAY)}d ago`;
}

export type ExpiryTone = 'ok' | 'soon' | 'expired' | 'none';

/** The "expires in" cell: text plus a tone for colour. */
export function expiresIn(account: Pick<AccountView, 'expiresAt' | 'status' | 'hasAccessToken'>, now: number): { text: string; tone: ExpiryTone } {
  if (account.status === 'revoked') return { text: 'revoked', tone: 'none' };
  if (!account.hasAccessToken) return { text: 'no token yet', tone: 'none' };
  if (account.expiresAt === undefined) return { text: 'no known expiry', tone: 'none' };
  const left = account.expiresAt - now;
  if (left <= 0) return { text: `expired ${compactDuration(left)} ago`, tone: 'expired' };
  return { text: `in ${compactDuration(left)}`, tone: left < 5 * MINUTE ? 'soon' : 'ok' };
}

/** The "next refresh" cell. */
export function nextRefresh(account: Pick<AccountView, 'nextRefreshAt' | 'status'>, now: number): string {
  switch (account.status) {
    case 'refreshing':
      return 'now…';
    case 'paused':
      return 'paused';
    case 'reauth_required':
    case 'config_error':
    case 'revoked':
      return 'stopped';
    default:
      break;
  }
  if (account.nextRefreshAt === undefined) return '—';
  if (account.nextRefreshAt <= now) return 'due now';
  return `in ${compactDuration(account.nextRefreshAt - now)}`;
}

/** A clock time, with the date when it is not the day of `now`: "14:05:09" / "3 Mar 14:05:09" ("14:05" / "3 Mar 14:05" without seconds). */
export function clockTime(at: number, now: number, withSeconds = true): string {
  const clock = withSeconds ? 'HH:mm:ss' : 'HH:mm';
  return format(at, isSameDay(at, now) ? clock : `d MMM ${clock}`);
}

/** A full timestamp for tooltips and the inspector: "2026-03-03 14:05:09". */
export function fullTime(at: number): string {
  return format(at, 'yyyy-MM-dd HH:mm:ss');
}

export const TIME = { SECOND, MINUTE, HOUR, DAY } as const;
