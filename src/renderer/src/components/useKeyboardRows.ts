// A virtualised list of accounts that the keyboard drives (the accounts list and the
// timeline): one active row, arrows/Home/End move it and keep it in view, Enter/Space opens it.
// The active row is an account, not a position: a re-sort, a filter or a live update moves
// the highlight with the account. When that account leaves the list (removed, filtered out)
// the row now at its old position becomes active — the next one, or the previous if it was last.
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AccountView } from '../../../shared/contract.js';
import { activeRowIndex, type ActiveRow } from '../lib/rows.js';

/**
 * Puts the focus on the keyboard-driven list on screen (accounts or timeline), whose active
 * row is then read out — after a Remove, the row that took the removed one's place.
 */
export function focusAccountRows(): void {
  document.querySelector<HTMLElement>('[data-testid="account-list"], .timeline-scroll')?.focus();
}

export function useKeyboardRows(accounts: readonly AccountView[], options: { rowHeight: number; overscan: number; onSelect: (id: string) => void }) {
  const { rowHeight, overscan, onSelect } = options;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActiveState] = useState<ActiveRow>({ index: 0 });
  const virtualizer = useVirtualizer({
    count: accounts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    getItemKey: (i) => accounts[i]?.id ?? i,
  });
  const activeIndex = useMemo(() => activeRowIndex(accounts, active), [accounts, active]);

  // Stable callbacks (rows are memoised): they read the current list through a ref.
  const accountsRef = useRef(accounts);
  accountsRef.current = accounts;

  /** Makes the row at `index` active (a click on it). */
  const setActive = useCallback((index: number) => setActiveState({ id: accountsRef.current[index]?.id, index }), []);

  /** Makes an account's row active (the selection changed elsewhere), if it is in the list. */
  const setActiveId = useCallback((id: string) => {
    const index = accountsRef.current.findIndex((a) => a.id === id);
    if (index >= 0) setActiveState({ id, index });
  }, []);

  const move = useCallback(
    (to: number) => {
      const list = accountsRef.current;
      const i = Math.max(0, Math.min(list.length - 1, to));
      setActiveState({ id: list[i]?.id, index: i });
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [virtualizer],
  );

  /** Handles the keys every such list shares; false when the key is not one of them. */
  const navigate = (e: KeyboardEvent<HTMLDivElement>): boolean => {
    switch (e.key) {
      case 'ArrowDown':
        move(activeIndex + 1);
        return true;
      case 'ArrowUp':
        move(activeIndex - 1);
        return true;
      case 'Home':
        move(0);
        return true;
      case 'End':
        move(accounts.length - 1);
        return true;
      case 'Enter':
      case ' ': {
        const current = accounts[activeIndex];
        if (current) onSelect(current.id);
        return true;
      }
      default:
        return false;
    }
  };

  return { scrollRef, virtualizer, activeIndex, setActive, setActiveId, move, navigate };
}
