// A sign-in started from the dashboard ("Sign in" on an account, or saving the Add form with
// "Sign in with …"): started with signin.start, followed through the owner's signin-changed
// events, cancelled with signin.cancel. One at a time; components/SignInDialog.tsx shows it.
// signin.wait is not used: a sign-in lasts minutes, longer than the web bridge lets a call run.
import type { EventPayload, SignInInfo } from '../../../shared/contract.js';
import type { SignInMethod } from '../lib/signin.js';
import { call, CallError, errorText, host, on } from './api.js';
import { createStore, useSelector } from './external-store.js';
import { store } from './store.js';
import { toast } from './toasts.js';

type SignInChange = EventPayload<'signin-changed'>;

export interface SignInView {
  /** Which start this is: a "Try again" is a new one, and answers to an older one are dropped. */
  attempt: number;
  accountId: string;
  method: SignInMethod;
  /** credentials: asking for the user name and password (password sign-in); starting: signin.start is on its way; waiting: for the user; failed: it ended without tokens. */
  phase: 'credentials' | 'starting' | 'waiting' | 'failed';
  info?: SignInInfo;
  /** Why it failed, in the owner's words. */
  message?: string;
  /** signin.start itself was refused as a configuration error: the account's settings need a fix. */
  configError?: boolean;
}

const current = createStore<SignInView | undefined>(undefined);
let attempts = 0;
let unsubscribe: (() => void) | undefined;
/** Outcomes that arrived while signin.start was still answering, by session id. */
const early = new Map<string, SignInChange>();

export function useSignIn(): SignInView | undefined {
  return useSelector(current, (view) => view);
}

function accountName(id: string): string {
  return store.getSnapshot().byId.get(id)?.name ?? 'the account';
}

function listen(): void {
  unsubscribe ??= on('signin-changed', (change) => {
    const view = current.get();
    if (view?.info?.sessionId === change.sessionId) apply(view, change);
    else if (view?.phase === 'starting' && view.accountId === change.accountId && change.state !== 'waiting') early.set(change.sessionId, change);
  });
}

function apply(view: SignInView, change: SignInChange): void {
  switch (change.state) {
    case 'waiting':
      return;
    case 'done':
      current.set(undefined);
      toast({ tone: 'success', title: `Signed in to ${accountName(view.accountId)}`, description: 'TokenDesk keeps its token alive from now on.' });
      return;
    case 'cancelled':
      // Ours are dropped before the owner confirms them: this one ended elsewhere (a newer
      // sign-in of the same account from the CLI or another window replaced it).
      current.set(undefined);
      toast({ tone: 'info', title: `The sign-in to ${accountName(view.accountId)} was cancelled`, description: change.message });
      return;
    case 'failed':
      current.set({ ...view, phase: 'failed', message: change.message ?? 'The sign-in did not complete.' });
      return;
  }
}

/**
 * In a browser the dashboard opens the sign-in page itself, in a new tab: opened blank
 * right away, inside the click, so no pop-up blocker stops it, and pointed at the page
 * once the owner has built its URL. The desktop app's main process opens the system
 * browser instead (the page never opens inside TokenDesk).
 */
export function openBlankTab(): Window | null {
  return host() === 'web' ? window.open('about:blank', '_blank') : null;
}

function openInTab(tab: Window | null, url: string): void {
  if (tab && !tab.closed) {
    tab.opener = null; // the provider's page gets no handle on the dashboard
    tab.location.href = url;
  } else {
    window.open(url, '_blank', 'noopener,noreferrer');
  }
}

/**
 * Starts signing in to an account. Call it from the click (or key press) itself: in a
 * browser it opens the tab for the browser sign-in at once. `tab`: one opened earlier in
 * the same gesture (the Add form opens it before saving).
 */
export function startSignIn(accountId: string, method: SignInMethod, tab: Window | null = method === 'browser' ? openBlankTab() : null): void {
  listen();
  const previous = current.get();
  if (previous?.phase === 'waiting' && previous.info && previous.accountId !== accountId) {
    void call('signin.cancel', { sessionId: previous.info.sessionId }).catch(() => undefined);
  }
  // A password sign-in first asks for the credentials (submitPasswordSignIn sends them).
  if (method === 'password') {
    early.clear();
    current.set({ attempt: ++attempts, accountId, method, phase: 'credentials' });
    return;
  }
  begin(accountId, method, tab);
}

/** Sends the user name and password for the one sign-in request; they are kept nowhere in the page. */
export function submitPasswordSignIn(username: string, password: string): void {
  const view = current.get();
  if (view?.phase !== 'credentials') return;
  begin(view.accountId, 'password', null, { username, password });
}

function begin(accountId: string, method: SignInMethod, tab: Window | null, credentials?: { username: string; password: string }): void {
  const attempt = ++attempts;
  early.clear();
  current.set({ attempt, accountId, method, phase: 'starting' });
  void (async () => {
    try {
      const info = await call('signin.start', { account: accountId, method, ...(credentials ? { credentials } : {}) });
      if (current.get()?.attempt !== attempt) {
        // Cancelled (or replaced) while it was starting.
        tab?.close();
        void call('signin.cancel', { sessionId: info.sessionId }).catch(() => undefined);
        return;
      }
      if (info.method === 'browser' && host() === 'web') openInTab(tab, info.url);
      const view: SignInView = { attempt, accountId, method, phase: 'waiting', info };
      current.set(view);
      const outcome = early.get(info.sessionId);
      early.clear();
      if (outcome) apply(view, outcome);
    } catch (err) {
      tab?.close();
      if (current.get()?.attempt !== attempt) return;
      current.set({ attempt, accountId, method, phase: 'failed', message: errorText(err), configError: err instanceof CallError && err.code === 'config_error' });
    }
  })();
}

/** "Open the page again": the same page in a browser; in the desktop app a fresh sign-in, whose page main opens. */
export function reopenSignInPage(): void {
  const view = current.get();
  if (view?.info?.method !== 'browser') return;
  if (host() === 'web') window.open(view.info.url, '_blank', 'noopener,noreferrer');
  else startSignIn(view.accountId, 'browser');
}

export function retrySignIn(): void {
  const view = current.get();
  if (view) startSignIn(view.accountId, view.method);
}

/** Cancel (or Esc): the dialog closes at once; the owner stops waiting and frees the redirect port. */
export function cancelSignIn(): void {
  const view = current.get();
  current.set(undefined);
  early.clear();
  if (view?.phase === 'waiting' && view.info) void call('signin.cancel', { sessionId: view.info.sessionId }).catch(() => undefined);
}

/**
 * The time ran out and the owner said nothing (its event lost with a dropped connection):
 * say so rather than wait forever.
 */
export function signInOverdue(attempt: number): void {
  const view = current.get();
  if (view?.attempt !== attempt || view.phase !== 'waiting') return;
  current.set({ ...view, phase: 'failed', message: 'The sign-in timed out: no answer came back before the time ran out.' });
}
