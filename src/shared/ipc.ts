// The Electron IPC naming of the contract (docs/ARCHITECTURE.md "Contract and transports").
// Deliberately zod-free: the sandboxed preload imports this and must stay tiny, so the
// names are listed here and the compiler proves they are exactly the contract's
// (`satisfies Record<CallName, true>` rejects a missing and an extra name alike).
import type { CallName, EventName } from './contract.js';

const CALLS = {
  'owner.status': true,
  'providers.list': true,
  'accounts.list': true,
  'accounts.get': true,
  'accounts.add': true,
  'accounts.update': true,
  'accounts.remove': true,
  'accounts.restore': true,
  'accounts.reveal': true,
  'accounts.refresh': true,
  'accounts.token': true,
  'accounts.revoke': true,
  'accounts.setPaused': true,
  'history.list': true,
  'accounts.test': true,
  'accounts.copy': true,
  'settings.get': true,
  'settings.set': true,
  'vault.status': true,
  'vault.rewrap': true,
  'demo.start': true,
  'signin.start': true,
  'signin.wait': true,
  'signin.cancel': true,
  'providers.preview': true,
  'providers.add': true,
  'providers.show': true,
  'providers.remove': true,
  'team.status': true,
  'team.create': true,
  'team.join': true,
  'team.invite': true,
  'team.share': true,
  'team.leave': true,
  'team.removeMember': true,
} as const satisfies Record<CallName, true>;

const EVENTS = {
  'account-changed': true,
  'account-removed': true,
  'refresh-started': true,
  'refresh-finished': true,
  'history-appended': true,
  'signin-changed': true,
  'providers-changed': true,
  'team-changed': true,
} as const satisfies Record<EventName, true>;

export const CALL_NAMES = Object.freeze(Object.keys(CALLS)) as readonly CallName[];
export const EVENT_NAMES = Object.freeze(Object.keys(EVENTS)) as readonly EventName[];

/** One `ipcMain.handle` channel per call. */
export const callChannel = (name: CallName): string => `tokendesk:call:${name}`;
/** One `webContents.send` channel per event. */
export const eventChannel = (name: EventName): string => `tokendesk:event:${name}`;

/**
 * What every call channel answers: an envelope, never a throw — Electron would wrap a
 * thrown error's message ("Error invoking remote method …") and drop its code.
 */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
