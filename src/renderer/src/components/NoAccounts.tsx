// What the accounts list and the timeline show when they have no row: with no account at
// all, how to add one or explore the demo; otherwise that the filters hide them.
import { useState } from 'react';
import { Button, Code, Flex, Spinner } from '@radix-ui/themes';
import { MixIcon, PlusIcon } from '@radix-ui/react-icons';
import { PROVIDER_IDS } from '../../../shared/domain-values.js';
import { exploreDemo } from '../state/actions.js';
import { useStore } from '../state/store.js';
import { PROVIDER_LIST } from '../lib/providers.js';
import { EmptyState } from './common.js';

export function NoAccounts({ total, onAdd, onClear, filtering = true }: { total: number; onAdd: () => void; onClear: () => void; filtering?: boolean }) {
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
