// The warning that the vault's key is weakly protected: in the banners and in Settings.
// Its own module, so the banners do not pull the Settings dialog into the first screen.
import { Callout } from '@radix-ui/themes';
import { ExclamationTriangleIcon } from '@radix-ui/react-icons';

export function WeakVaultWarning({ explanation }: { explanation?: string }) {
  return (
    <Callout.Root color="amber" size="1" mt="2" data-testid="weak-vault-warning">
      <Callout.Icon>
        <ExclamationTriangleIcon />
      </Callout.Icon>
      <Callout.Text>
        {explanation ? `${explanation} ` : ''}The secrets on this computer are encrypted with a key that is not well protected (for example Linux’s basic_text fallback, a hard-coded key):
        anyone who can read your files can read your tokens. Protect the vault with a passphrase or an OS keyring.
      </Callout.Text>
    </Callout.Root>
  );
}
