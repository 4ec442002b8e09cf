// The appearance the dashboard is drawn in: the theme setting, with "system" following the
// operating system's dark mode as it changes.
import { useSyncExternalStore } from 'react';
import type { AppSettings } from '../../../shared/contract.js';

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

function useSystemDark(): boolean {
  return useSyncExternalStore(
    (l) => {
      darkQuery?.addEventListener('change', l);
      return () => darkQuery?.removeEventListener('change', l);
    },
    () => darkQuery?.matches ?? false,
  );
}

export function useAppearance(theme: AppSettings['theme']): 'light' | 'dark' {
  const systemDark = useSystemDark();
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}
