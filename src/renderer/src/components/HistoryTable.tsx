// The history, an audit log: every action on an account (added, edited, signed in,
// refreshed, revoked, paused, resumed, removed), who did it and how it ended, newest first,
// live. Used per account (details panel) and globally (History tab, with filters and
// CSV/JSON export of the rows shown). Rows never carry a secret (docs/ARCHITECTURE.md "Domain").
import { useEffect, useState } from 'react';
import { format } from 'date-fns';
import { Badge, Button, Flex, Text } from '@radix-ui/themes';
import type { ErrorClass, HistoryAction, RefreshEvent } from '../../../shared/domain.js';
import { ERROR_CLASSES, HISTORY_ACTIONS } from '../../../shared/domain-values.js';
import { ACTION_WORDS, ACTOR_WORDS, historyCsv, historyJson, matchesOutcome, OUTCOME_WORDS, outcomeClass } from '../../../shared/history-export.js';
import { call, errorText } from '../state/api.js';
import { store, useStore } from '../state/store.js';
import { fullTime } from '../lib/time.js';
import { EmptyState } from './common.js';
import './HistoryTable.css';

export type OutcomeFilter = 'ok' | 'error' | ErrorClass;

export interface HistoryQuery {
  account?: string;
  outcome?: OutcomeFilter;
  action?: HistoryAction;
}

const TRIGGER_WORDS: Record<RefreshEvent['trigger'], string> = {
  scheduled: 'scheduled',
  manual: 'manual',
  startup: 'at startup',
  resume: 'after sleep',
  retry: 'retry',
  cli: 'CLI',
  sign_in: 'sign-in',
};

/** Only refreshes and sign-ins have a trigger worth showing: other actions are the user's own. */
const hasTrigger = (e: RefreshEvent): boolean => e.action === 'refreshed' || e.action === 'signed_in';

/** Full date and time on every row, local time. */
const dateTime = (at: number): string => format(at, 'yyyy-MM-dd HH:mm:ss');

function badgeColor(e: RefreshEvent): 'green' | 'amber' | 'red' {
  if (e.outcome === 'ok') return 'green';
  return e.errorClass === 'transient' || e.errorClass === 'rate_limited' ? 'amber' : 'red';
}

/** Loads `history.list` for the query and prepends matching rows as they are recorded. */
export function useHistory(query: HistoryQuery, limit: number) {
  const [events, setEvents] = useState<readonly RefreshEvent[]>([]);
  const [state, setState] = useState<{ loading: boolean; error?: string }>({ loading: true });
  const { account, outcome, action } = query;
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    call('history.list', { account, outcome, limit, ...(action ? { actions: [action] } : {}) })
      .then((list) => {
        if (!live) return;
        setEvents(list);
        setState({ loading: false });
      })
      .catch((err: unknown) => live && setState({ loading: false, error: errorText(err) }));
    const off = store.onHistory((e) => {
      if ((account && e.accountId !== account) || !matchesOutcome(e, outcome) || (action && e.action !== action)) return;
      setEvents((prev) => (prev.some((p) => p.id === e.id) ? prev : [e, ...prev].slice(0, limit)));
    });
    return () => {
      live = false;
      off();
    };
  }, [account, outcome, action, limit]);
  return { events, ...state };
}

function AccountCell({ e }: { e: RefreshEvent }) {
  const current = useStore((s) => s.byId.get(e.accountId)?.name);
  if (current) return <td role="cell">{current}</td>;
  return (
    <td role="cell" className="history-removed" data-removed="true">
      {e.accountName ?? 'removed account'} <Text color="gray">(removed)</Text>
    </td>
  );
}

/**
 * A cell that, in the narrow layout's blocks (HistoryTable.css), says what it is (`label`) and
 * is left out when it has no value. `role`: the table's semantics survive the CSS display change.
 */
function FieldCell({ label, value, className, title }: { label: string; value: string | undefined; className?: string; title?: string }) {
  return (
    <td role="cell" className={className} title={title} data-label={label} data-empty={value === undefined ? 'true' : undefined}>
      {value ?? '—'}
    </td>
  );
}

function HistoryRow({ e, showAccount, compact }: { e: RefreshEvent; showAccount?: boolean; compact?: boolean }) {
  const message = `${e.member ? `refreshed by ${e.member}${e.message ? ' · ' : ''}` : ''}${e.message ?? ''}`;
  return (
    <tr role="row" data-outcome={e.outcome} data-outcome-class={outcomeClass(e)} data-action={e.action} data-actor={e.actor} data-trigger={hasTrigger(e) ? e.trigger : undefined}>
      <td role="cell" title={fullTime(e.at)} className="nowrap history-time">
        <time dateTime={new Date(e.at).toISOString()}>{dateTime(e.at)}</time>
      </td>
      {showAccount && <AccountCell e={e} />}
      <td role="cell" className="nowrap">
        {ACTION_WORDS[e.action]}
      </td>
      {!compact && <FieldCell label="by" className="nowrap history-actor" value={e.actor ? ACTOR_WORDS[e.actor] : undefined} />}
      <FieldCell label="trigger" className="nowrap" value={hasTrigger(e) ? TRIGGER_WORDS[e.trigger] : undefined} />
      <td role="cell">
        <Badge color={badgeColor(e)} variant="soft">
          {OUTCOME_WORDS[outcomeClass(e)]}
        </Badge>
      </td>
      {!compact && <FieldCell label="HTTP" value={e.httpStatus?.toString()} />}
      {!compact && <FieldCell label="took" className="nowrap" value={`${Math.round(e.durationMs)} ms`} />}
      {!compact && <FieldCell label="new expiry" className="nowrap" value={e.newExpiresAt ? dateTime(e.newExpiresAt) : undefined} title={e.newExpiresAt ? fullTime(e.newExpiresAt) : undefined} />}
      <FieldCell label="rotated" value={e.rotated === undefined ? undefined : e.rotated ? 'yes' : 'no'} />
      <td role="cell" className="history-message" data-empty={message ? undefined : 'true'}>
        {message}
      </td>
    </tr>
  );
}

export function HistoryTable({
  events,
  showAccount,
  compact,
  loading,
  error,
  emptyText,
}: {
  events: readonly RefreshEvent[];
  showAccount?: boolean;
  /** The details pane's recent list: without By, HTTP, Took and New expiry, so it fits the pane. */
  compact?: boolean;
  loading?: boolean;
  error?: string;
  emptyText?: string;
}) {
  if (error) {
    return (
      <Text as="p" color="red" size="2" role="alert">
        Could not load the history: {error}
      </Text>
    );
  }
  if (!loading && events.length === 0) {
    return (
      <EmptyState title="Nothing recorded yet">
        {emptyText ?? 'Every action — adding, editing, signing in, refreshing, revoking, pausing, resuming, removing — is recorded here with who did it and its outcome.'}
      </EmptyState>
    );
  }
  return (
    // A plain table: Radix's Table wraps itself in a ScrollArea that injects an inline <style>.
    <table role="table" className={`data-table history-table${compact ? ' compact' : ''}`} data-testid="history-table">
      <thead role="rowgroup">
        <tr role="row">
          {['Time', ...(showAccount ? ['Account'] : []), 'Action', ...(compact ? [] : ['By']), 'Trigger', 'Outcome', ...(compact ? [] : ['HTTP', 'Took', 'New expiry']), 'Rotated', 'Message'].map(
            (name) => (
              <th key={name} role="columnheader" scope="col">
                {name}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {events.map((e) => (
          <HistoryRow key={e.id} e={e} showAccount={showAccount} compact={compact} />
        ))}
      </tbody>
    </table>
  );
}

/** Hands the rows to the browser as a file download (no server round trip: the rows are already here). */
function download(filename: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ExportButtons({ events }: { events: readonly RefreshEvent[] }) {
  const byId = useStore((s) => s.byId);
  const stamp = () => format(Date.now(), 'yyyyMMdd-HHmmss');
  const disabled = events.length === 0;
  return (
    <Flex gap="2" className="history-export">
      <Button
        size="1"
        variant="soft"
        disabled={disabled}
        data-testid="export-csv"
        onClick={() => download(`tokendesk-history-${stamp()}.csv`, 'text/csv;charset=utf-8', historyCsv(events, (id) => byId.get(id)?.name))}
      >
        Export CSV
      </Button>
      <Button size="1" variant="soft" disabled={disabled} data-testid="export-json" onClick={() => download(`tokendesk-history-${stamp()}.json`, 'application/json', historyJson(events))}>
        Export JSON
      </Button>
    </Flex>
  );
}

function FilterSelect<T extends string>({ label, aria, value, onChange, options }: { label: string; aria: string; value: T | ''; onChange: (v: T | '') => void; options: readonly [T | '', string][] }) {
  return (
    <label className="field-inline">
      <Text size="1" color="gray">
        {label}
      </Text>
      <select className="native-select" value={value} onChange={(e) => onChange(e.target.value as T | '')} aria-label={aria}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

const OUTCOME_OPTIONS: readonly ['' | OutcomeFilter, string][] = [
  ['', 'All outcomes'],
  ['ok', OUTCOME_WORDS.ok],
  ['error', 'any failure'],
  ...ERROR_CLASSES.map((c): [OutcomeFilter, string] => [c, OUTCOME_WORDS[c]]),
];
const ACTION_OPTIONS: readonly ['' | HistoryAction, string][] = [['', 'All actions'], ...HISTORY_ACTIONS.map((a): [HistoryAction, string] => [a, ACTION_WORDS[a]])];

/** The History tab: global, filter by account, action and outcome, newest first, export what is shown. */
export function HistoryView({ accountFilter, onAccountFilter }: { accountFilter?: string; onAccountFilter: (id: string | undefined) => void }) {
  const accounts = useStore((s) => s.accounts);
  const [outcome, setOutcome] = useState<'' | OutcomeFilter>('');
  const [action, setAction] = useState<'' | HistoryAction>('');
  const [limit, setLimit] = useState(200);
  const { events, loading, error } = useHistory({ account: accountFilter, outcome: outcome || undefined, action: action || undefined }, limit);
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name));
  const accountOptions: [string, string][] = [['', 'All accounts'], ...sorted.map((a): [string, string] => [a.id, a.name])];
  return (
    <div className="history-view">
      <Flex gap="3" align="end" wrap="wrap" className="toolbar" role="search" aria-label="History filters">
        <FilterSelect label="Account" aria="Filter history by account" value={accountFilter ?? ''} onChange={(v) => onAccountFilter(v || undefined)} options={accountOptions} />
        <FilterSelect label="Action" aria="Filter history by action" value={action} onChange={setAction} options={ACTION_OPTIONS} />
        <FilterSelect label="Outcome" aria="Filter history by outcome" value={outcome} onChange={setOutcome} options={OUTCOME_OPTIONS} />
        <Text size="1" color="gray" className="toolbar-note">
          {loading ? 'Loading…' : `${events.length} row${events.length === 1 ? '' : 's'}, newest first`}
        </Text>
        <ExportButtons events={events} />
      </Flex>
      {/* Focusable: a keyboard scrolls the rows. */}
      <div className="history-scroll" tabIndex={0} role="region" aria-label="History rows">
        <HistoryTable events={events} showAccount loading={loading} error={error} emptyText={accountFilter || outcome || action ? 'Nothing matches these filters.' : undefined} />
        {events.length >= limit && (
          <Flex justify="center" p="3">
            <Button variant="soft" onClick={() => setLimit((l) => Math.min(l + 500, 10_000))}>
              Show older events
            </Button>
          </Flex>
        )}
      </div>
    </div>
  );
}
