// The dashboard: header, then the main landmark (banners, tabs: accounts, timeline, history)
// beside the details pane of the selected account (a drawer in a narrow window), and the
// dialogs. The data lives in state/store.ts; this file holds what the page shows (tab,
// selection, open dialogs) and wires the components to it.
import { Suspense, useCallback, useEffect, useState } from 'react';
import { Tabs, Theme } from '@radix-ui/themes';
import type { AccountView } from '../../shared/contract.js';
import { releaseEvents } from './state/api.js';
import { store, useStore } from './state/store.js';
import { EMPTY_FILTER, filterAccounts } from './lib/accounts.js';
import { PROVIDER_NAMES } from './lib/providers.js';
import type { FormMode } from './components/AccountForm.js';
import { AccountsPane } from './components/AccountsPane.js';
import { AppHeader } from './components/AppHeader.js';
import { DetailsPane, useNarrowWindow } from './components/DetailsPane.js';
import { Banners } from './components/Banners.js';
import { LoadStatus } from './components/LoadStatus.js';
import { Toasts } from './components/Toasts.js';
import { useAccountQuery } from './components/useAccountQuery.js';
import { useAccountRoute } from './components/useAccountRoute.js';
import { useAppearance } from './components/useAppearance.js';
import { useConnection, type ConnectionSource } from './components/useConnection.js';
import { useGlobalShortcuts, type Tab } from './components/useGlobalShortcuts.js';
import {
  DialogLoading,
  LazyAccountDetails,
  LazyAccountFormDialog,
  LazyHistoryView,
  LazySettingsDialog,
  LazyShortcutsDialog,
  LazySignInDialog,
  LazyTimelinePane,
  PartLoading,
  preloadLazyParts,
  useOnceShown,
} from './components/lazy-parts.js';
import { useSignIn } from './state/signin.js';

export type { ConnectionSource };

export function App({ connection }: { connection?: ConnectionSource }) {
  const snap = useStore((s) => s);
  const appearance = useAppearance(snap.settings?.theme ?? 'system');

  const [tab, setTab] = useState<Tab>('accounts');
  const query = useAccountQuery(snap.accounts);
  const { filter, setFilter } = query;
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [formMode, setFormMode] = useState<FormMode | undefined>();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [zoomId, setZoomId] = useState('1h');
  const [historyAccount, setHistoryAccount] = useState<string | undefined>();
  const selected = selectedId ? snap.byId.get(selectedId) : undefined;

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
    [filter, setFilter],
  );
  const isKnownAccount = useCallback((id: string) => store.getSnapshot().byId.has(id), []);
  useAccountRoute(snap.phase === 'ready', isKnownAccount, openRouted);

  // Mounted: the first screen's listeners (the store's, the team banner's) are in place, so
  // the events boot.ts held since the page started can go out.
  useEffect(() => releaseEvents(), []);

  const conn = useConnection(connection);
  useGlobalShortcuts({ tab, setTab, selectedId, setSelectedId, openAdd, setHelpOpen });

  const onSaved = (account: AccountView) => {
    setFormMode(undefined);
    setSelectedId(account.id);
  };

  const showDetails = selected && tab !== 'history';
  const narrow = useNarrowWindow();
  const closeDetails = useCallback(() => setSelectedId(undefined), []);

  // The parts loaded on demand: a dialog mounts the first time it opens (then stays, to animate
  // closed); every chunk is fetched on idle once the list is ready, so a first click finds it.
  const ready = snap.phase === 'ready';
  useEffect(() => {
    if (ready) preloadLazyParts();
  }, [ready]);
  const formMounted = useOnceShown(formMode !== undefined);
  const settingsMounted = useOnceShown(settingsOpen);
  const helpMounted = useOnceShown(helpOpen);
  const signInMounted = useOnceShown(useSignIn() !== undefined);
  const { Component: AccountFormDialog } = LazyAccountFormDialog;
  const { Component: SettingsDialog } = LazySettingsDialog;
  const { Component: ShortcutsDialog } = LazyShortcutsDialog;
  const { Component: SignInDialog } = LazySignInDialog;
  const { Component: TimelinePane } = LazyTimelinePane;
  const { Component: HistoryView } = LazyHistoryView;
  const { Component: AccountDetails } = LazyAccountDetails;

  return (
    <Theme appearance={appearance} accentColor="indigo" grayColor="slate" radius="medium" panelBackground="solid" className="app-theme">
      <div className="app" data-appearance={appearance}>
        <AppHeader
          phase={snap.phase}
          demo={snap.owner?.demo === true}
          accounts={snap.accounts}
          pausedAll={snap.pausedAll}
          onAdd={openAdd}
          onSettings={() => setSettingsOpen(true)}
          onHelp={() => setHelpOpen(true)}
        />
        <div className={`app-body${showDetails && !narrow ? ' with-details' : ''}`}>
          <main className="app-main">
            <Banners connection={conn} owner={snap.owner} vault={snap.vault} />
            <LoadStatus phase={snap.phase} loadError={snap.loadError} />
            {snap.phase === 'ready' && (
              <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)} className="app-tabs">
                <Tabs.List size="2" className="tabs-bar">
                  <Tabs.Trigger value="accounts">Accounts</Tabs.Trigger>
                  <Tabs.Trigger value="timeline">Timeline</Tabs.Trigger>
                  <Tabs.Trigger value="history">History</Tabs.Trigger>
                </Tabs.List>
                <Tabs.Content value="accounts" className="tab-content">
                  <AccountsPane all={snap.accounts} query={query} selectedId={selectedId} onSelect={setSelectedId} onAdd={openAdd} />
                </Tabs.Content>
                <Tabs.Content value="timeline" className="tab-content">
                  <Suspense fallback={<PartLoading />}>
                    <TimelinePane all={snap.accounts} query={query} selectedId={selectedId} onSelect={setSelectedId} zoomId={zoomId} onZoom={setZoomId} onAdd={openAdd} />
                  </Suspense>
                </Tabs.Content>
                <Tabs.Content value="history" className="tab-content">
                  <Suspense fallback={<PartLoading />}>
                    <HistoryView accountFilter={historyAccount} onAccountFilter={setHistoryAccount} />
                  </Suspense>
                </Tabs.Content>
              </Tabs.Root>
            )}
          </main>
          <DetailsPane drawer={narrow} title={selected ? `${selected.name}: details` : ''} onClose={closeDetails}>
            {showDetails ? (
              <Suspense fallback={<PartLoading />}>
                <AccountDetails account={selected} provider={snap.providerById[selected.providerId]} onClose={closeDetails} onEdit={openEdit} onShowHistory={showHistory} />
              </Suspense>
            ) : undefined}
          </DetailsPane>
        </div>
      </div>
      {/* One boundary each: a dialog whose chunk is loading never hides another one that is open. */}
      <Suspense fallback={<DialogLoading />}>{formMounted && <AccountFormDialog mode={formMode} onClose={() => setFormMode(undefined)} onSaved={onSaved} />}</Suspense>
      <Suspense fallback={<DialogLoading />}>{settingsMounted && <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />}</Suspense>
      <Suspense fallback={<DialogLoading />}>{helpMounted && <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />}</Suspense>
      <Suspense fallback={<DialogLoading />}>{signInMounted && <SignInDialog onEdit={openEdit} />}</Suspense>
      <Toasts />
    </Theme>
  );
}
