// A virtualised list of accounts that the keyboard drives (the accounts list and the
// timeline): one active row, arrows/Home/End move it and keep it in view, Enter/Space opens it.
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AccountView } from '../../../shared/contract.js';

export function useKeyboardRows(accounts: readonly AccountView[], options: { rowHeight: number; overscan: number; onSelect: (id: string) => void }) {
  const { rowHeight, overscan, onSelect } = options;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: accounts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    getItemKey: (i) => accounts[i]?.id ?? i,
  });
  const activeIndex = Math.min(active, Math.max(accounts.length - 1, 0));

  const move = useCallback(
    (to: number) => {
      const i = Math.max(0, Math.min(accounts.length - 1, to));
      setActive(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [accounts.length, virtualizer],
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

  return { scrollRef, virtualizer, activeIndex, setActive, move, navigate };
}
