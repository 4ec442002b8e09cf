// What the first screen (header, tabs, the account list) does not need, loaded on demand in
// chunks of their own: the dialogs, the Timeline and History tabs and the details pane (with
// the token inspector). The first screen parses less JavaScript and CSS; once the list is on
// screen, preloadLazyParts() fetches the chunks while the page is idle, so a first click or
// shortcut finds them ready. Until a chunk arrives its place shows a small "Loading…".
import { lazy, useState, type ComponentProps, type ComponentType } from 'react';
import { Text } from '@radix-ui/themes';
import './lazy-parts.css';
import type { AccountDetails } from './AccountDetails.js';
import type { AccountFormDialog } from './AccountForm.js';

export interface LazyPart<P extends object> {
  Component: ComponentType<P>;
  preload: () => Promise<unknown>;
}

function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>): LazyPart<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () => (loading ??= load());
  return { Component: lazy(async () => ({ default: await preload() })), preload };
}

export const LazyAccountFormDialog: LazyPart<ComponentProps<typeof AccountFormDialog>> = lazyPart(() => import('./AccountForm.js').then((m) => m.AccountFormDialog));
export const LazySettingsDialog = lazyPart(() => import('./SettingsDialog.js').then((m) => m.SettingsDialog));
export const LazyShortcutsDialog = lazyPart(() => import('./ShortcutsDialog.js').then((m) => m.ShortcutsDialog));
export const LazySignInDialog = lazyPart(() => import('./SignInDialog.js').then((m) => m.SignInDialog));
export const LazyTimelinePane = lazyPart(() => import('./TimelinePane.js').then((m) => m.TimelinePane));
export const LazyHistoryView = lazyPart(() => import('./HistoryTable.js').then((m) => m.HistoryView));
export const LazyAccountDetails: LazyPart<ComponentProps<typeof AccountDetails>> = lazyPart(() => import('./AccountDetails.js').then((m) => m.AccountDetails));

const ALL = [LazyAccountDetails, LazyAccountFormDialog, LazyTimelinePane, LazyHistoryView, LazyShortcutsDialog, LazySettingsDialog, LazySignInDialog];

/** Fetches every lazy chunk when the page is idle (called once the list is on screen). */
export function preloadLazyParts(): void {
  const run = () => void Promise.all(ALL.map((p) => p.preload())).catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 300 });
  else setTimeout(run, 200);
}

/** True from the first time `on` is true: a dialog stays mounted once opened, so it can animate closed. */
export function useOnceShown(on: boolean): boolean {
  const [shown, setShown] = useState(on);
  if (on && !shown) setShown(true);
  return shown || on;
}

/** In a pane or tab while its chunk loads: a polite status, in the space the content takes. */
export function PartLoading() {
  return (
    <Text as="p" size="2" color="gray" role="status" className="part-loading">
      Loading…
    </Text>
  );
}

/** While a dialog's chunk loads: announced, not drawn (the dialog appears in a moment). */
export function DialogLoading() {
  return (
    <span role="status" className="sr-only">
      Loading…
    </span>
  );
}
