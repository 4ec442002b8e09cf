// The sign-in in progress (state/signin.ts): what is happening in words, the time left,
// and Cancel. A browser sign-in waits for the provider to send the user back; a device
// sign-in shows the code to enter on another device, its page and a QR code of it. A
// failure stays in the dialog, in words, with Try again (and Edit when the provider
// rejected the account's settings). Success closes it with a toast. Esc cancels.
import { useEffect } from 'react';
import { Box, Button, Callout, Code, Dialog, Flex, Link, Spinner, Text } from '@radix-ui/themes';
import { CopyIcon, CrossCircledIcon, ExternalLinkIcon, Pencil1Icon } from '@radix-ui/react-icons';
import type { SignInInfo } from '../../../shared/contract.js';
import { copyText } from '../state/actions.js';
import { host } from '../state/api.js';
import { useNow } from '../state/clock.js';
import { cancelSignIn, reopenSignInPage, retrySignIn, signInOverdue, useSignIn, type SignInView } from '../state/signin.js';
import { useStore } from '../state/store.js';
import { countdown, countdownWords, failureAdvice, failureKind } from '../lib/signin.js';
import { PasswordForm } from './sign-in/PasswordForm.js';
import { QrCode } from './sign-in/QrCode.js';

/** After the time is up, how long to wait for the owner's word before saying it timed out. */
const OVERDUE_GRACE_MS = 5_000;

export function SignInDialog({ onEdit }: { onEdit: (accountId: string) => void }) {
  const view = useSignIn();
  const account = useStore((s) => (view ? s.byId.get(view.accountId) : undefined));
  const provider = useStore((s) => (account ? s.providerById[account.providerId] : undefined));
  const providerName = provider?.name ?? account?.providerId ?? 'the provider';
  return (
    <Dialog.Root open={view !== undefined} onOpenChange={(open) => !open && cancelSignIn()}>
      <Dialog.Content
        maxWidth="520px"
        data-testid="signin-dialog"
        data-phase={view?.phase}
        // Only Cancel and Esc end a sign-in: a stray click beside the dialog does not.
        onPointerDownOutside={(e) => e.preventDefault()}
        onInteractOutside={(e) => e.preventDefault()}
      >
        <Dialog.Title>Sign in to {providerName}</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          {view?.method === 'device' ? 'With a code on another device' : view?.method === 'password' ? 'With your password' : 'In your browser'} · account {account?.name ?? ''}
        </Dialog.Description>
        {view?.phase === 'credentials' && <PasswordForm provider={provider} />}
        {view?.phase === 'starting' && <Starting />}
        {view?.phase === 'waiting' && view.info?.method === 'browser' && <BrowserWaiting providerName={providerName} />}
        {view?.phase === 'waiting' && view.info?.method === 'device' && <DeviceWaiting info={view.info} providerName={providerName} />}
        {view?.phase === 'waiting' && view.method !== 'password' && <TimeLeft view={view} />}
        {view?.phase === 'waiting' && view.method === 'password' && <Starting />}
        {view?.phase === 'failed' && <Failed view={view} settingsRejected={view.configError === true || account?.status === 'config_error'} onEdit={onEdit} />}
        {view && view.phase !== 'failed' && view.phase !== 'credentials' && (
          <Flex justify="end" mt="4">
            <Button variant="soft" color="gray" onClick={cancelSignIn}>
              Cancel
            </Button>
          </Flex>
        )}
      </Dialog.Content>
    </Dialog.Root>
  );
}

function Starting() {
  return (
    <Flex align="center" gap="2" role="status">
      <Spinner size="2" />
      <Text size="2">Starting the sign-in…</Text>
    </Flex>
  );
}

function BrowserWaiting({ providerName }: { providerName: string }) {
  const web = host() === 'web';
  return (
    <>
      <Text as="p" size="3">
        Finish signing in to {providerName} in your browser. TokenDesk is waiting for it to send you back.
      </Text>
      <Text as="p" size="2" color="gray" mt="2">
        {web
          ? 'The sign-in page opened in a new tab. Closed it, or it did not open?'
          : 'The sign-in page opened in your browser. Closed it, or it did not open? Opening it again starts a new sign-in.'}
      </Text>
      <Flex mt="2">
        <Button variant="soft" onClick={reopenSignInPage} data-testid="signin-reopen">
          <ExternalLinkIcon /> Open the page again
        </Button>
      </Flex>
    </>
  );
}

function DeviceWaiting({ info, providerName }: { info: Extract<SignInInfo, { method: 'device' }>; providerName: string }) {
  const web = host() === 'web';
  const qrTarget = info.verificationUriComplete ?? info.verificationUri;
  return (
    <>
      <Text as="p" size="3">
        On your phone or another computer, open {providerName}’s page below and enter this code. TokenDesk is waiting for {providerName} to confirm it.
      </Text>
      <Flex align="center" justify="center" gap="3" mt="3" wrap="wrap">
        <output className="user-code" aria-label={`Code: ${info.userCode.split('').join(' ')}`} data-testid="signin-user-code">
          {info.userCode}
        </output>
        <Button variant="soft" onClick={() => void copyText(info.userCode, 'the code')}>
          <CopyIcon /> Copy code
        </Button>
      </Flex>
      <Flex gap="4" mt="3" align="center">
        <Box minWidth="0" flexGrow="1">
          <Text as="div" size="2" weight="medium" mb="1">
            Page to open
          </Text>
          <Flex gap="2" align="center" wrap="wrap">
            {web ? (
              // Opens in a new tab of the user's browser, never in place of the dashboard.
              <Link href={info.verificationUri} target="_blank" rel="noopener noreferrer" size="2" className="break" data-testid="signin-verification-uri">
                {info.verificationUri}
              </Link>
            ) : (
              // The desktop app opens only a short list of documentation sites: the address is for the user to type or paste.
              <Code size="2" variant="ghost" className="break selectable" data-testid="signin-verification-uri">
                {info.verificationUri}
              </Code>
            )}
            <Button size="1" variant="ghost" onClick={() => void copyText(info.verificationUri, 'the address of the page')}>
              <CopyIcon /> Copy link
            </Button>
          </Flex>
          {info.verificationUriComplete && (
            <Text as="p" size="1" color="gray" mt="2">
              The QR code opens the page with the code already filled in.
            </Text>
          )}
        </Box>
        <QrCode text={qrTarget} label={`QR code of ${providerName}’s sign-in page, for a phone’s camera`} />
      </Flex>
    </>
  );
}

function TimeLeft({ view }: { view: SignInView }) {
  const now = useNow();
  const expiresAt = view.info?.expiresAt;
  const { attempt } = view;
  useEffect(() => {
    if (expiresAt === undefined) return;
    const timer = setTimeout(() => signInOverdue(attempt), Math.max(0, expiresAt - Date.now()) + OVERDUE_GRACE_MS);
    return () => clearTimeout(timer);
  }, [attempt, expiresAt]);
  if (expiresAt === undefined) return null;
  const left = expiresAt - now;
  return (
    <Flex align="center" gap="2" mt="4" className="signin-timer">
      <Spinner size="1" />
      <Text size="2" color="gray">
        {view.method === 'device' ? 'The code expires in' : 'Waiting; the sign-in times out in'}{' '}
        <span role="timer" aria-label={countdownWords(left)} className="countdown" data-testid="signin-countdown">
          {countdown(left)}
        </span>
      </Text>
    </Flex>
  );
}

function Failed({ view, settingsRejected, onEdit }: { view: SignInView; settingsRejected: boolean; onEdit: (accountId: string) => void }) {
  // A refused password is the user's to fix (the account's settings were not the problem).
  const kind = view.method === 'password' && !settingsRejected ? 'credentials' : failureKind(view.message, settingsRejected);
  return (
    <>
      <Callout.Root color="red" size="2" role="alert" data-testid="signin-failure" data-kind={kind}>
        <Callout.Icon>
          <CrossCircledIcon />
        </Callout.Icon>
        <Callout.Text>
          <Text as="span" weight="bold">
            The sign-in did not finish.
          </Text>{' '}
          {view.message}
        </Callout.Text>
      </Callout.Root>
      <Text as="p" size="2" mt="3">
        {failureAdvice(kind)}
      </Text>
      <Flex gap="3" mt="4" justify="end" wrap="wrap">
        <Dialog.Close>
          <Button variant="soft" color="gray">
            Close
          </Button>
        </Dialog.Close>
        {(kind === 'settings' || kind === 'credentials') && (
          <Button
            variant="soft"
            onClick={() => {
              cancelSignIn();
              onEdit(view.accountId);
            }}
          >
            <Pencil1Icon /> Edit settings
          </Button>
        )}
        <Button onClick={retrySignIn}>Try again</Button>
      </Flex>
    </>
  );
}
