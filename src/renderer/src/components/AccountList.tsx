// The accounts list: a virtualised grid (only the visible rows exist, so 1,000 accounts
// cost what 30 do). One focus stop for the whole list; arrows move the active row
// (aria-activedescendant), Enter opens it, R refreshes it — or, where a refresh cannot work
// (the refresh token is refused or gone), opens it: its details offer Sign in or Edit.
import { memo, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { IconButton, Spinner, Text, Tooltip } from '@radix-ui/themes';
import { ReloadIcon, TriangleDownIcon, TriangleUpIcon } from '@radix-ui/react-icons';
import type { AccountView } from '../../../shared/contract.js';
import type { SortDir, SortKey } from '../lib/accounts.js';
import { perf } from '../state/perf.js';
import { refreshNow, useRefreshPending } from '../state/actions.js';
import { canRefreshNow } from '../lib/status.js';
import { ExpiresCell, LastOutcomeCell, NextRefreshCell, StatusBadge } from './common.js';
import { RefreshTokenNote } from './RefreshTokenWarning.js';
import { useKeyboardRows } from './useKeyboardRows.js';
import { TeamBadge } from './TeamVault.js';

const ROW_HEIGHT = 52;

interface Props {
  accounts: readonly AccountView[];
  providerNames: Readonly<Record<string, string>>;
  selectedId?: string;
  onSelect: (id: string) => void;
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
}

const COLUMNS: { key: SortKey | undefined; label: string; className: string }[] = [
  { key: 'name', label: 'Account', className: 'col-name' },
  { key: 'attention', label: 'Status', className: 'col-status' },
  { key: 'expires', label: 'Expires', className: 'col-expires' },
  { key: 'next', label: 'Next refresh', className: 'col-next' },
  { key: 'last', label: 'Last refresh', className: 'col-last' },
  { key: undefined, label: '', className: 'col-actions' },
];

export const rowDomId = (id: string): string => `account-row-${id}`;

export function AccountList({ accounts, providerNames, selectedId, onSelect, sort, dir, onSort }: Props) {
  const { scrollRef, virtualizer, activeIndex, setActive, setActiveId, move, navigate } = useKeyboardRows(accounts, { rowHeight: ROW_HEIGHT, overscan: 6, onSelect });

  // A new selection (a click, a deep link, the timeline) makes its row the active one, once
  // it is in the list. Only a change of selection does: a live update must not pull the
  // highlight back from a row the arrows moved to.
  const syncedSelection = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!selectedId || selectedId === syncedSelection.current) return;
    if (accounts.some((a) => a.id === selectedId)) {
      syncedSelection.current = selectedId;
      setActiveId(selectedId);
    }
  }, [accounts, selectedId, setActiveId]);

  // The active account moved (a re-sort, a filter): keep it in view while the list has the focus.
  const activeId = accounts[activeIndex]?.id;
  useEffect(() => {
    if (activeId && scrollRef.current?.contains(document.activeElement)) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeId, activeIndex, scrollRef, virtualizer]);

  // The first committed rows: how long the list took (benchmarks read window.__tokendeskPerf).
  const measured = useRef(false);
  useLayoutEffect(() => {
    if (measured.current || accounts.length === 0) return;
    measured.current = true;
    const t = performance.now();
    perf.listFirstRenderAt = t;
    if (perf.accountsLoadedAt !== undefined) perf.listFirstRenderMs = t - perf.accountsLoadedAt;
  }, [accounts.length]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (navigate(e)) return e.preventDefault();
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const current = accounts[activeIndex];
    switch (e.key) {
      case 'PageDown':
        move(activeIndex + page);
        break;
      case 'PageUp':
        move(activeIndex - page);
        break;
      case 'r':
      case 'R':
        if (!current) break;
        if (canRefreshNow(current)) void refreshNow(current.id);
        else onSelect(current.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const activeAccount = accounts[activeIndex];
  const items = virtualizer.getVirtualItems();

  return (
    <div className="account-list">
      <div className="list-header" role="presentation">
        {COLUMNS.map((c) => (
          <div key={c.label || 'actions'} className={`cell ${c.className}`}>
            {c.key ? (
              <button
                type="button"
                className={`sort-button${sort === c.key ? ' sorted' : ''}`}
                onClick={() => onSort(c.key!)}
                aria-label={`Sort by ${c.label.toLowerCase()}${sort === c.key ? (dir === 'asc' ? ', sorted ascending' : ', sorted descending') : ''}`}
              >
                {c.label}
                {sort === c.key && (dir === 'asc' ? <TriangleUpIcon aria-hidden /> : <TriangleDownIcon aria-hidden />)}
              </button>
            ) : null}
          </div>
        ))}
      </div>
      <div
        ref={scrollRef}
        className="list-scroll"
        role="grid"
        aria-label={`Accounts, ${accounts.length}. Arrow keys move, Enter opens, R refreshes.`}
        aria-rowcount={accounts.length}
        aria-colcount={5}
        tabIndex={0}
        aria-activedescendant={activeAccount ? rowDomId(activeAccount.id) : undefined}
        onKeyDown={onKeyDown}
        data-testid="account-list"
      >
        <div className="list-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const account = accounts[item.index]!;
            return (
              <AccountRow
                key={account.id}
                account={account}
                providerName={providerNames[account.providerId] ?? account.providerId}
                index={item.index}
                top={item.start}
                active={item.index === activeIndex}
                selected={account.id === selectedId}
                onSelect={onSelect}
                onActivate={setActive}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  account: AccountView;
  providerName: string;
  index: number;
  top: number;
  active: boolean;
  selected: boolean;
  onSelect: (id: string) => void;
  onActivate: (index: number) => void;
}

const AccountRow = memo(function AccountRow({ account, providerName, index, top, active, selected, onSelect, onActivate }: RowProps) {
  const pending = useRefreshPending(account.id);
  return (
    <div
      id={rowDomId(account.id)}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      className={`list-row${active ? ' row-active' : ''}${selected ? ' row-selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => {
        onActivate(index);
        onSelect(account.id);
      }}
      data-account-name={account.name}
    >
      <div role="gridcell" className="cell col-name">
        <Text as="div" weight="medium" truncate className="row-name">
          {account.name}
          <TeamBadge account={account} />
        </Text>
        <Text as="div" size="1" color="gray" truncate>
          {providerName}
          {account.environment ? ` · ${account.environment}` : ''}
          {account.baseUrl ? ' · custom URL' : ''}
        </Text>
      </div>
      <div role="gridcell" className="cell col-status">
        <StatusBadge account={account} />
        {account.notSaved && <span className="sr-only"> new tokens not saved yet</span>}
        <RefreshTokenNote account={account} />
      </div>
      <div role="gridcell" className="cell col-expires">
        <ExpiresCell account={account} />
      </div>
      <div role="gridcell" className="cell col-next">
        <NextRefreshCell account={account} />
      </div>
      <div role="gridcell" className="cell col-last">
        <LastOutcomeCell account={account} />
      </div>
      <div role="gridcell" className="cell col-actions">
        <Tooltip content={canRefreshNow(account) ? 'Refresh now (R)' : 'Needs a new sign-in: open it (Enter)'}>
          <IconButton
            size="1"
            variant="ghost"
            tabIndex={-1}
            aria-label={`Refresh ${account.name} now`}
            disabled={pending || !canRefreshNow(account)}
            onClick={(e) => {
              e.stopPropagation();
              void refreshNow(account.id);
            }}
          >
            {pending ? <Spinner size="1" /> : <ReloadIcon />}
          </IconButton>
        </Tooltip>
      </div>
    </div>
  );
});
