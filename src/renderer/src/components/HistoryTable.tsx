// Refresh history: newest first, live. Used per account (details panel) and globally
// (History tab, with filters). Events never carry a secret (docs/ARCHITECTURE.md "Domain").
import { useEffect, useState } from 'react';
import { Badge, Button, Flex, Text } from '@radix-ui/themes';
import type { RefreshEvent } from '../../../shared/domain.js';
import { call, errorText } from '../state/api.js';
import { store, useStore } from '../state/store.js';
import { useNow } from '../state/clock.js';
import { clockTime, fullTime } from '../lib/time.js';
import { errorClassShort } from '../lib/status.js';
import { EmptyState } from './common.js';

export interface HistoryQuery {
  account?: string;
  outcome?: 'ok' | 'error';
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

/** Loads `history.list` for the query and prepends matching events as they finish. */
export function useHistory(query: HistoryQuery, limit: number) {
  const [events, setEvents] = useState<readonly RefreshEvent[]>([]);
  const [state, setState] = useState<{ loading: boolean; error?: string }>({ loading: true });
  const { account, outcome } = query;
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    call('history.list', { account, outcome, limit })
      .then((list) => {
        if (!live) return;
        setEvents(list);
        setState({ loading: false });
      })
      .catch((err: unknown) => live && setState({ loading: false, error: errorText(err) }));
    const off = store.onHistory((e) => {
      if ((account && e.accountId !== account) || (outcome && e.outcome !== outcome)) return;
      setEvents((prev) => (prev.some((p) => p.id === e.id) ? prev : [e, ...prev].slice(0, limit)));
    });
    return () => {
      live = false;
      off();
    };
  }, [account, outcome, limit]);
  return { events, ...state };
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
  compact?: boolean;
  loading?: boolean;
  error?: string;
  emptyText?: string;
}) {
  const byId = useStore((s) => s.byId);
  const now = useNow();
  if (error) {
    return (
      <Text as="p" color="red" size="2" role="alert">
        Could not load the history: {error}
      </Text>
    );
  }
  if (!loading && events.length === 0) {
    return (
      <EmptyState title="No refreshes yet">
        {emptyText ?? 'Every refresh — automatic, manual or from the CLI — is recorded here with its outcome.'}
      </EmptyState>
    );
  }
  return (
    // A plain table: Radix's Table wraps itself in a ScrollArea that injects an inline <style>.
    <table className={`data-table history-table${compact ? ' compact' : ''}`} data-testid="history-table">
      <thead>
        <tr>
          <th scope="col">Time</th>
          {showAccount && <th scope="col">Account</th>}
          <th scope="col">Trigger</th>
          <th scope="col">Outcome</th>
          <th scope="col">HTTP</th>
          <th scope="col">Took</th>
          {!compact && <th scope="col">New expiry</th>}
          <th scope="col">Rotated</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-outcome={e.outcome} data-trigger={e.trigger}>
            <td title={fullTime(e.at)} className="nowrap">
              {clockTime(e.at, now)}
            </td>
            {showAccount && <td>{byId.get(e.accountId)?.name ?? <Text color="gray">removed account</Text>}</td>}
            <td>{TRIGGER_WORDS[e.trigger]}</td>
            <td>
              <Badge color={e.outcome === 'ok' ? 'green' : e.errorClass === 'transient' || e.errorClass === 'rate_limited' ? 'amber' : 'red'} variant="soft">
                {e.outcome === 'ok' ? 'ok' : errorClassShort(e.errorClass)}
              </Badge>
            </td>
            <td>{e.httpStatus ?? '—'}</td>
            <td className="nowrap">{Math.round(e.durationMs)} ms</td>
            {!compact && (
              <td className="nowrap" title={e.newExpiresAt ? fullTime(e.newExpiresAt) : undefined}>
                {e.newExpiresAt ? clockTime(e.newExpiresAt, now) : '—'}
              </td>
            )}
            <td>{e.rotated === undefined ? '—' : e.rotated ? 'yes' : 'no'}</td>
            <td className="history-message">{e.member ? `refreshed by ${e.member}${e.message ? ' · ' : ''}` : ''}{e.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The History tab: global, filter by account and outcome, newest first. */
export function HistoryView({ accountFilter, onAccountFilter }: { accountFilter?: string; onAccountFilter: (id: string | undefined) => void }) {
  const accounts = useStore((s) => s.accounts);
  const [outcome, setOutcome] = useState<'' | 'ok' | 'error'>('');
  const [limit, setLimit] = useState(200);
  const { events, loading, error } = useHistory({ account: accountFilter, outcome: outcome || undefined }, limit);
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="history-view">
      <Flex gap="3" align="end" wrap="wrap" className="toolbar" role="search" aria-label="History filters">
        <label className="field-inline">
          <Text size="1" color="gray">
            Account
          </Text>
          <select className="native-select" value={accountFilter ?? ''} onChange={(e) => onAccountFilter(e.target.value || undefined)} aria-label="Filter history by account">
            <option value="">All accounts</option>
            {sorted.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <Text size="1" color="gray">
            Outcome
          </Text>
          <select className="native-select" value={outcome} onChange={(e) => setOutcome(e.target.value as '' | 'ok' | 'error')} aria-label="Filter history by outcome">
            <option value="">All outcomes</option>
            <option value="ok">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </label>
        <Text size="1" color="gray" className="toolbar-note">
          {loading ? 'Loading…' : `${events.length} event${events.length === 1 ? '' : 's'}, newest first`}
        </Text>
      </Flex>
      <div className="history-scroll">
        <HistoryTable events={events} showAccount loading={loading} error={error} emptyText={accountFilter || outcome ? 'No refreshes match these filters.' : undefined} />
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
