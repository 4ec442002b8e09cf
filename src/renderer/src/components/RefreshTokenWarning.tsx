// The refresh-token expiry warning (src/shared/refresh-token-warning.ts) in the dashboard:
// one line under the status in the accounts list, and a callout in the details whose
// action is Sign in (or Edit, where TokenDesk cannot sign in to the provider).
import { Button, Callout, Flex, Tooltip } from '@radix-ui/themes';
import { ClockIcon, Pencil1Icon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../shared/contract.js';
import { DEFAULT_SETTING_VALUES } from '../../../shared/domain-values.js';
import { refreshTokenWarning, refreshTokenWarningShort, refreshTokenWarningText } from '../../../shared/refresh-token-warning.js';
import { fullTime } from '../lib/time.js';
import { useClockDerived } from '../state/clock.js';
import { useStore } from '../state/store.js';
import { SignInButtons } from './account-details/SignInButtons.js';
import './RefreshTokenWarning.css';

/** The warning for `account` now as "short|sentence", or '' — re-renders only when the words change. */
function useWarningText(account: AccountView, canSignIn: boolean): [short: string, sentence: string] {
  const days = useStore((s) => s.settings?.refreshTokenWarningDays ?? DEFAULT_SETTING_VALUES.refreshTokenWarningDays);
  const both = useClockDerived((now) => {
    const warning = refreshTokenWarning(account, days, now);
    return warning ? `${refreshTokenWarningShort(warning, canSignIn)}|${refreshTokenWarningText(warning, canSignIn)}` : '|';
  });
  return both.split('|') as [string, string];
}

/** The list's line under the status badge: short to fit the column, the whole sentence in its tooltip and for screen readers. */
export function RefreshTokenNote({ account }: { account: AccountView }) {
  const canSignIn = useStore((s) => Boolean(s.providerById[account.providerId]?.signIn.length));
  const [short, sentence] = useWarningText(account, canSignIn);
  if (!sentence) return null;
  const at = account.refreshTokenExpiresAt;
  return (
    <Tooltip content={at !== undefined ? `${sentence} (${fullTime(at)})` : sentence}>
      <span className="rt-warning-note" data-testid="rt-warning">
        <span aria-hidden="true">{short}</span>
        <span className="sr-only">{sentence}</span>
      </span>
    </Tooltip>
  );
}

/** The details' callout, with the way out as its action. */
export function RefreshTokenCallout({ account, provider, onEdit }: { account: AccountView; provider?: ProviderInfo; onEdit: (id: string) => void }) {
  const canSignIn = Boolean(provider?.signIn.length);
  const [, text] = useWarningText(account, canSignIn);
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
