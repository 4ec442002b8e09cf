// What can be done to one account — refresh now or sign in, pause or resume, edit, revoke,
// remove — and the result of the last "Refresh now", announced and shown for two minutes.
// The first, solid button is what can help the account now (lib/status.ts primaryAction):
// an account whose refresh token is refused or gone gets "Sign in" (or Edit, where TokenDesk
// cannot sign in to the provider) in place of "Refresh now", which cannot work for it.
import { Button, Flex, Spinner, Text } from '@radix-ui/themes';
import { PauseIcon, Pencil1Icon, PlayIcon, ReloadIcon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../../shared/contract.js';
import { refreshNow, setPaused, useLastResult, useRefreshPending } from '../../state/actions.js';
import { useNow } from '../../state/clock.js';
import { RemoveButton, RevokeButton } from './ConfirmedActions.js';
import { canRefreshNow, primaryAction } from '../../lib/status.js';
import { SignInButtons } from './SignInButtons.js';

interface Props {
  account: AccountView;
  provider?: ProviderInfo;
  onEdit: (id: string) => void;
  onRemoved: () => void;
}

export function AccountActions({ account, provider, onEdit, onRemoved }: Props) {
  const pending = useRefreshPending(account.id);
  const result = useLastResult(account.id);
  const now = useNow();
  const refreshing = pending || account.status === 'refreshing';
  const primary = primaryAction(account, Boolean(provider?.signIn.length));
  // Refresh now stays, second, only where it might still work (settings fixed at the vendor).
  const offerRefresh = canRefreshNow(account);
  return (
    <>
      <Flex gap="2" mt="3" wrap="wrap" role="toolbar" aria-label={`Actions for ${account.name}`} data-primary={primary}>
        {primary === 'signIn' && <SignInButtons account={account} provider={provider} primary />}
        {primary === 'edit' && (
          <Button onClick={() => onEdit(account.id)} data-testid="edit-primary">
            <Pencil1Icon /> Edit
          </Button>
        )}
        {offerRefresh && (
          <Button variant={primary === 'refresh' ? 'solid' : 'soft'} onClick={() => void refreshNow(account.id)} disabled={refreshing} data-testid="refresh-now">
            {refreshing ? <Spinner size="1" /> : <ReloadIcon />} {refreshing ? 'Refreshing…' : 'Refresh now'}
          </Button>
        )}
        {account.paused ? (
          <Button variant="soft" onClick={() => void setPaused(account.id, false)}>
            <PlayIcon /> Resume
          </Button>
        ) : (
          <Button variant="soft" onClick={() => void setPaused(account.id, true)} disabled={account.status === 'revoked'}>
            <PauseIcon /> Pause
          </Button>
        )}
        {primary !== 'edit' && (
          <Button variant="soft" onClick={() => onEdit(account.id)}>
            <Pencil1Icon /> Edit
          </Button>
        )}
        {primary !== 'signIn' && <SignInButtons account={account} provider={provider} primary={false} />}
        <Flex gap="2" ml="auto">
          <RevokeButton account={account} provider={provider} />
          <RemoveButton account={account} onRemoved={onRemoved} />
        </Flex>
      </Flex>
      <div aria-live="polite" className="action-result" data-testid="action-result">
        {result && now - result.at < 120_000 && (
          <Text as="p" size="2" color={result.ok ? 'green' : 'red'} mt="2">
            {result.text}
          </Text>
        )}
      </div>
    </>
  );
}
