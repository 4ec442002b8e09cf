// What is known of the account's tokens and settings (expiry and where it comes from,
// next refresh, endpoint…), and the non-secret details of the provider's last answer.
import { Box, Code, DataList, Flex, Text } from '@radix-ui/themes';
import type { AccountView, ProviderInfo } from '../../../../shared/contract.js';
import { formatDuration } from '../../../../shared/duration.js';
import { statusInfo } from '../../lib/status.js';
import { fullTime } from '../../lib/time.js';
import { When } from '../common.js';
import { TeamFacts } from '../TeamVaultPanels.js';

const EXPIRY_SOURCE_WORDS: Record<string, string> = {
  expires_in: 'from the provider’s expires_in',
  jwt_exp: 'from the token’s JWT exp claim',
  refresh_every: 'from this account’s “refresh every” setting',
  unknown: 'unknown',
};

type Environment = ProviderInfo['environments'][number];

export function AccountFacts({ account, environment }: { account: AccountView; environment?: Environment }) {
  const info = statusInfo(account);
  // What the last answer taught about the tokens means nothing once they are gone.
  const tokensHere = account.status !== 'revoked';
  return (
    <DataList.Root size="2" mt="3" className="facts">
      <TeamFacts account={account} />
      <DataList.Item>
        <DataList.Label>Access token expires</DataList.Label>
        <DataList.Value>
          {account.expiresAt !== undefined ? (
            <When at={account.expiresAt} />
          ) : account.status === 'revoked' ? (
            '—'
          ) : (
            'no known expiry'
          )}
        </DataList.Value>
      </DataList.Item>
      {tokensHere && account.expirySource && (
        <DataList.Item>
          <DataList.Label>Expiry known</DataList.Label>
          <DataList.Value>{EXPIRY_SOURCE_WORDS[account.expirySource] ?? account.expirySource}</DataList.Value>
        </DataList.Item>
      )}
      <DataList.Item>
        <DataList.Label>Next refresh</DataList.Label>
        <DataList.Value>
          {account.nextRefreshAt !== undefined ? (
            <When at={account.nextRefreshAt} />
          ) : (
            (info.label === 'Paused' ? 'paused' : 'none scheduled')
          )}
        </DataList.Value>
      </DataList.Item>
      {account.refreshTokenExpiresAt !== undefined && (
        <DataList.Item>
          <DataList.Label>Refresh token expires</DataList.Label>
          <DataList.Value>
            <When at={account.refreshTokenExpiresAt} />
          </DataList.Value>
        </DataList.Item>
      )}
      {tokensHere && account.obtainedAt !== undefined && (
        <DataList.Item>
          <DataList.Label>Obtained</DataList.Label>
          <DataList.Value>{fullTime(account.obtainedAt)}</DataList.Value>
        </DataList.Item>
      )}
      {account.scope && (
        <DataList.Item>
          <DataList.Label>Scope</DataList.Label>
          <DataList.Value className="break">{account.scope}</DataList.Value>
        </DataList.Item>
      )}
      <DataList.Item>
        <DataList.Label>Endpoint</DataList.Label>
        <DataList.Value className="break">
          <span>
            {account.baseUrl ?? environment?.baseUrl ?? account.settings['token_url'] ?? account.settings['issuer'] ?? '—'}
            {account.baseUrl && <Text color="gray"> (override)</Text>}
          </span>
        </DataList.Value>
      </DataList.Item>
      {account.refreshEveryMs !== undefined && (
        <DataList.Item>
          <DataList.Label>Refresh every</DataList.Label>
          <DataList.Value>{formatDuration(account.refreshEveryMs)} (when the token has no known expiry)</DataList.Value>
        </DataList.Item>
      )}
    </DataList.Root>
  );
}

/** The vendor's non-secret metadata from its last answer (e.g. UPS refresh_count), if any. */
export function ProviderMeta({ account, provider }: { account: AccountView; provider?: ProviderInfo }) {
  if (!account.meta || Object.keys(account.meta).length === 0) return null;
  return (
    <Box mt="3">
      <Text as="div" size="1" color="gray" mb="1">
        Details from {provider?.name ?? account.providerId}’s last answer
      </Text>
      <Flex gap="2" wrap="wrap" className="meta">
        {Object.entries(account.meta).map(([k, v]) => (
          <Code key={k} variant="soft" color="gray" size="1">
            {k}: {String(v)}
          </Code>
        ))}
      </Flex>
    </Box>
  );
}
