// Escape in stacked dialogs. Radix gives its Escape listener to a newly opened dialog one
// render after it mounts; until then the dialog below still listens, so an Escape pressed at
// once would close the dialog below (the details drawer, Settings, the account form) together
// with the confirmation over it. A dialog that others open over passes this as its
// onEscapeKeyDown: while a dialog opened after it is still open, the key is not its own.

const OPEN_DIALOGS = '[role="dialog"][data-state="open"], [role="alertdialog"][data-state="open"]';

/** True when an open dialog comes after `self` in the page (portals append, so it was opened later, over it). */
export function hasOpenDialogAbove(self: Element | null): boolean {
  if (!self) return false;
  for (const other of self.ownerDocument.querySelectorAll(OPEN_DIALOGS)) {
    if (other === self || other.contains(self)) continue;
    if (self.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING) return true;
  }
  return false;
}

/** onEscapeKeyDown for a dialog that hosts others: keeps it open while one is open over it. */
export function leaveEscapeToDialogAbove(self: Element | null, event: KeyboardEvent): void {
  if (hasOpenDialogAbove(self)) event.preventDefault();
}
