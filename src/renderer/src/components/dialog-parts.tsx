// Dialog footers shared by the dialogs loaded on demand (never imported by the first screen,
// which has no dialog): Cancel, and Cancel with a confirming button that shows progress.
import { useState } from 'react';
import { AlertDialog, Button, Dialog, Flex } from '@radix-ui/themes';

/** A dialog's Cancel button: closes it. */
export function DialogCancel() {
  return (
    <Dialog.Close>
      <Button type="button" variant="soft" color="gray">
        Cancel
      </Button>
    </Dialog.Close>
  );
}

/** An alert dialog's Cancel, and a button that runs `action` with progress and calls `onDone` once it succeeded (red unless `color` says). */
export function ConfirmFooter({ label, action, onDone, color = 'red' }: { label: string; action: () => Promise<boolean>; onDone: () => void; color?: 'red' | 'accent' }) {
  const [busy, setBusy] = useState(false);
  return (
    <Flex gap="3" mt="4" justify="end">
      <AlertDialog.Cancel>
        <Button variant="soft" color="gray">
          Cancel
        </Button>
      </AlertDialog.Cancel>
      <Button
        color={color === 'red' ? 'red' : undefined}
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
