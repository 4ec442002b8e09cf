// The top of the details pane: the account's name, provider and environment, the close
// button, and what its status means (an alert when it needs attention).
import { Box, Callout, Flex, Heading, IconButton, Text, Tooltip } from '@radix-ui/themes';
import { Cross2Icon, ExclamationTriangleIcon, InfoCircledIcon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../../shared/contract.js';
import { statusInfo } from '../../lib/status.js';
import { StatusBadge } from '../common.js';

type Environment = ProviderInfo['environments'][number];

export function DetailsHeader({ account, provider, environment, onClose }: { account: AccountView; provider?: ProviderInfo; environment?: Environment; onClose: () => void }) {
  const info = statusInfo(account, Boolean(provider?.signIn.length));
  const calloutColor = info.color === 'green' ? 'green' : info.color === 'blue' ? 'blue' : info.color === 'gray' ? 'gray' : info.color === 'amber' ? 'amber' : info.color === 'orange' ? 'orange' : 'red';
  return (
    <>
      <Flex justify="between" align="start" gap="2">
        <Box minWidth="0">
          <Heading as="h2" size="5" id="details-title" className="details-title" truncate>
            {account.name}
          </Heading>
          <Text as="div" size="2" color="gray">
            {provider?.name ?? account.providerId}
            {environment ? ` · ${environment.label}` : ''}
          </Text>
        </Box>
        <Tooltip content="Close (Esc)">
          <IconButton variant="ghost" color="gray" onClick={onClose} aria-label="Close account details">
            <Cross2Icon />
          </IconButton>
        </Tooltip>
      </Flex>

      <Callout.Root color={calloutColor} size="1" mt="3" data-testid="status-explanation" role={info.attention ? 'alert' : undefined}>
        <Callout.Icon>{info.attention ? <ExclamationTriangleIcon /> : <InfoCircledIcon />}</Callout.Icon>
        <Callout.Text>
          <StatusBadge account={account} /> {info.explanation}
        </Callout.Text>
      </Callout.Root>
    </>
  );
}
