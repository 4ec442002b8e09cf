// The Timeline tab: the toolbar, then the timeline of the visible accounts, or what to do
// when there is none.
import type { AccountView } from '../../../shared/contract.js';
import { EMPTY_FILTER } from '../lib/accounts.js';
import { NoAccounts } from './NoAccounts.js';
import { TimelineView } from './TimelineView.js';
import { Toolbar } from './Toolbar.js';
import type { AccountQuery } from './useAccountQuery.js';

export function TimelinePane(props: { all: readonly AccountView[]; query: AccountQuery; selectedId?: string; onSelect: (id: string) => void; zoomId: string; onZoom: (id: string) => void; onAdd: () => void }) {
  const { all, query, selectedId, onSelect, zoomId, onZoom, onAdd } = props;
  const { visible, filter, setFilter } = query;
  return (
    <>
      <Toolbar filter={filter} setFilter={setFilter} shown={visible.length} total={all.length} />
      {visible.length ? (
        <TimelineView accounts={visible} selectedId={selectedId} onSelect={onSelect} zoomId={zoomId} onZoom={onZoom} />
      ) : (
        <NoAccounts total={all.length} onAdd={onAdd} onClear={() => setFilter(EMPTY_FILTER)} />
      )}
    </>
  );
}
