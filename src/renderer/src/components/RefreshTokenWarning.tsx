// The refresh-token expiry warning (src/shared/refresh-token-warning.ts) in the dashboard:
// one line under the status in the accounts list, and a callout in the details whose
// action is Sign in (or Edit, where TokenDesk cannot sign in to the provider).
import { Button, Callout, Flex } from '@radix-ui/themes';
import { ClockIcon, Pencil1Icon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../shared/contract.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain.js';
import { refreshTokenWarning, refreshTokenWarningText } from '../../../shared/refresh-token-warning.js';
import { fullTime } from '../lib/time.js';
import { useClockDerived } from '../state/clock.js';
import { useStore } from '../state/store.js';
import { SignInButtons } from './account-details/SignInButtons.js';
import './RefreshTokenWarning.css';

/** The warning's sentence for `account` now, or '' — re-renders only when the words change. */
function useWarningText(account: AccountView, canSignIn: boolean): string {
  const days = useStore((s) => s.settings?.refreshTokenWarningDays ?? DEFAULT_SETTINGS.refreshTokenWarningDays);
  return useClockDerived((now) => {
    const warning = refreshTokenWarning(account, days, now);
    return warning ? refreshTokenWarningText(warning, canSignIn) : '';
  });
}

/** The list's line under the status badge. */
export function RefreshTokenNote({ account }: { account: AccountView }) {
  const canSignIn = useStore((s) => Boolean(s.providerById[account.providerId]?.signIn.length));
  const text = useWarningText(account, canSignIn);
  if (!text) return null;
  return (
    <span className="rt-warning-note" data-testid="rt-warning" title={account.refreshTokenExpiresAt ? `${text} (${fullTime(account.refreshTokenExpiresAt)})` : text}>
      {text}
    </span>
  );
}

/** The details' callout, with the way out as its action. */
export function RefreshTokenCallout({ account, provider, onEdit }: { account: AccountView; provider?: ProviderInfo; onEdit: (id: string) => void }) {
  const canSignIn = Boolean(provider?.signIn.length);
  const text = useWarningText(account, canSignIn);
  if (!text) return null;
  return (
    <Callout.Root color="amber" size="1" mt="3" data-testid="rt-warning-callout">
      <Callout.Icon>
        <ClockIcon />
      </Callout.Icon>
      <Callout.Text>
        {text}.{account.refreshTokenExpiresAt !== undefined && ` It stops working ${fullTime(account.refreshTokenExpiresAt)}; refreshing does not extend it.`}
      </Callout.Text>
      <Flex gap="2" className="rt-warning-actions">
        {canSignIn ? (
          <SignInButtons account={account} provider={provider} primary />
        ) : (
          <Button size="1" onClick={() => onEdit(account.id)} data-testid="rt-warning-edit">
            <Pencil1Icon /> Edit
          </Button>
        )}
      </Flex>
    </Callout.Root>
  );
}
