// The two destructive actions, each behind a confirmation dialog: revoke (at the vendor
// where it can, else only here, saying how long the token stays valid; it cannot be undone)
// and remove (undoable for a few seconds from its toast; the focus moves to the next row).
import { useRef, useState } from 'react';
import { AlertDialog, Button, Callout, IconButton, Tooltip } from '@radix-ui/themes';
import { ExclamationTriangleIcon, LockClosedIcon, TrashIcon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../../shared/contract.js';
import { remove, revoke, UNDO_REMOVE_SECONDS } from '../../state/actions.js';
import { focusAccountRows } from '../useKeyboardRows.js';
import { useNow } from '../../state/clock.js';
import { fullTime, relativeTo } from '../../lib/time.js';
import { ConfirmFooter } from '../dialog-parts.js';

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
  // Once removed, its trigger is gone with the details: the focus goes to the list, on the next row.
  const removed = useRef(false);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <Tooltip content="Remove the account">
        <AlertDialog.Trigger>
          <IconButton variant="soft" color="gray" aria-label={`Remove ${account.name}`}>
            <TrashIcon />
          </IconButton>
        </AlertDialog.Trigger>
      </Tooltip>
      <AlertDialog.Content
        maxWidth="480px"
        data-testid="remove-dialog"
        onCloseAutoFocus={(e) => {
          if (!removed.current) return;
          e.preventDefault();
          focusAccountRows();
        }}
      >
        <AlertDialog.Title>Remove {account.name}?</AlertDialog.Title>
        <AlertDialog.Description size="2">
          TokenDesk deletes this account, its tokens and its settings from this computer; for {UNDO_REMOVE_SECONDS} seconds the toast that follows can undo it. Nothing is sent to the provider: revoke first if the tokens must stop working. The history of its refreshes stays in the log.
        </AlertDialog.Description>
        <ConfirmFooter
          label="Remove account"
          action={async () => {
            // Set before the call: the owner's account-removed event may close the details (and this dialog) before it answers.
            removed.current = true;
            removed.current = await remove(account.id);
            return removed.current;
          }}
          onDone={() => {
            setOpen(false);
            onRemoved();
          }}
        />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}
