// The team vault on the dashboard's first screen (docs/ARCHITECTURE.md "Team vault"): a badge
// on team accounts and a banner while the team store is offline. Its parts of the details and
// of Settings, loaded with them, are in TeamVaultPanels.tsx.
import { useCallback, useEffect, useState } from 'react';
import { Badge, Callout, Tooltip } from '@radix-ui/themes';
import { ExclamationTriangleIcon, PersonIcon } from '@radix-ui/react-icons';
import type { AccountView, TeamStatus } from '../../../shared/contract.js';
import { errorText, on, startCall } from '../state/api.js';
import { fullTime } from '../lib/time.js';
import './TeamVault.css';

/** The team's status, fetched once, again whenever its connection changes, and on `reload` (after a team action). */
export function useTeamStatus(): { status?: TeamStatus; error?: string; reload: () => void } {
  const [state, setState] = useState<{ status?: TeamStatus; error?: string }>({});
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    // The first load takes the answer to the call boot.ts sent at start.
    const load = () =>
      startCall('team.status').then(
        (status) => live && setState({ status }),
        (err: unknown) => live && setState({ error: errorText(err) }),
      );
    void load();
    const off = on('team-changed', () => void load());
    return () => {
      live = false;
      off();
    };
  }, [asked]);
  return { ...state, reload: useCallback(() => setAsked((n) => n + 1), []) };
}

export function TeamBadge({ account }: { account: AccountView }) {
  if (!account.team) return null;
  const by = account.team.refreshedBy ? ` · refreshed by ${account.team.refreshedBy}${account.team.refreshedAt ? ` at ${fullTime(account.team.refreshedAt)}` : ''}` : '';
  return (
    <Tooltip content={`Team account${by}`}>
      <Badge size="1" color="indigo" variant="soft" className="team-badge" data-testid="team-badge">
        <PersonIcon /> team
      </Badge>
    </Tooltip>
  );
}

export function TeamOfflineBanner() {
  const { status } = useTeamStatus();
  if (!status?.joined || status.connection?.state === 'online') return null;
  return (
    <Callout.Root color="orange" size="1" className="banner" role="alert" data-testid="team-offline-banner">
      <Callout.Icon>
        <ExclamationTriangleIcon />
      </Callout.Icon>
      <Callout.Text>
        <strong>Team store offline</strong> since {status.connection ? fullTime(status.connection.since) : '—'}: team tokens that are still valid are served; rotating team accounts are not
        refreshed until the team database answers again (reconnecting).
      </Callout.Text>
    </Callout.Root>
  );
}
