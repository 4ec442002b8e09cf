// One account: what its state means, every action, its facts, the token inspector and
// its recent history. The parts are in account-details/.
import { Box } from '@radix-ui/themes';
import type { AccountView, ProviderInfo } from '../../../shared/contract.js';
import { AccountActions } from './account-details/AccountActions.js';
import { AccountFacts, ProviderMeta } from './account-details/AccountFacts.js';
import { DetailsHeader } from './account-details/DetailsHeader.js';
import { RecentRefreshes } from './account-details/RecentRefreshes.js';
import { RefreshTokenCallout } from './RefreshTokenWarning.js';
import { TokenInspector } from './TokenInspector.js';

interface Props {
  account: AccountView;
  provider?: ProviderInfo;
  onClose: () => void;
  onEdit: (id: string) => void;
  onShowHistory: (id: string) => void;
}

export function AccountDetails({ account, provider, onClose, onEdit, onShowHistory }: Props) {
  const environment = provider?.environments.find((e) => e.id === account.environment);
  return (
    <section className="details" aria-labelledby="details-title" data-testid="account-details">
      <DetailsHeader account={account} provider={provider} environment={environment} onClose={onClose} />
      <RefreshTokenCallout account={account} provider={provider} onEdit={onEdit} />
      <AccountActions account={account} provider={provider} onEdit={onEdit} onRemoved={onClose} />
      <AccountFacts account={account} environment={environment} />
      <ProviderMeta account={account} provider={provider} />
      <Box mt="4">
        <TokenInspector account={account} />
      </Box>
      <RecentRefreshes accountId={account.id} onShowHistory={onShowHistory} />
    </section>
  );
}
