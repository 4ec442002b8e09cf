// Per-account actions (refresh, pause, revoke, remove, copy) with their progress and
// results, shared by the list row, the details panel and keyboard shortcuts.
import type { CallInput } from '../../../shared/contract.js';
import { call, errorText, host } from './api.js';
import { createStore, useSelector } from './external-store.js';
import { store } from './store.js';
import { dismissToast, toast } from './toasts.js';
import { compactDuration } from '../lib/time.js';
import { errorClassWords } from '../lib/status.js';

export interface ActionResult {
  ok: boolean;
  text: string;
  at: number;
}

interface ActionState {
  refreshing: ReadonlySet<string>;
  results: ReadonlyMap<string, ActionResult>;
}

const actions = createStore<ActionState>({ refreshing: new Set(), results: new Map() });
function update(next: Partial<ActionState>): void {
  actions.set({ ...actions.get(), ...next });
}

export function useRefreshPending(id: string | undefined): boolean {
  return useSelector(actions, (state) => (id ? state.refreshing.has(id) : false));
}

export function useLastResult(id: string | undefined): ActionResult | undefined {
  return useSelector(actions, (state) => (id ? state.results.get(id) : undefined));
}

function setResult(id: string, result: ActionResult): void {
  const results = new Map(actions.get().results);
  results.set(id, result);
  update({ results });
}

/** Another action changed the account (pause, revoke, remove): the last refresh's result is old news. */
function clearResult(id: string): void {
  if (!actions.get().results.has(id)) return;
  const results = new Map(actions.get().results);
  results.delete(id);
  update({ results });
}

/** Refresh now: the button shows progress until the owner answers, then the result. */
export async function refreshNow(id: string): Promise<void> {
  if (actions.get().refreshing.has(id)) return;
  update({ refreshing: new Set(actions.get().refreshing).add(id) });
  const name = store.getSnapshot().byId.get(id)?.name ?? 'The account';
  try {
    const { outcome, account } = await call('accounts.refresh', { account: id, trigger: 'manual' });
    store.applyAccount(account);
    const e = outcome.event;
    if (outcome.ok) {
      const expiry = account.expiresAt !== undefined ? `the new token expires in ${compactDuration(account.expiresAt - Date.now())}` : 'the new token has no known expiry';
      const text = `Refreshed in ${Math.round(e.durationMs)} ms: ${expiry}${e.rotated ? '; the refresh token was rotated and saved' : ''}.`;
      setResult(id, { ok: true, text, at: Date.now() });
      toast({ tone: 'success', title: `${name} refreshed`, description: text });
    } else {
      const text = `Refresh failed${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}: ${errorClassWords(e.errorClass, e.httpStatus)}.${e.message ? ` ${e.message}` : ''}`;
      setResult(id, { ok: false, text, at: Date.now() });
      toast({ tone: 'error', title: `${name}: refresh failed`, description: text });
    }
  } catch (err) {
    const text = errorText(err);
    setResult(id, { ok: false, text, at: Date.now() });
    toast({ tone: 'error', title: `${name}: refresh failed`, description: text });
  } finally {
    const refreshing = new Set(actions.get().refreshing);
    refreshing.delete(id);
    update({ refreshing });
  }
}

export async function setPaused(id: string, paused: boolean): Promise<void> {
  try {
    const result = await call('accounts.setPaused', { account: id, paused });
    clearResult(id);
    for (const a of result.accounts) if (a.id === id) store.applyAccount(a);
  } catch (err) {
    toast({ tone: 'error', title: paused ? 'Could not pause' : 'Could not resume', description: errorText(err) });
  }
}

export async function setAllPaused(paused: boolean): Promise<void> {
  try {
    const result = await call('accounts.setPaused', { all: true, paused });
    store.setPausedAll(result.pausedAll);
    toast({ tone: 'info', title: paused ? 'Automatic refresh paused for every account' : 'Automatic refresh resumed' });
  } catch (err) {
    toast({ tone: 'error', title: 'Could not change automatic refresh', description: errorText(err) });
  }
}

export async function revoke(id: string): Promise<boolean> {
  const name = store.getSnapshot().byId.get(id)?.name ?? 'The account';
  try {
    const result = await call('accounts.revoke', { account: id });
    clearResult(id);
    store.applyAccount(result.account);
    toast({ tone: 'success', title: `${name} revoked ${result.kind === 'remote' ? 'at the server and locally' : 'locally'}`, description: result.message });
    return true;
  } catch (err) {
    toast({ tone: 'error', title: `Could not revoke ${name}`, description: errorText(err) });
    return false;
  }
}

/** How long a removal can be undone (the owner keeps the account stored meanwhile). */
export const UNDO_REMOVE_SECONDS = 10;

export async function remove(id: string): Promise<boolean> {
  const name = store.getSnapshot().byId.get(id)?.name ?? 'The account';
  try {
    const { undoUntil } = await call('accounts.remove', { account: id, undoSeconds: UNDO_REMOVE_SECONDS });
    clearResult(id);
    store.removeAccount(id);
    const toastId = toast({
      tone: 'success',
      title: `${name} removed`,
      description: `Its tokens and settings are deleted from this computer in ${UNDO_REMOVE_SECONDS} s unless you undo it.`,
      durationMs: UNDO_REMOVE_SECONDS * 1000,
      action: { label: 'Undo', altText: `Undo the removal of ${name}`, run: () => void restore(id, name) },
    });
    // The toast pauses while hovered; the owner's window does not: Undo goes when the window closes.
    if (undoUntil !== undefined) setTimeout(() => dismissToast(toastId), Math.max(0, undoUntil - Date.now()));
    return true;
  } catch (err) {
    toast({ tone: 'error', title: `Could not remove ${name}`, description: errorText(err) });
    return false;
  }
}

/** Undo of a removal, while its window is open. */
export async function restore(id: string, name: string): Promise<void> {
  try {
    store.applyAccount(await call('accounts.restore', { id }));
    toast({ tone: 'success', title: `${name} restored`, description: 'With its tokens and settings, refreshed as before.' });
  } catch (err) {
    toast({ tone: 'error', title: `Could not restore ${name}`, description: errorText(err) });
  }
}

const FORMAT_WORDS = { token: 'the access token', header: 'the Authorization header', curl: 'a curl command line' } as const;
const TOKEN_WORDS = { access: 'the access token', refresh: 'the refresh token', id: 'the ID token' } as const;

export interface CopyResult {
  ok: boolean;
  text: string;
}

/**
 * Copy: the desktop app writes the clipboard in main (and clears it later); in a
 * browser the text comes back and goes on the clipboard here. The result is for the
 * caller to show beside its buttons (a toast would cover them).
 */
export async function copyToken(input: CallInput<'accounts.copy'>, name: string): Promise<CopyResult> {
  const what = input.token && input.token !== 'access' ? TOKEN_WORDS[input.token] : FORMAT_WORDS[input.format];
  try {
    const result = await call('accounts.copy', input);
    let clearNote = '';
    if (!result.copied && result.text !== undefined) {
      const text = result.text;
      await navigator.clipboard.writeText(text);
      const seconds = store.getSnapshot().settings?.clipboardClearSeconds ?? 0;
      if (seconds > 0 && host() === 'web') {
        clearNote = ` The clipboard is cleared in ${seconds} s if it still holds it.`;
        setTimeout(() => void clearIfUnchanged(text), seconds * 1000);
      }
    } else if (result.clearAfterSeconds) {
      clearNote = ` The clipboard is cleared in ${result.clearAfterSeconds} s.`;
    }
    return { ok: true, text: `Copied ${what} of ${name}. It is a live credential: paste it only where it belongs.${clearNote}` };
  } catch (err) {
    return { ok: false, text: `Could not copy ${what} of ${name}: ${errorText(err)}` };
  }
}

/**
 * Copies text the page shows anyway (a sign-in's user code, a verification URL, a team invite
 * code to pass on), never a token: those go through copyToken. The desktop
 * app's page has no clipboard permission, so a refused write falls back to a selection
 * copied with the same gesture.
 */
export async function copyText(text: string, what: string): Promise<void> {
  try {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      if (!copyBySelection(text)) throw new Error('the clipboard refused it');
    }
    toast({ tone: 'success', title: `Copied ${what}` });
  } catch (err) {
    toast({ tone: 'error', title: `Could not copy ${what}`, description: errorText(err) });
  }
}

function copyBySelection(text: string): boolean {
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'sr-only';
  // Inside the open dialog, if any: its focus trap would take the focus back from outside.
  (document.activeElement?.closest('[role="dialog"]') ?? document.body).append(field);
  field.select();
  try {
    return document.execCommand('copy');
  } finally {
    field.remove();
  }
}

/** Clears the clipboard only if it still holds what we put there (reading may be refused: then leave it). */
async function clearIfUnchanged(text: string): Promise<void> {
  try {
    if ((await navigator.clipboard.readText()) === text) await navigator.clipboard.writeText('');
  } catch {
    // No permission to read: never wipe what the user may have copied since.
  }
}

/**
 * "Explore the demo": the owner starts a demo session beside this one. In a browser its
 * dashboard opens in a new tab — opened blank right away, inside the click, so no popup
 * blocker stops it, and pointed at the demo's URL once it is up. The desktop app starts
 * a second instance with its own window instead.
 */
export async function exploreDemo(): Promise<boolean> {
  const tab = host() === 'web' ? window.open('about:blank', '_blank') : null;
  try {
    const result = await call('demo.start', {});
    if (result.kind === 'url') {
      if (tab && !tab.closed) {
        tab.opener = null; // the demo page gets no handle on this one
        tab.location.href = result.url;
      } else {
        window.location.assign(result.url);
      }
    }
    toast({
      tone: 'info',
      title: 'The demo is starting',
      description:
        result.kind === 'url'
          ? 'It opened in a new tab: simulated providers in a separate demo data dir. Your accounts stay here.'
          : 'It opens in its own window: simulated providers in a separate demo data dir. Your accounts stay here.',
    });
    return true;
  } catch (err) {
    tab?.close();
    toast({ tone: 'error', title: 'Could not start the demo', description: errorText(err) });
    return false;
  }
}
