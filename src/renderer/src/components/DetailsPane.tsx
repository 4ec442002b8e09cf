// Where the selected account's details show: beside the list in a wide window (a
// complementary landmark), or, below DRAWER_BREAKPOINT, a drawer over the page — a modal
// dialog that Escape, the close button or a click outside closes, giving the focus back to
// where it was (the list) when it opened. The drawer takes the focus itself when it opens.
import { useRef, useSyncExternalStore, type ReactNode } from 'react';
import { Dialog } from 'radix-ui';
import { leaveEscapeToDialogAbove } from './dialog-stack.js';

/** Below this width (CSS px) the details are a drawer; styles.css sizes the side pane for wider windows. */
export const DRAWER_BREAKPOINT = 1200;

const narrowQuery = typeof matchMedia === 'function' ? matchMedia(`(max-width: ${DRAWER_BREAKPOINT - 0.02}px)`) : undefined;

/** Whether the window is narrower than DRAWER_BREAKPOINT, following resizes. */
export function useNarrowWindow(): boolean {
  return useSyncExternalStore(
    (l) => {
      narrowQuery?.addEventListener('change', l);
      return () => narrowQuery?.removeEventListener('change', l);
    },
    () => narrowQuery?.matches ?? false,
  );
}

interface Props {
  /** What the pane shows; nothing (and no pane) when undefined. */
  children: ReactNode | undefined;
  /** The account's name: the drawer's accessible name. */
  title: string;
  drawer: boolean;
  onClose: () => void;
}

export function DetailsPane({ children, title, drawer, onClose }: Props) {
  // The element that had the focus when the drawer opened (the list, a row's button…).
  const returnFocus = useRef<HTMLElement | null>(null);
  const content = useRef<HTMLDivElement>(null);
  if (!drawer) {
    return children ? (
      <aside className="details-pane" aria-label="Account details">
        {children}
      </aside>
    ) : null;
  }
  return (
    <Dialog.Root open={children !== undefined} onOpenChange={(open) => !open && onClose()}>
      {/* Not portalled: inside the Theme, so the drawer has the theme's tokens. */}
      <Dialog.Overlay className="drawer-overlay" />
      <Dialog.Content
        ref={content}
        className="details-pane drawer"
        aria-describedby={undefined}
        data-testid="details-drawer"
        onEscapeKeyDown={(e) => leaveEscapeToDialogAbove(content.current, e)}
        onOpenAutoFocus={(e) => {
          const active = document.activeElement;
          returnFocus.current = active instanceof HTMLElement && active !== document.body ? active : null;
          // The drawer itself takes the focus (a screen reader reads its name; Tab goes on to the
          // first control), not its first button, whose tooltip would open and catch Escape.
          e.preventDefault();
          content.current?.focus();
        }}
        onCloseAutoFocus={(e) => {
          e.preventDefault();
          focusFirstShown([returnFocus.current, ...document.querySelectorAll<HTMLElement>('[data-testid="account-list"], .timeline-scroll, [role="tabpanel"]')]);
        }}
      >
        <Dialog.Title className="sr-only">{title}</Dialog.Title>
        {children}
      </Dialog.Content>
    </Dialog.Root>
  );
}

/** Focuses the first element still on the page and shown ("All history" switches to a tab without the list). */
function focusFirstShown(candidates: (HTMLElement | null)[]): void {
  candidates.find((el) => el?.isConnected && el.getClientRects().length > 0)?.focus();
}
