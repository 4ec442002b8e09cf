// The two actions that cannot be undone, each behind a confirmation dialog: revoke (at
// the vendor where it can, else only here, saying how long the token stays valid) and
// remove.
import { useState } from 'react';
import { AlertDialog, Button, Callout, Flex, IconButton, Tooltip } from '@radix-ui/themes';
import { ExclamationTriangleIcon, LockClosedIcon, TrashIcon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../../shared/contract.js';
import { remove, revoke } from '../../state/actions.js';
import { useNow } from '../../state/clock.js';
import { fullTime, relativeTo } from '../../lib/time.js';

/** Cancel, and a red button that runs `action` with progress and closes the dialog once it succeeded. */
function ConfirmFooter({ label, action, onDone }: { label: string; action: () => Promise<boolean>; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Flex gap="3" mt="4" justify="end">
      <AlertDialog.Cancel>
        <Button variant="soft" color="gray">
          Cancel
        </Button>
      </AlertDialog.Cancel>
      <Button
        color="red"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          const ok = await action();
          setBusy(false);
          if (ok) onDone();
        }}
      >
        {label}
      </Button>
    </Flex>
  );
}

export function RevokeButton({ account, provider }: { account: AccountView; provider?: ProviderInfo }) {
  const [open, setOpen] = useState(false);
  const now = useNow();
  const localOnly = provider?.revoke.kind !== 'rfc7009';
  const vendor = provider?.name ?? account.providerId;
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger>
        <Button variant="soft" color="red" disabled={account.status === 'revoked'}>
          <LockClosedIcon /> Revoke
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Content maxWidth="520px" data-testid="revoke-dialog">
        <AlertDialog.Title>Revoke {account.name}?</AlertDialog.Title>
        <AlertDialog.Description size="2">{provider?.revoke.sentence ?? 'TokenDesk deletes the tokens from this computer.'}</AlertDialog.Description>
        {localOnly && account.expiresAt !== undefined && account.expiresAt > now && (
          <Callout.Root color="amber" size="1" mt="3">
            <Callout.Icon>
              <ExclamationTriangleIcon />
            </Callout.Icon>
            <Callout.Text>
              The current access token stays valid at {vendor} until {fullTime(account.expiresAt)} ({relativeTo(account.expiresAt, now)}). Anyone who copied it can use it until then.
            </Callout.Text>
          </Callout.Root>
        )}
        <ConfirmFooter label={localOnly ? 'Delete tokens here' : 'Revoke at the server'} action={() => revoke(account.id)} onDone={() => setOpen(false)} />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

export function RemoveButton({ account, onRemoved }: { account: AccountView; onRemoved: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <Tooltip content="Remove the account">
        <AlertDialog.Trigger>
          <IconButton variant="soft" color="gray" aria-label="Remove">
            <TrashIcon />
          </IconButton>
        </AlertDialog.Trigger>
      </Tooltip>
      <AlertDialog.Content maxWidth="480px" data-testid="remove-dialog">
        <AlertDialog.Title>Remove {account.name}?</AlertDialog.Title>
        <AlertDialog.Description size="2">
          TokenDesk deletes this account, its tokens and its settings from this computer. Nothing is sent to the provider: revoke first if the tokens must stop working. The history of its refreshes stays in the log.
        </AlertDialog.Description>
        <ConfirmFooter
          label="Remove account"
          action={() => remove(account.id)}
          onDone={() => {
            setOpen(false);
            onRemoved();
          }}
        />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}
