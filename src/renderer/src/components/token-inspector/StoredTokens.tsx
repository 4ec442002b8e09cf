// The refresh token and, when the provider sent one, the OpenID Connect ID token: masked
// like the access token, revealed only on request (accounts.reveal) and dropped again on
// Hide or when the account or its tokens change; copied like the access token (the desktop
// app writes the clipboard in main and clears it later). An ID token's claims are decoded.
import { useEffect, useState } from 'react';
import { Box, Button, Code, Flex, Heading, Text } from '@radix-ui/themes';
import { ClipboardCopyIcon, EyeClosedIcon, EyeOpenIcon } from '@radix-ui/react-icons';
import type { AccountView } from '../../../../shared/contract.js';
import { call, errorText } from '../../state/api.js';
import { copyToken } from '../../state/actions.js';
import { CopyStatus, useCopyStatus } from './CopyStatus.js';
import { JwtView } from './JwtView.js';

export const MASK = '•'.repeat(24);

const KINDS = {
  refresh: { title: 'Refresh token', words: 'refresh token', has: (a: AccountView) => a.hasRefreshToken === true },
  id: { title: 'ID token', words: 'ID token', has: (a: AccountView) => a.hasIdToken === true },
} as const;

export function StoredTokens({ account }: { account: AccountView }) {
  if (account.status === 'revoked') return null;
  const kinds = (Object.keys(KINDS) as (keyof typeof KINDS)[]).filter((k) => KINDS[k].has(account));
  return (
    <>
      {kinds.map((kind) => (
        <StoredToken key={kind} account={account} kind={kind} />
      ))}
    </>
  );
}

function StoredToken({ account, kind }: { account: AccountView; kind: keyof typeof KINDS }) {
  const { title, words } = KINDS[kind];
  const [revealed, setRevealed] = useState<{ id: string; token: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [copyStatus, setCopyStatus] = useCopyStatus(account.id);

  // Another account, or its tokens changed (a rotation, a revoke): forget what was revealed.
  useEffect(() => {
    setRevealed(undefined);
    setError(undefined);
  }, [account.id, account.obtainedAt, account.status]);

  const token = revealed?.id === account.id ? revealed.token : undefined;
  const reveal = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await call('accounts.reveal', { account: account.id, token: kind });
      setRevealed({ id: account.id, token: result.token });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => setCopyStatus(await copyToken({ account: account.id, format: 'token', token: kind }, account.name));

  return (
    <Box mt="4" data-testid={`${kind}-token`}>
      <Heading as="h4" size="2" mb="1">
        {title}
      </Heading>
      <Flex gap="2" align="start">
        <Box flexGrow="1" minWidth="0">
          {token ? (
            <Code size="2" className="token-value" data-testid={`${kind}-token-value`} variant="soft">
              {token}
            </Code>
          ) : (
            <Code size="2" className="token-value token-masked" data-testid={`${kind}-token-masked`} variant="soft" aria-label={`${title}, hidden`}>
              {MASK}
            </Code>
          )}
        </Box>
        {token ? (
          <Button variant="soft" color="gray" onClick={() => setRevealed(undefined)} aria-label={`Hide the ${words}`}>
            <EyeClosedIcon /> Hide
          </Button>
        ) : (
          <Button variant="soft" onClick={() => void reveal()} loading={busy} aria-label={`Reveal the ${words}`}>
            <EyeOpenIcon /> Reveal
          </Button>
        )}
        <Button variant="surface" onClick={() => void copy()} aria-label={`Copy the ${words}`}>
          <ClipboardCopyIcon /> Copy
        </Button>
      </Flex>
      {error && (
        <Text as="p" size="2" color="red" mt="2" role="alert">
          {error}
        </Text>
      )}
      <CopyStatus status={copyStatus} testId={`${kind}-token-copy-result`} />
      {kind === 'id' && (
        <Box mt="2">{token ? <JwtView token={token} testId="id-jwt" /> : <Text size="1" color="gray">Reveal the ID token to decode its claims.</Text>}</Box>
      )}
    </Box>
  );
}
