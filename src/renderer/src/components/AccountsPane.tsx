// The Accounts tab: the toolbar with the sort choice, then the list of the visible
// accounts, or what to do when there is none.
import { Text } from '@radix-ui/themes';
import type { AccountView } from '../../../shared/contract.js';
import { EMPTY_FILTER, isFiltering, SORT_KEYS, SORT_LABELS, type SortDir, type SortKey } from '../lib/accounts.js';
import { PROVIDER_NAMES } from '../lib/providers.js';
import { AccountList } from './AccountList.js';
import { NoAccounts } from './NoAccounts.js';
import { Toolbar } from './Toolbar.js';
import type { AccountQuery, AccountSort } from './useAccountQuery.js';

export function AccountsPane({ all, query, selectedId, onSelect, onAdd }: { all: readonly AccountView[]; query: AccountQuery; selectedId?: string; onSelect: (id: string) => void; onAdd: () => void }) {
  const { visible, filter, setFilter, sort, setSort, onSort } = query;
  return (
    <>
      <Toolbar filter={filter} setFilter={setFilter} shown={visible.length} total={all.length}>
        <SortSelect sort={sort} setSort={setSort} />
      </Toolbar>
      {visible.length ? (
        <AccountList accounts={visible} providerNames={PROVIDER_NAMES} selectedId={selectedId} onSelect={onSelect} sort={sort.key} dir={sort.dir} onSort={onSort} />
      ) : (
        <NoAccounts total={all.length} onAdd={onAdd} onClear={() => setFilter(EMPTY_FILTER)} filtering={isFiltering(filter)} />
      )}
    </>
  );
}

/** Each sort key in both directions; "needs attention" only first, unless the list is already sorted the other way. */
function SortSelect({ sort, setSort }: { sort: AccountSort; setSort: (s: AccountSort) => void }) {
  return (
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
  );
}
