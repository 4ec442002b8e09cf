// The dashboard's single-key shortcuts (listed in ShortcutsDialog.tsx), on the whole page,
// never while typing in a field or while a dialog is open.
import { useEffect } from 'react';

export const TABS = ['accounts', 'timeline', 'history'] as const;
export type Tab = (typeof TABS)[number];

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function useGlobalShortcuts(view: {
  tab: Tab;
  setTab: (update: Tab | ((tab: Tab) => Tab)) => void;
  selectedId: string | undefined;
  setSelectedId: (id: string | undefined) => void;
  openAdd: () => void;
  setHelpOpen: (open: boolean) => void;
}): void {
  const { tab, setTab, selectedId, setSelectedId, openAdd, setHelpOpen } = view;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target) || document.querySelector('[role="dialog"],[role="alertdialog"]')) return;
      if (e.key === '/') {
        e.preventDefault();
        if (tab === 'history') setTab('accounts');
        setTimeout(() => document.getElementById('account-search')?.focus(), 0);
      } else if (e.key === 'n') {
        e.preventDefault();
        openAdd();
      } else if (e.key === '1' || e.key === '2' || e.key === '3') {
        setTab(TABS[Number(e.key) - 1]!);
      } else if (e.key === '?') {
        setHelpOpen(true);
      } else if (e.key === 'Escape' && selectedId) {
        setSelectedId(undefined);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openAdd, selectedId, tab, setTab, setSelectedId, setHelpOpen]);
}
