// The token inspector: masked by default. The access token crosses to this page only
// when the user presses Reveal (accounts.token), and is dropped again on Hide or when
// another account is shown. Copy never puts the token in the page: it goes from the
// owner to the clipboard (in a browser, through a string that is never rendered). The
// refresh token and an ID token follow below (token-inspector/StoredTokens.tsx).
import { useEffect, useRef, useState } from 'react';
import { Badge, Box, Button, Card, Code, Flex, Heading, RadioGroup, Text, TextField } from '@radix-ui/themes';
import { ClipboardCopyIcon, EyeClosedIcon, EyeOpenIcon } from '@radix-ui/react-icons';
import type { AccountView } from '../../../shared/contract.js';
import { call, errorText } from '../state/api.js';
import { copyToken } from '../state/actions.js';
import { CopyStatus, useCopyStatus } from './token-inspector/CopyStatus.js';
import { JwtView } from './token-inspector/JwtView.js';
import { MASK, StoredTokens } from './token-inspector/StoredTokens.js';
import { curlUrlProblem } from '../lib/copy.js';
import './token-inspector/TokenInspector.css';
import { descriptorOf } from '../lib/provider-registry.js';

type AuthScheme = 'Bearer' | 'Token';

export function TokenInspector({ account }: { account: AccountView }) {
  const [revealed, setRevealed] = useState<{ id: string; token: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // Vendors whose API takes more than one Authorization scheme offer the choice (the first is the default).
  const schemes = descriptorOf(account.providerId).authorizationSchemes ?? [];
  const [scheme, setScheme] = useState<AuthScheme>(schemes[0] ?? 'Bearer');
  const [curlUrl, setCurlUrl] = useState('');

  // Another account, or this one's token changed: forget what was revealed.
  useEffect(() => {
    setRevealed(undefined);
    setError(undefined);
  }, [account.id, account.obtainedAt, account.status]);

  const token = revealed?.id === account.id ? revealed.token : undefined;
  const usable = account.hasAccessToken && account.status !== 'revoked';

  const reveal = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await call('accounts.token', { account: account.id, minValidSeconds: 0, trigger: 'manual' });
      setRevealed({ id: account.id, token: result.accessToken });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="2" className="inspector" role="group" aria-labelledby="inspector-title">
      <Flex justify="between" align="center" mb="2" gap="2">
        <Heading as="h3" size="3" id="inspector-title">
          Access token
        </Heading>
        {account.tokenType && (
          <Badge variant="outline" color="gray">
            {account.tokenType}
          </Badge>
        )}
      </Flex>
      {!usable ? (
        <Text as="p" size="2" color="gray">
          {account.status === 'revoked' ? 'Revoked: there is no token on this computer any more.' : 'No access token yet: the first refresh fetches one.'}
        </Text>
      ) : (
        <>
          <Flex gap="2" align="start">
            <Box flexGrow="1" minWidth="0">
              {token ? (
                <Code size="2" className="token-value" data-testid="token-value" variant="soft">
                  {token}
                </Code>
              ) : (
                <Code size="2" className="token-value token-masked" data-testid="token-masked" variant="soft" aria-label="Access token, hidden">
                  {MASK}
                </Code>
              )}
            </Box>
            {token ? (
              <Button variant="soft" color="gray" onClick={() => setRevealed(undefined)}>
                <EyeClosedIcon /> Hide
              </Button>
            ) : (
              <Button variant="soft" onClick={() => void reveal()} loading={busy}>
                <EyeOpenIcon /> Reveal
              </Button>
            )}
          </Flex>
          {error && (
            <Text as="p" size="2" color="red" mt="2" role="alert">
              {error}
            </Text>
          )}
          <CopyPanel account={account} schemes={schemes} scheme={scheme} onScheme={setScheme} curlUrl={curlUrl} onCurlUrl={setCurlUrl} />
          <Box mt="3">{token ? <JwtView token={token} /> : <Text size="1" color="gray">Reveal the token to decode its JWT header and claims.</Text>}</Box>
        </>
      )}
      <StoredTokens account={account} />
    </Card>
  );
}

/**
 * Copy the token, an Authorization header or a curl line, with the vendor's choice of
 * Authorization scheme when it takes more than one. The choices live in TokenInspector so
 * they outlast this panel. What a copy did is said right below the buttons.
 */
function CopyPanel(props: { account: AccountView; schemes: readonly AuthScheme[]; scheme: AuthScheme; onScheme: (s: AuthScheme) => void; curlUrl: string; onCurlUrl: (url: string) => void }) {
  const { account, schemes, scheme, onScheme, curlUrl, onCurlUrl } = props;
  const [status, setStatus] = useCopyStatus(account.id);
  const urlField = useRef<HTMLInputElement>(null);
  const copy = async (format: 'token' | 'header' | 'curl') => {
    if (format === 'curl') {
      const problem = curlUrlProblem(curlUrl);
      if (problem) {
        setStatus({ ok: false, text: problem });
        urlField.current?.focus();
        return;
      }
    }
    const input = {
      account: account.id,
      format,
      ...(schemes.length > 1 && format !== 'token' ? { scheme } : {}),
      ...(format === 'curl' ? { url: curlUrl.trim() } : {}),
    };
    setStatus(await copyToken(input, account.name));
  };

  return (
    <Box mt="3">
      <Text as="div" size="2" weight="medium" mb="1">
        Copy to the clipboard
      </Text>
      {schemes.length > 1 && (
        <Flex align="center" gap="3" mb="2" wrap="wrap">
          <Text size="1" color="gray" id="scheme-label">
            Authorization prefix ({descriptorOf(account.providerId).name} takes {schemes.join(' or ')}):
          </Text>
          <RadioGroup.Root value={scheme} onValueChange={(v) => onScheme(v as AuthScheme)} aria-labelledby="scheme-label" orientation="horizontal" size="1">
            <Flex gap="3">
              {schemes.map((s) => (
                <Text as="label" size="2" key={s}>
                  <Flex gap="1" align="center">
                    <RadioGroup.Item value={s} /> {s}
                  </Flex>
                </Text>
              ))}
            </Flex>
          </RadioGroup.Root>
        </Flex>
      )}
      <Flex gap="2" wrap="wrap">
        <Button size="1" variant="surface" onClick={() => void copy('token')}>
          <ClipboardCopyIcon /> Token
        </Button>
        <Button size="1" variant="surface" onClick={() => void copy('header')}>
          <ClipboardCopyIcon /> Authorization header
        </Button>
      </Flex>
      <Flex gap="2" mt="2" align="center" className="curl-row">
        <Box flexGrow="1" minWidth="0">
          <TextField.Root
            ref={urlField}
            size="1"
            placeholder="API URL for the curl line, e.g. https://api.example.com/v1/me"
            value={curlUrl}
            onChange={(e) => onCurlUrl(e.target.value)}
            aria-label="URL for the curl line"
          />
        </Box>
        <Button size="1" variant="surface" onClick={() => void copy('curl')}>
          <ClipboardCopyIcon /> curl line
        </Button>
      </Flex>
      <CopyStatus status={status} testId="copy-result" />
    </Box>
  );
}
