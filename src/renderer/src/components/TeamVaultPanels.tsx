// The team vault's parts of the details pane ("refreshed by MEMBER at TIME") and of Settings
// (connection, members, refresh locks), loaded on demand with them (docs/ARCHITECTURE.md
// "Team vault"); the first screen's badge and banner are in TeamVault.tsx.
import { Badge, Box, DataList, Table, Text } from '@radix-ui/themes';
import { PersonIcon } from '@radix-ui/react-icons';
import type { AccountView, TeamStatus } from '../../../shared/contract.js';
import { fullTime } from '../lib/time.js';
import { SectionHeading, When } from './common.js';
import { useTeamStatus } from './TeamVault.js';
import './TeamVault.css';

/** Rows for the account's facts: who refreshed it, and whether its vendor rotates. */
export function TeamFacts({ account }: { account: AccountView }) {
  if (!account.team) return null;
  return (
    <>
      <DataList.Item>
        <DataList.Label>Team account</DataList.Label>
        <DataList.Value data-testid="team-refreshed-by">
          {account.team.refreshedBy ? (
            <span>
              refreshed by <strong>{account.team.refreshedBy}</strong>
              {account.team.refreshedAt !== undefined && (
                <>
                  {' '}
                  at <When at={account.team.refreshedAt} />
                </>
              )}
            </span>
          ) : (
            'shared through the team vault'
          )}
        </DataList.Value>
      </DataList.Item>
      {!account.team.rotating && (
        <DataList.Item>
          <DataList.Label>Rotation</DataList.Label>
          <DataList.Value>non-rotating: refreshed even while the team store is offline</DataList.Value>
        </DataList.Item>
      )}
    </>
  );
}

const STATE_COLOR = { online: 'green', offline: 'red', connecting: 'amber' } as const;

export function TeamSection() {
  const { status, error } = useTeamStatus();
  return (
    <Box data-testid="team-status">
      <SectionHeading icon={<PersonIcon />}>Team vault</SectionHeading>
      {error && <Text color="red">{error}</Text>}
      {status && !status.joined && <Text size="2">Not in a team. Create or join one with `tokendesk team create` or `tokendesk team join`.</Text>}
      {status?.joined && (
        <>
          <DataList.Root size="2">
            <DataList.Item>
              <DataList.Label>Connection</DataList.Label>
              <DataList.Value>
                <Badge color={STATE_COLOR[status.connection?.state ?? 'offline']} data-testid="team-connection">
                  {status.connection?.state === 'online' ? 'online' : 'team store offline'}
                </Badge>
                {status.connection?.message && status.connection.state !== 'online' && (
                  <Text size="1" color="gray" ml="2">
                    {status.connection.message}
                  </Text>
                )}
              </DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>Database</DataList.Label>
              <DataList.Value>{status.database}</DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>You are</DataList.Label>
              <DataList.Value>
                {status.member} · {status.accounts} team account{status.accounts === 1 ? '' : 's'}
              </DataList.Value>
            </DataList.Item>
          </DataList.Root>
          {status.members.length > 0 && <MemberTable status={status} />}
          <Text as="p" size="1" color="gray" mt="2" data-testid="team-locks">
            {status.locks.length ? `Refreshing now: ${status.locks.map((l) => `${l.account} (${l.member})`).join(', ')}` : 'No refresh locks held.'}
          </Text>
        </>
      )}
    </Box>
  );
}

function MemberTable({ status }: { status: TeamStatus }) {
  return (
    <Table.Root size="1" mt="2" className="team-members">
      <Table.Header>
        <Table.Row>
          <Table.ColumnHeaderCell>Member</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Host</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Last seen</Table.ColumnHeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {status.members.map((m) => (
          <Table.Row key={`${m.name}-${m.joinedAt}`}>
            <Table.Cell>{m.name}</Table.Cell>
            <Table.Cell>{m.hostname}</Table.Cell>
            <Table.Cell>{m.left ? 'left' : m.online ? 'online' : 'offline'}</Table.Cell>
            <Table.Cell>{fullTime(m.lastSeen)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table.Root>
  );
}
