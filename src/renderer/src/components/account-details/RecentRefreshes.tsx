// The account's last 20 refreshes, live, with a link to its whole history in the History tab.
import { Flex, Heading, Link } from '@radix-ui/themes';
import { HistoryTable, useHistory } from '../HistoryTable.js';

export function RecentRefreshes({ accountId, onShowHistory }: { accountId: string; onShowHistory: (id: string) => void }) {
  const { events, loading, error } = useHistory({ account: accountId }, 20);
  return (
    <>
      <Flex justify="between" align="baseline" mt="4" mb="2">
        <Heading as="h3" size="3">
          Recent refreshes
        </Heading>
        <Link asChild size="2">
          <button type="button" className="link-button" onClick={() => onShowHistory(accountId)}>
            All history of this account
          </button>
        </Link>
      </Flex>
      <HistoryTable events={events} compact loading={loading} error={error} emptyText="This account has not been refreshed yet." />
    </>
  );
}
