// The history as people read and export it, the same for the dashboard and the CLI
// (docs/ARCHITECTURE.md "Domain", RefreshEvent): outcome classes with their words,
// action and actor words, and CSV (RFC 4180) and JSON exports. Pure: no Node, no DOM.
import { ERROR_CLASSES, type ErrorClass, type HistoryAction, type HistoryActor, type RefreshEvent } from './domain.js';

/** Every outcome a row can have: ok, or the class of its failure; `error` for a failure with no class. */
export const OUTCOME_CLASSES = ['ok', ...ERROR_CLASSES] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number] | 'error';

export const OUTCOME_WORDS: Readonly<Record<OutcomeClass, string>> = {
  ok: 'ok',
  rate_limited: 'rate limited',
  reauth_required: 'sign in again',
  config_error: 'fix settings',
  transient: 'temporary',
  error: 'failed',
};

export const ACTION_WORDS: Readonly<Record<HistoryAction, string>> = {
  added: 'added',
  edited: 'edited',
  signed_in: 'signed in',
  refreshed: 'refreshed',
  revoked: 'revoked',
  paused: 'paused',
  resumed: 'resumed',
  removed: 'removed',
  restored: 'restored (remove undone)',
};

export const ACTOR_WORDS: Readonly<Record<HistoryActor, string>> = {
  dashboard: 'dashboard',
  cli: 'CLI',
  tray: 'tray',
  daemon: 'daemon',
  app: 'app',
};

export function outcomeClass(e: Pick<RefreshEvent, 'outcome' | 'errorClass'>): OutcomeClass {
  return e.outcome === 'ok' ? 'ok' : (e.errorClass ?? 'error');
}

/** Does the row match an outcome filter (`ok`, `error` = any failure, or one error class)? */
export function matchesOutcome(e: Pick<RefreshEvent, 'outcome' | 'errorClass'>, filter: 'ok' | 'error' | ErrorClass | undefined): boolean {
  if (filter === undefined) return true;
  if (filter === 'ok' || filter === 'error') return e.outcome === filter;
  return e.outcome === 'error' && e.errorClass === filter;
}

const iso = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString());

/** The CSV columns, in order: the row's fields as plain values (times in ISO 8601, UTC). */
export const HISTORY_CSV_COLUMNS = [
  'time', 'account', 'accountId', 'action', 'actor', 'trigger', 'outcome', 'errorClass', 'httpStatus', 'durationMs', 'newExpiresAt', 'rotated', 'message',
] as const;

/**
 * RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled; lines end
 * in CRLF. A field that a spreadsheet would run as a formula (= + - @ first) gets a leading
 * apostrophe: names and vendor messages come from outside.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `nameOf` gives the current name of an account still there; a row's own `accountName` is used otherwise. */
export function historyCsv(events: readonly RefreshEvent[], nameOf: (accountId: string) => string | undefined = () => undefined): string {
  const rows = events.map((e) => [
    iso(e.at),
    e.accountName ?? nameOf(e.accountId) ?? '',
    e.accountId,
    e.action,
    e.actor ?? '',
    e.trigger,
    e.outcome,
    e.errorClass ?? '',
    e.httpStatus === undefined ? '' : String(e.httpStatus),
    String(Math.round(e.durationMs)),
    iso(e.newExpiresAt),
    e.rotated === undefined ? '' : String(e.rotated),
    e.message ?? '',
  ]);
  return [HISTORY_CSV_COLUMNS as readonly string[], ...rows].map((cells) => cells.map(csvField).join(',') + '\r\n').join('');
}

/** The rows as the contract has them (RefreshEvent[]), one per line of a pretty-printed array. */
export function historyJson(events: readonly RefreshEvent[]): string {
  return JSON.stringify(events, null, 2) + '\n';
}
