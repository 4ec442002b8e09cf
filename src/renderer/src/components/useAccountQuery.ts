// What the Accounts and Timeline tabs show: the search and filters, the sort, and the
// visible accounts they give.
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { AccountView } from '../../../shared/contract.js';
import { EMPTY_FILTER, filterAccounts, sortAccounts, type AccountFilter, type SortDir, type SortKey } from '../lib/accounts.js';
import { PROVIDER_NAMES } from '../lib/providers.js';

export interface AccountSort {
  key: SortKey;
  dir: SortDir;
}

export interface AccountQuery {
  filter: AccountFilter;
  setFilter: (filter: AccountFilter) => void;
  sort: AccountSort;
  setSort: (sort: AccountSort) => void;
  onSort: (key: SortKey) => void;
  /** The accounts that pass the filters, in the chosen order. */
  visible: readonly AccountView[];
}

export function useAccountQuery(accounts: readonly AccountView[]): AccountQuery {
  const [filter, setFilter] = useState<AccountFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<AccountSort>({ key: 'attention', dir: 'asc' });

  // Typing in the search box stays responsive with 1,000 accounts: filter a deferred copy.
  const deferredFilter = useDeferredValue(filter);
  const filtered = useMemo(() => filterAccounts(accounts, deferredFilter, PROVIDER_NAMES), [accounts, deferredFilter]);
  const visible = useMemo(() => sortAccounts(filtered, sort.key, sort.dir), [filtered, sort]);

  /** A click on a column: sort by it, or flip the direction when it already sorts. */
  const onSort = useCallback((key: SortKey) => setSort((s) => ({ key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' })), []);

  return { filter, setFilter, sort, setSort, onSort, visible };
}
