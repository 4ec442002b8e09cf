// The contract over Electron IPC: one `ipcMain.handle` per call, each refusing any
// sender but our dashboard's main frame, each judged by the core Router (zod input and
// output, errors mapped to {code, message}). Replies are envelopes, never throws, so
// Electron cannot rewrite the message. Events go to our window only.
import type { IpcMainInvokeEvent } from 'electron';
import { calls, type CallName, type CallOutput, type EventName } from '../../shared/contract.js';
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel, type IpcReply } from '../../shared/ipc.js';
import type { Caller } from '../core/contract.js';
import type { Router } from '../core/owner/router.js';
import { toWireError } from '../core/owner/router.js';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: unknown;
}

export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: {
    readonly id: number;
    readonly mainFrame: FrameLike;
    isDestroyed(): boolean;
    getURL(): string;
    send(channel: string, ...args: unknown[]): void;
  };
}

export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => boolean;

/**
 * Accepts a call only from the main frame of `getWindow()`'s web contents while it
 * shows one of our pages (`isOurPage(frame URL)`): not a subframe, not another window,
 * not a page it was somehow navigated to.
 */
export function senderCheck(getWindow: () => WindowLike | undefined, isOurPage: (url: string) => boolean): SenderCheck {
  return (event) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return false;
    const contents = win.webContents;
    if (!event.sender || event.sender.id !== contents.id) return false;
    const frame = event.senderFrame as FrameLike | null;
    if (!frame) return false; // navigated away or destroyed while the message was in flight
    const main = contents.mainFrame;
    if (frame.parent || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
    return isOurPage(frame.url);
  };
}

export const FOREIGN_SENDER_MESSAGE = 'Refused: TokenDesk answers only its own dashboard window';

/** Post-processing of a successful call in the desktop app (the copy goes to the clipboard, not the page). */
export type AfterHooks = { [N in CallName]?: (result: CallOutput<N>) => Promise<CallOutput<N>> | CallOutput<N> };

export interface ContractIpcOptions {
  ipcMain: IpcMainLike;
  router: Pick<Router, 'handle'>;
  isTrustedSender: SenderCheck;
  after?: AfterHooks;
  /** Told about refused senders (never the payload: it may hold secrets). */
  onRefused?: (call: CallName, url: string | undefined) => void;
}

const DASHBOARD: Caller = { actor: 'dashboard' };

/** Registers a handler for every contract call; returns a function that removes them all. */
export function registerContractIpc(options: ContractIpcOptions): () => void {
  const { ipcMain, router, isTrustedSender, after = {} } = options;
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event, ...args): Promise<IpcReply> => {
      if (!isTrustedSender(event)) {
        options.onRefused?.(name, (event.senderFrame as FrameLike | null)?.url);
        return { ok: false, error: { code: 'forbidden', message: FOREIGN_SENDER_MESSAGE } };
      }
      if (args.length > 1) return { ok: false, error: { code: 'invalid_input', message: `${name} takes one argument` } };
      const reply = await router.handle(name, args[0], DASHBOARD); // only the dashboard window gets here (senderCheck)
      const hook = after[name] as ((result: unknown) => Promise<unknown> | unknown) | undefined;
      if (!reply.ok || !hook) return reply;
      try {
        const checked = calls[name].output.safeParse(await hook(reply.result));
        if (!checked.success) return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result` } };
        return { ok: true, result: checked.data };
      } catch (err) {
        return { ok: false, error: toWireError(err) };
      }
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}

export interface EventSourceLike {
  on(event: EventName, listener: (payload: unknown) => void): unknown;
  off(event: EventName, listener: (payload: unknown) => void): unknown;
}

/** Pushes every contract event to the dashboard window (only while it shows our page). */
export function forwardEvents(source: EventSourceLike, getWindow: () => WindowLike | undefined, isOurPage: (url: string) => boolean): () => void {
  const listeners = EVENT_NAMES.map((name) => {
    const listener = (payload: unknown) => {
      const win = getWindow();
      if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
      if (!isOurPage(win.webContents.getURL())) return;
      win.webContents.send(eventChannel(name), payload);
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  return () => {
    for (const [name, listener] of listeners) source.off(name, listener);
  };
}
