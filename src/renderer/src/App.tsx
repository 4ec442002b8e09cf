// The dashboard: header, tabs (accounts, timeline, history), the details pane of the
// selected account, and the dialogs. State lives in state/store.ts; this file wires it.
import { useCallback, useDeferredValue, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Badge, Box, Button, Callout, Code, Dialog, Flex, Heading, IconButton, Kbd, Spinner, Switch, Tabs, Text, TextField, Theme, Tooltip } from '@radix-ui/themes';
import { ExclamationTriangleIcon, GearIcon, MagnifyingGlassIcon, MixIcon, PlusIcon, QuestionMarkCircledIcon } from '@radix-ui/react-icons';
import type { AccountView } from '../../shared/contract.js';
import { PROVIDER_IDS, type ProviderId } from '../../shared/domain.js';
import { providerDescriptors } from '../../shared/providers/index.js';
import { store, useStore } from './state/store.js';
import { exploreDemo, setAllPaused } from './state/actions.js';
import { EMPTY_FILTER, filterAccounts, isFiltering, sortAccounts, summarize, SORT_KEYS, SORT_LABELS, type AccountFilter, type SortDir, type SortKey, type StatusFilter } from './lib/accounts.js';
import { STATUS_LABELS } from './lib/status.js';
import { AccountList } from './components/AccountList.js';
import { AccountDetails } from './components/AccountDetails.js';
import { AccountFormDialog, type FormMode } from './components/AccountForm.js';
import { HistoryView } from './components/HistoryTable.js';
import { SettingsDialog, WeakVaultWarning } from './components/SettingsDialog.js';
import { TimelineView } from './components/TimelineView.js';
import { EmptyState } from './components/common.js';
import { useAccountRoute } from './components/useAccountRoute.js';
import { Toasts } from './components/Toasts.js';
import type { ConnectionStatus } from './bridge/web-bridge.js';

type Tab = 'accounts' | 'timeline' | 'history';

export interface ConnectionSource {
  status: () => ConnectionStatus;
  subscribe: (listener: () => void) => () => void;
}

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

function useSystemDark(): boolean {
  return useSyncExternalStore(
    (l) => {
      darkQuery?.addEventListener('change', l);
      return () => darkQuery?.removeEventListener('change', l);
    },
    () => darkQuery?.matches ?? false,
  );
}

const PROVIDER_NAMES: Record<string, string> = Object.fromEntries(PROVIDER_IDS.map((id) => [id, providerDescriptors[id].name]));
/** "a X, Y … or Z": every provider's name, in the registry's order. */
const PROVIDER_LIST = `a ${new Intl.ListFormat('en', { type: 'disjunction' }).format(PROVIDER_IDS.map((id) => providerDescriptors[id].name))}`;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function App({ connection }: { connection?: ConnectionSource }) {
  const snap = useStore((s) => s);
  const systemDark = useSystemDark();
  const theme = snap.settings?.theme ?? 'system';
  const appearance = theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;

  const [tab, setTab] = useState<Tab>('accounts');
  const [filter, setFilter] = useState<AccountFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'attention', dir: 'asc' });
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [formMode, setFormMode] = useState<FormMode | undefined>();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [zoomId, setZoomId] = useState('1h');
  const [historyAccount, setHistoryAccount] = useState<string | undefined>();

  // Typing in the search box stays responsive with 1,000 accounts: filter a deferred copy.
  const deferredFilter = useDeferredValue(filter);
  const filtered = useMemo(() => filterAccounts(snap.accounts, deferredFilter, PROVIDER_NAMES), [snap.accounts, deferredFilter]);
  const visible = useMemo(() => sortAccounts(filtered, sort.key, sort.dir), [filtered, sort]);
  const summary = useMemo(() => summarize(snap.accounts), [snap.accounts]);
  const selected = selectedId ? snap.byId.get(selectedId) : undefined;

  const onSort = useCallback((key: SortKey) => setSort((s) => ({ key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' })), []);
  const openAdd = useCallback(() => setFormMode({ kind: 'add' }), []);
  const openEdit = useCallback((id: string) => {
    const account = store.getSnapshot().byId.get(id);
    if (account) setFormMode({ kind: 'edit', account });
  }, []);
  const showHistory = useCallback((id: string) => {
    setHistoryAccount(id);
    setTab('history');
  }, []);

  // A deep link (notification or tray click): select the account, show it in the list, open its details.
  const openRouted = useCallback(
    (id: string) => {
      setSelectedId(id);
      setTab((t) => (t === 'history' ? 'accounts' : t));
      if (!filterAccounts([store.getSnapshot().byId.get(id)!], filter, PROVIDER_NAMES).length) setFilter(EMPTY_FILTER);
    },
    [filter],
  );
  const isKnownAccount = useCallback((id: string) => store.getSnapshot().byId.has(id), []);
  useAccountRoute(snap.phase === 'ready', isKnownAccount, openRouted);

  // Reload everything when the web bridge reconnects (events were missed meanwhile).
  const conn = useSyncExternalStore(connection?.subscribe ?? noopSubscribe, connection?.status ?? noStatus);
  useEffect(() => {
    if (conn && conn.opens > 1) void store.load();
  }, [conn?.opens]); // eslint-disable-line react-hooks/exhaustive-deps

  // Global shortcuts (never while typing or in a dialog).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target) || document.querySelector('[role="dialog"],[role="alertdialog"]')) return;
      if (e.key === '/') {
        e.preventDefault();
        if (tab === 'history') setTab('accounts');
        setTimeout(() => document.getElementById('account-search')?.focus(), 0);
      } else if (e.key === 'n') {
        e.preventDefault();
        openAdd();
      } else if (e.key === '1' || e.key === '2' || e.key === '3') {
        setTab((['accounts', 'timeline', 'history'] as const)[Number(e.key) - 1]!);
      } else if (e.key === '?') {
        setHelpOpen(true);
      } else if (e.key === 'Escape' && selectedId) {
        setSelectedId(undefined);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openAdd, selectedId, tab]);

  const onSaved = (account: AccountView) => {
    setFormMode(undefined);
    setSelectedId(account.id);
  };

  const showDetails = selected && tab !== 'history';
  const demo = snap.owner?.demo === true;

  return (
    <Theme appearance={appearance} accentColor="indigo" grayColor="slate" radius="medium" panelBackground="solid" className="app-theme">
      <div className="app" data-appearance={appearance}>
        <header className="app-header">
          <Flex align="center" gap="3" minWidth="0">
            <span className="logo" aria-hidden="true">
              TD
            </span>
            <Heading as="h1" size="4" weight="bold">
              TokenDesk
            </Heading>
            {demo && (
              <Badge color="amber" variant="solid" size="2" data-testid="demo-badge">
                DEMO
              </Badge>
            )}
            {snap.phase === 'ready' && (
              <Flex gap="2" align="center" className="summary" aria-label="Summary" role="status">
                <Badge color="gray" variant="soft">
                  {summary.total} account{summary.total === 1 ? '' : 's'}
                </Badge>
                {summary.attention > 0 && (
                  <Badge color="red" variant="soft">
                    {summary.attention} need{summary.attention === 1 ? 's' : ''} attention
                  </Badge>
                )}
                {summary.refreshing > 0 && (
                  <Badge color="blue" variant="soft">
                    {summary.refreshing} refreshing
                  </Badge>
                )}
              </Flex>
            )}
          </Flex>
          <Flex align="center" gap="3">
            <Text as="label" size="2" className="pause-all">
              <Flex gap="2" align="center">
                <Switch size="1" checked={!snap.pausedAll} onCheckedChange={(on) => void setAllPaused(!on)} disabled={snap.phase !== 'ready'} />
                {snap.pausedAll ? 'Auto-refresh paused' : 'Auto-refresh on'}
              </Flex>
            </Text>
            <Button onClick={openAdd} disabled={snap.phase !== 'ready'}>
              <PlusIcon /> Add account
            </Button>
            <Tooltip content="Settings">
              <IconButton variant="soft" color="gray" onClick={() => setSettingsOpen(true)} aria-label="Settings" disabled={snap.phase !== 'ready'}>
                <GearIcon />
              </IconButton>
            </Tooltip>
            <Tooltip content="Keyboard shortcuts (?)">
              <IconButton variant="ghost" color="gray" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts">
                <QuestionMarkCircledIcon />
              </IconButton>
            </Tooltip>
          </Flex>
        </header>

        {conn && conn.state !== 'open' && conn.opens > 0 && (
          <Callout.Root color="red" size="1" className="banner" role="alert" data-testid="connection-banner">
            <Callout.Icon>
              <ExclamationTriangleIcon />
            </Callout.Icon>
            <Callout.Text>Lost the connection to TokenDesk (tokendesk serve). Reconnecting… Is it still running? What you see may be out of date.</Callout.Text>
          </Callout.Root>
        )}
        {demo && (
          <Callout.Root color="amber" size="1" className="banner" role="note" data-testid="demo-banner">
            <Callout.Icon>
              <MixIcon />
            </Callout.Icon>
            <Callout.Text>
              <strong>DEMO — simulated providers, nothing here is real.</strong> These accounts talk to local simulators and live in a separate demo data dir, wiped at the next start; your own accounts
              and vault are not touched.
            </Callout.Text>
          </Callout.Root>
        )}
        {snap.owner?.storageReports?.length ? (
          <Callout.Root color="orange" size="1" className="banner" role="alert" data-testid="storage-banner">
            <Callout.Icon>
              <ExclamationTriangleIcon />
            </Callout.Icon>
            <Callout.Text>
              <strong>TokenDesk found damaged files in its data dir.</strong> They were moved aside and kept, never overwritten:
            </Callout.Text>
            <ul className="storage-reports">
              {snap.owner.storageReports.map((r) => (
                <li key={`${r.file}→${r.movedTo ?? ''}`}>
                  <code>{r.file}</code>: {r.reason}
                  {r.movedTo ? (
                    <>
                      {' '}
                      — now <code>{r.movedTo}</code>
                    </>
                  ) : null}
                  . Lost: {r.lost}.
                </li>
              ))}
            </ul>
          </Callout.Root>
        ) : null}
        {snap.vault && snap.vault.protection !== 'strong' && (
          <Box className="banner">
            <WeakVaultWarning explanation={snap.vault.explanation} />
          </Box>
        )}

        {snap.phase === 'loading' && (
          <Flex className="center-state" align="center" justify="center" gap="2" role="status">
            <Spinner /> Connecting to TokenDesk…
          </Flex>
        )}
        {snap.phase === 'error' && (
          <Flex className="center-state" direction="column" align="center" justify="center" gap="3" role="alert">
            <Heading as="h2" size="4">
              TokenDesk is not answering
            </Heading>
            <Text color="gray" size="2" align="center">
              {snap.loadError}
            </Text>
            <Button onClick={() => void store.load()}>Try again</Button>
          </Flex>
        )}
        {snap.phase === 'ready' && (
          <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)} className="app-tabs">
            <Tabs.List size="2" className="tabs-bar">
              <Tabs.Trigger value="accounts">Accounts</Tabs.Trigger>
              <Tabs.Trigger value="timeline">Timeline</Tabs.Trigger>
              <Tabs.Trigger value="history">History</Tabs.Trigger>
            </Tabs.List>
            <div className={`app-main${showDetails ? ' with-details' : ''}`}>
              <div className="content">
                <Tabs.Content value="accounts" className="tab-content">
                  <AccountsPane
                    all={snap.accounts}
                    visible={visible}
                    filter={filter}
                    setFilter={setFilter}
                    sort={sort}
                    setSort={setSort}
                    onSort={onSort}
                    selectedId={selectedId}
                    onSelect={setSelectedId}
                    onAdd={openAdd}
                  />
                </Tabs.Content>
                <Tabs.Content value="timeline" className="tab-content">
                  <Toolbar filter={filter} setFilter={setFilter} shown={visible.length} total={snap.accounts.length} />
                  {visible.length ? (
                    <TimelineView accounts={visible} selectedId={selectedId} onSelect={setSelectedId} zoomId={zoomId} onZoom={setZoomId} />
                  ) : (
                    <NoAccounts total={snap.accounts.length} onAdd={openAdd} onClear={() => setFilter(EMPTY_FILTER)} />
                  )}
                </Tabs.Content>
                <Tabs.Content value="history" className="tab-content">
                  <HistoryView accountFilter={historyAccount} onAccountFilter={setHistoryAccount} />
                </Tabs.Content>
              </div>
              {showDetails && (
                <aside className="details-pane" aria-label="Account details">
                  <AccountDetails
                    account={selected}
                    provider={snap.providerById[selected.providerId]}
                    onClose={() => setSelectedId(undefined)}
                    onEdit={openEdit}
                    onShowHistory={showHistory}
                  />
                </aside>
              )}
            </div>
          </Tabs.Root>
        )}
      </div>
      <AccountFormDialog mode={formMode} onClose={() => setFormMode(undefined)} onSaved={onSaved} />
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      <Toasts />
    </Theme>
  );
}

const noopSubscribe = () => () => undefined;
const noStatus = () => undefined;

function AccountsPane(props: {
  all: readonly AccountView[];
  visible: readonly AccountView[];
  filter: AccountFilter;
  setFilter: (f: AccountFilter) => void;
  sort: { key: SortKey; dir: SortDir };
  setSort: (s: { key: SortKey; dir: SortDir }) => void;
  onSort: (k: SortKey) => void;
  selectedId?: string;
  onSelect: (id: string) => void;
  onAdd: () => void;
}) {
  const { all, visible, filter, setFilter, sort, setSort, onSort, selectedId, onSelect, onAdd } = props;
  return (
    <>
      <Toolbar filter={filter} setFilter={setFilter} shown={visible.length} total={all.length}>
        <label className="field-inline">
          <Text size="1" color="gray">
            Sort
          </Text>
          <select className="native-select" value={`${sort.key}:${sort.dir}`} onChange={(e) => {
            const [key, dir] = e.target.value.split(':') as [SortKey, SortDir];
            setSort({ key, dir });
          }} aria-label="Sort accounts">
            {SORT_KEYS.flatMap((k) => [
              <option key={`${k}:asc`} value={`${k}:asc`}>
                {SORT_LABELS[k]}
                {k === 'attention' ? '' : k === 'name' || k === 'provider' ? ' (A–Z)' : ' (soonest first)'}
              </option>,
              k === 'attention' ? null : (
                <option key={`${k}:desc`} value={`${k}:desc`}>
                  {SORT_LABELS[k]}
                  {k === 'name' || k === 'provider' ? ' (Z–A)' : ' (latest first)'}
                </option>
              ),
            ])}
            {sort.key === 'attention' && sort.dir === 'desc' && <option value="attention:desc">Needs attention last</option>}
          </select>
        </label>
      </Toolbar>
      {visible.length ? (
        <AccountList accounts={visible} providerNames={PROVIDER_NAMES} selectedId={selectedId} onSelect={onSelect} sort={sort.key} dir={sort.dir} onSort={onSort} />
      ) : (
        <NoAccounts total={all.length} onAdd={onAdd} onClear={() => setFilter(EMPTY_FILTER)} filtering={isFiltering(filter)} />
      )}
    </>
  );
}

function NoAccounts({ total, onAdd, onClear, filtering = true }: { total: number; onAdd: () => void; onClear: () => void; filtering?: boolean }) {
  const inDemo = useStore((s) => s.owner?.demo === true);
  const [startingDemo, setStartingDemo] = useState(false);
  const startDemo = () => {
    setStartingDemo(true);
    void exploreDemo().finally(() => setStartingDemo(false));
  };
  if (total === 0) {
    return (
      <EmptyState
        title="No accounts yet — add one"
        action={
          <Flex gap="3" wrap="wrap" justify="center">
            <Button size="3" onClick={onAdd}>
              <PlusIcon /> Add account
            </Button>
            {!inDemo && (
              <Button size="3" variant="soft" onClick={startDemo} disabled={startingDemo} data-testid="explore-demo">
                {startingDemo ? <Spinner /> : <MixIcon />} Explore the demo
              </Button>
            )}
          </Flex>
        }
      >
        TokenDesk keeps API access tokens alive: add {PROVIDER_LIST} account with its refresh token, and it refreshes the access token before it expires — even with this window closed.
        {!inDemo && (
          <>
            <br />
            <br />
            <span data-testid="demo-hint">
              No credentials at hand? <strong>Explore the demo</strong>: {PROVIDER_IDS.length} simulated providers, in a separate demo data dir, beside your own (empty) TokenDesk. From a terminal:{' '}
              <Code>npx tokendesk serve --demo</Code>.
            </span>
          </>
        )}
      </EmptyState>
    );
  }
  return (
    <EmptyState
      title="No account matches these filters"
      action={
        filtering ? (
          <Button variant="soft" onClick={onClear}>
            Clear the filters
          </Button>
        ) : undefined
      }
    >
      {total} account{total === 1 ? ' is' : 's are'} hidden by the search or the filters.
    </EmptyState>
  );
}

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'Any status' },
  { value: 'attention', label: 'Needs attention' },
  ...(['active', 'refreshing', 'retrying', 'reauth_required', 'config_error', 'paused', 'revoked'] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] })),
];

function Toolbar({ filter, setFilter, shown, total, children }: { filter: AccountFilter; setFilter: (f: AccountFilter) => void; shown: number; total: number; children?: ReactNode }) {
  return (
    <Flex className="toolbar" gap="3" align="end" wrap="wrap" role="search" aria-label="Filter accounts">
      <Box className="search-box">
        <TextField.Root
          id="account-search"
          placeholder="Search accounts  ( / )"
          value={filter.query}
          onChange={(e) => setFilter({ ...filter, query: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filter.query) {
              e.stopPropagation();
              setFilter({ ...filter, query: '' });
            }
          }}
          aria-label="Search accounts by name or provider"
          type="search"
          autoComplete="off"
        >
          <TextField.Slot>
            <MagnifyingGlassIcon />
          </TextField.Slot>
        </TextField.Root>
      </Box>
      <label className="field-inline">
        <Text size="1" color="gray">
          Status
        </Text>
        <select className="native-select" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as StatusFilter })} aria-label="Filter by status">
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <Text size="1" color="gray">
          Provider
        </Text>
        <select className="native-select" value={filter.provider} onChange={(e) => setFilter({ ...filter, provider: e.target.value as 'all' | ProviderId })} aria-label="Filter by provider">
          <option value="all">Any provider</option>
          {PROVIDER_IDS.map((id) => (
            <option key={id} value={id}>
              {PROVIDER_NAMES[id]}
            </option>
          ))}
        </select>
      </label>
      {children}
      <Text size="1" color="gray" className="toolbar-note" aria-live="polite">
        {shown === total ? `${total} account${total === 1 ? '' : 's'}` : `${shown} of ${total} accounts`}
      </Text>
    </Flex>
  );
}

const SHORTCUTS: [string, string][] = [
  ['/', 'Search accounts'],
  ['N', 'Add an account'],
  ['1 2 3', 'Accounts, Timeline, History'],
  ['↑ ↓ Home End', 'Move in the list or timeline'],
  ['Enter', 'Open the account'],
  ['R', 'Refresh the active account now'],
  ['+ −', 'Zoom the timeline'],
  ['Esc', 'Close the details or a dialog'],
  ['?', 'This help'],
];

function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="440px">
        <Dialog.Title>Keyboard shortcuts</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          Every action is also reachable with Tab and Enter.
        </Dialog.Description>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <Kbd>{keys}</Kbd>
                </td>
                <td>
                  <Text size="2">{what}</Text>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Flex justify="end" mt="3">
          <Dialog.Close>
            <Button variant="soft">Close</Button>
          </Dialog.Close>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}
