// IPC of the small passphrase window (not part of the contract: it runs before the
// owner exists). A file of its own on purpose: the two preloads are bundled together,
// and a module both imported would become a shared chunk that a sandboxed preload
// cannot require. The smoke test checks each preload requires only 'electron'.

export const UNLOCK_CHANNELS = {
  info: 'tokendesk-unlock:info',
  submit: 'tokendesk-unlock:submit',
  cancel: 'tokendesk-unlock:cancel',
} as const;

export type UnlockMode = 'unlock' | 'create' | 'set';
export interface UnlockInfo {
  mode: UnlockMode;
  /** Why the window is shown (e.g. "No OS keyring: choose a passphrase"). */
  reason?: string;
}
export interface UnlockSubmit {
  passphrase: string;
  /** The repeated passphrase (create / set). */
  repeat?: string;
}
export type UnlockReply = { ok: true } | { ok: false; message: string };
