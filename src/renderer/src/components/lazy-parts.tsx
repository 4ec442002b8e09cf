// What the first screen (header, tabs, the account list) does not need, loaded on demand in
// chunks of their own: the dialogs, the Timeline and History tabs and the details pane (with
// the token inspector). The first screen parses less JavaScript and CSS; once the list is on
// screen, preloadLazyParts() fetches the chunks while the page is idle, so a first click or
// shortcut finds them ready. Until a chunk arrives its place shows a small "Loading…". A part
// renders only once the full stylesheet applies too (the first screen's leaves out the rules
// of components only these parts use: full-stylesheet.ts).
import { lazy, useEffect, useState, type ComponentProps, type ComponentType } from 'react';
import { Button, Callout, Text } from '@radix-ui/themes';
import { loadFullStylesheet } from './full-stylesheet.js';
import { toast } from '../state/toasts.js';
import './lazy-parts.css';
import type { AccountDetails } from './AccountDetails.js';
import type { AccountFormDialog } from './AccountForm.js';

export interface LazyPart<P extends object> {
  Component: ComponentType<P>;
  preload: () => Promise<unknown>;
}

/**
 * A part loaded on demand, named `what` in the message shown if it fails to load (the server
 * went away): in its place (`inline`: panes and tabs) or as an error toast (`toast`: dialogs,
 * which have no place on screen until they open).
 */
function lazyPart<P extends object>(what: string, shown: 'inline' | 'toast', load: () => Promise<ComponentType<P>>): LazyPart<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () => (loading ??= Promise.all([load(), loadFullStylesheet()]).then(([component]) => component));
  return {
    Component: lazy(async () => {
      try {
        return { default: await preload() };
      } catch {
        return { default: shown === 'inline' ? inlineFailure(what) : toastFailure<P>(what) };
      }
    }),
    preload,
  };
}

const failureHint = 'TokenDesk did not send its files. Reload the page to try again.';

function inlineFailure(what: string): ComponentType {
  return function PartFailed() {
    return (
      <Callout.Root color="red" size="1" role="alert" className="part-failed">
        <Callout.Text>
          {what} did not load: {failureHint}
        </Callout.Text>
        <Button size="1" variant="soft" color="red" onClick={() => location.reload()}>
          Reload
        </Button>
      </Callout.Root>
    );
  };
}

/**
 * A dialog that did not load: an error toast whenever it is asked to open — by its `open` prop,
 * its `mode` prop (the account form: undefined while closed), or, with neither, once mounted.
 */
function toastFailure<P extends object>(what: string): ComponentType<P> {
  return function DialogFailed(props: P) {
    const asked = 'open' in props ? props.open : 'mode' in props ? props.mode : true;
    useEffect(() => {
      if (asked) toast({ tone: 'error', title: `${what} did not load`, description: failureHint });
    }, [asked]);
    return null;
  };
}

export const LazyAccountFormDialog: LazyPart<ComponentProps<typeof AccountFormDialog>> = lazyPart('The account form', 'toast', () => import('./AccountForm.js').then((m) => m.AccountFormDialog));
export const LazySettingsDialog = lazyPart('Settings', 'toast', () => import('./SettingsDialog.js').then((m) => m.SettingsDialog));
export const LazyShortcutsDialog = lazyPart('Help', 'toast', () => import('./ShortcutsDialog.js').then((m) => m.ShortcutsDialog));
export const LazySignInDialog = lazyPart('Sign-in', 'toast', () => import('./SignInDialog.js').then((m) => m.SignInDialog));
export const LazyTimelinePane = lazyPart('The timeline', 'inline', () => import('./TimelinePane.js').then((m) => m.TimelinePane));
export const LazyHistoryView = lazyPart('History', 'inline', () => import('./HistoryTable.js').then((m) => m.HistoryView));
export const LazyAccountDetails: LazyPart<ComponentProps<typeof AccountDetails>> = lazyPart('The account details', 'inline', () =>
  import('./AccountDetails.js').then((m) => m.AccountDetails),
);

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
