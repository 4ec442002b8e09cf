// Human output for the CLI: aligned tables and relative times. `--json` skips all of this.
import type { AccountView, StorageReport } from '../shared/contract.js';
import type { RefreshEvent } from '../shared/domain.js';
import { formatDuration } from '../shared/duration.js';
import { refreshTokenWarning, type RefreshTokenWarning } from '../shared/refresh-token-warning.js';

/** "in 12m", "3h ago", "—". */
export function relative(at: number | undefined, now = Date.now()): string {
  if (at === undefined) return '—';
  const delta = at - now;
  if (Math.abs(delta) < 1000) return 'now';
  const rough = formatDuration(Math.abs(delta), { parts: 1 });
  return delta > 0 ? `in ${rough}` : `${rough} ago`;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Terminal output must not carry control characters from names or vendor messages. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function statusText(a: AccountView): string {
  return a.notSaved ? `${a.status} (not saved)` : a.status;
}

/** `warningDays`: the `refreshTokenWarningDays` setting; a refresh token that dies sooner is named in STATUS. */
export function accountsTable(accounts: AccountView[], now = Date.now(), warningDays?: number): string {
  if (accounts.length === 0) return 'No accounts yet — add one with `tokendesk add PROVIDER --name NAME …`\n';
  return table(
    ['NAME', 'PROVIDER', 'STATUS', 'EXPIRES', 'NEXT REFRESH', 'LAST'],
    accounts.map((a) => [
      printable(a.name),
      a.providerId,
      withRefreshTokenWarning(statusText(a), warningDays === undefined ? undefined : refreshTokenWarning(a, warningDays, now)),
      a.expiresAt !== undefined ? relative(a.expiresAt, now) : a.expirySource === 'refresh_every' ? 'unknown (refresh every)' : a.hasAccessToken ? 'no known expiry' : 'no token yet',
      relative(a.nextRefreshAt, now),
      a.lastOutcome ? `${a.lastOutcome.outcome}${a.lastOutcome.errorClass ? ` (${a.lastOutcome.errorClass})` : ''} ${relative(a.lastOutcome.at, now)}` : '—',
    ]),
  );
}

function withRefreshTokenWarning(status: string, warning: RefreshTokenWarning | undefined): string {
  return warning ? `${status}; refresh token ${warning.when}, sign in again` : status;
}

export function historyTable(events: RefreshEvent[]): string {
  if (events.length === 0) return 'Nothing recorded yet.\n';
  return table(
    ['TIME', 'ACCOUNT', 'ACTION', 'BY', 'TRIGGER', 'OUTCOME', 'HTTP', 'DURATION', 'NEW EXPIRY', 'ROTATED', 'MESSAGE'],
    events.map((e) => [
      new Date(e.at).toISOString(),
      printable(e.accountName ?? e.accountId),
      e.action,
      e.actor ?? '—',
      e.trigger,
      e.outcome === 'ok' ? 'ok' : `error${e.errorClass ? ` (${e.errorClass})` : ''}`,
      e.httpStatus !== undefined ? String(e.httpStatus) : '—',
      `${Math.round(e.durationMs)} ms`,
      e.newExpiresAt !== undefined ? new Date(e.newExpiresAt).toISOString() : '—',
      e.rotated === undefined ? '—' : e.rotated ? 'yes' : 'no',
      printable(e.message ?? ''),
    ]),
  );
}

/** Damaged data-dir files the owner found, one warning line each (stderr). */
export function storageReportLines(reports: readonly StorageReport[]): string[] {
  return reports.map((r) =>
    r.movedTo
      ? `warning: ${printable(r.file)} was unreadable (${printable(r.reason)}); it was moved to ${printable(r.movedTo)} and kept. Lost: ${printable(r.lost)}`
      : `warning: ${printable(r.file)}: ${printable(r.reason)}. Lost: ${printable(r.lost)}`,
  );
}
