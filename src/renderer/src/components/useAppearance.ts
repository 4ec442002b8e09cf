// The appearance the dashboard is drawn in: the theme setting (or the one Settings is
// previewing, until it is saved or cancelled), with "system" following the operating system's
// dark mode as it changes.
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

let preview: AppSettings['theme'] | undefined;
const previewListeners = new Set<() => void>();

/** Shows a theme before it is saved; undefined goes back to the saved setting. */
export function previewTheme(theme: AppSettings['theme'] | undefined): void {
  if (preview === theme) return;
  preview = theme;
  for (const l of previewListeners) l();
}

function usePreviewTheme(): AppSettings['theme'] | undefined {
  return useSyncExternalStore(
    (l) => {
      previewListeners.add(l);
      return () => previewListeners.delete(l);
    },
    () => preview,
  );
}

export function useAppearance(saved: AppSettings['theme']): 'light' | 'dark' {
  const systemDark = useSystemDark();
  const theme = usePreviewTheme() ?? saved;
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}
