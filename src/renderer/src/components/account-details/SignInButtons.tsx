// "Sign in" for an account whose provider TokenDesk can sign in to. An account that needs
// it (no refresh token yet, or the provider stopped accepting it) gets it as its primary
// action, with "Sign in with a code" beside it when the provider offers the device flow;
// a working account gets "Sign in again" (a menu of both ways when there are two).
import { Button, DropdownMenu } from '@radix-ui/themes';
import { EnterIcon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../../shared/contract.js';
import { startSignIn } from '../../state/signin.js';

export function SignInButtons({ account, provider, primary }: { account: AccountView; provider?: ProviderInfo; primary: boolean }) {
  const methods = provider?.signIn ?? [];
  if (methods.length === 0) return null;
  const browser = methods.includes('browser');
  const device = methods.includes('device');
  // The first way the provider offers: the browser, else a code, else a password (PathStack, Vault.ist).
  const first = browser ? 'browser' : device ? 'device' : 'password';
  // Called in the click itself: in a browser the sign-in page's tab must open inside the gesture.
  const signIn = (method: 'browser' | 'device' | 'password') => startSignIn(account.id, method);

  if (primary) {
    return (
      <>
        <Button onClick={() => signIn(first)} data-testid="sign-in">
          <EnterIcon /> Sign in
        </Button>
        {browser && device && (
          <Button variant="soft" onClick={() => signIn('device')} data-testid="sign-in-device">
            Sign in with a code
          </Button>
        )}
      </>
    );
  }
  if (browser && device) {
    return (
      <DropdownMenu.Root>
        <DropdownMenu.Trigger>
          <Button variant="soft" data-testid="sign-in-again">
            <EnterIcon /> Sign in again <DropdownMenu.TriggerIcon />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Content>
          <DropdownMenu.Item onSelect={() => signIn('browser')}>Sign in with the browser</DropdownMenu.Item>
          <DropdownMenu.Item onSelect={() => signIn('device')}>Sign in with a code</DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Root>
    );
  }
  return (
    <Button variant="soft" onClick={() => signIn(first)} data-testid="sign-in-again">
      <EnterIcon /> Sign in again
    </Button>
  );
}
