// IPC of the small passphrase window (not part of the contract: it runs before the
// owner exists). A file of its own on purpose: the two preloads are bundled together,
// and a module both imported would become a shared chunk that a sandboxed preload
// cannot require. The smoke test checks each preload requires only 'electron'.

export const UNLOCK_CHANNELS = {
  info: 'tokendesk-unlock:info',
  submit: 'tokendesk-unlock:submit',
  cancel: 'tokendesk-unlock:cancel',
  useSystem: 'tokendesk-unlock:use-system',
} as const;

export type UnlockMode = 'unlock' | 'create' | 'set';
export interface UnlockInfo {
  mode: UnlockMode;
  /** Why the window is shown (e.g. "No OS keyring: choose a passphrase"). */
  reason?: string;
  /**
   * Offered at a first run where the system can only protect the vault weakly (Linux
   * without a keyring): the label of the button that goes on without a passphrase.
   */
  systemChoice?: string;
}
export interface UnlockSubmit {
  passphrase: string;
  /** The repeated passphrase (create / set). */
  repeat?: string;
}
export type UnlockReply = { ok: true } | { ok: false; message: string };
