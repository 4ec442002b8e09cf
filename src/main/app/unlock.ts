// The passphrase window's main side, and which vault key the desktop app uses.
// The vault file records how it is locked (safeStorage, keyring, passphrase): that is
// the stored choice, so the app opens whatever the user chose last — including a
// vault the CLI created with the OS keyring — and asks for a passphrase only when
// the vault has one, or when the system cannot encrypt at all.
import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { UNLOCK_CHANNELS, type UnlockInfo, type UnlockMode, type UnlockReply } from '../../shared/unlock-ipc.js';
import { vaultWrapperKind } from '../core/owner/headless-key.js';
import { VaultLockedError } from '../core/vault/errors.js';
import { KeyringWrapper, type KeyWrapper } from '../core/vault/key-wrappers.js';
import type { IpcMainLike, SenderCheck } from './ipc-router.js';
import type { SafeStorageWrapper } from './safe-storage-wrapper.js';

export type KeyPlan =
  | { kind: 'wrapper'; wrapper: KeyWrapper }
  | {
      kind: 'passphrase';
      mode: Extract<UnlockMode, 'unlock' | 'create'>;
      reason: string;
      /** A first run where the system key is only weak: the user may still choose it. */
      weakSystem?: KeyWrapper;
    };

export const WEAK_SYSTEM_CHOICE = 'Continue without a passphrase';

/** Decides how to open the vault in `dataDir` without unlocking anything. */
export async function planVaultKey(dataDir: string, safeStorage: SafeStorageWrapper, makeKeyring: () => KeyWrapper = () => new KeyringWrapper()): Promise<KeyPlan> {
  const kind = await vaultWrapperKind(dataDir);
  switch (kind) {
    case undefined: {
      const described = safeStorage.describe();
      if (described.protection === 'unavailable') return { kind: 'passphrase', mode: 'create', reason: described.explanation };
      // Linux without a keyring (basic_text): ask before creating a weakly wrapped vault —
      // a warning afterwards may never be seen (GNOME without AppIndicator shows no tray).
      if (described.protection === 'weak') {
        return {
          kind: 'passphrase',
          mode: 'create',
          reason: `${described.explanation} With "${WEAK_SYSTEM_CHOICE}", anyone who can read your files can read your secrets; you can add a passphrase later from the tray or the menu.`,
          weakSystem: safeStorage,
        };
      }
      return { kind: 'wrapper', wrapper: safeStorage };
    }
    case 'safeStorage':
      return { kind: 'wrapper', wrapper: safeStorage };
    case 'keyring':
      return { kind: 'wrapper', wrapper: makeKeyring() };
    case 'passphrase':
      return { kind: 'passphrase', mode: 'unlock', reason: 'Your secrets are encrypted with your passphrase.' };
    default:
      throw new VaultLockedError(`This vault is locked with "${kind}", which this version of TokenDesk does not know.`);
  }
}

export const MIN_NEW_PASSPHRASE = 8;

const SubmitSchema = z.object({ passphrase: z.string().min(1).max(1024), repeat: z.string().max(1024).optional() }).strict();

/** Checks a submitted form; returns the passphrase or a message for the user. */
export function checkSubmission(mode: UnlockMode, raw: unknown): { ok: true; passphrase: string } | { ok: false; message: string } {
  const parsed = SubmitSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: 'Enter the passphrase.' };
  const { passphrase, repeat } = parsed.data;
  if (mode !== 'unlock') {
    if (passphrase.length < MIN_NEW_PASSPHRASE) return { ok: false, message: `Use at least ${MIN_NEW_PASSPHRASE} characters.` };
    if (passphrase !== repeat) return { ok: false, message: 'The two passphrases differ.' };
  }
  return { ok: true, passphrase };
}

export interface PassphraseWindow {
  isDestroyed(): boolean;
  close(): void;
  once(event: 'closed', listener: () => void): unknown;
}

export interface PassphraseFlowOptions {
  ipcMain: IpcMainLike;
  /** Opens the window (tokendesk://app/unlock.html with the unlock preload). */
  openWindow(): PassphraseWindow;
  /** Accepts calls only from that window's page. */
  isTrustedSender(window: PassphraseWindow): SenderCheck;
  info: UnlockInfo;
  /**
   * Tries the passphrase: {ok:false, message} keeps the window open for another go
   * (wrong passphrase); a throw closes it and rejects the flow.
   */
  attempt(passphrase: string): Promise<UnlockReply>;
  /** Offered when info.systemChoice is set: goes on without a passphrase (a throw closes the window and rejects). */
  useSystem?(): Promise<UnlockReply>;
}

let flowActive = false;

/** Shows the passphrase window until an attempt succeeds (true) or the user cancels or closes it (false). */
export function runPassphraseFlow(options: PassphraseFlowOptions): Promise<boolean> {
  if (flowActive) return Promise.resolve(false);
  flowActive = true;
  const { ipcMain } = options;
  return new Promise<boolean>((resolve, reject) => {
    let settled = false;
    const win = options.openWindow();
    const trusted = options.isTrustedSender(win);
    const finish = (result: { ok: boolean } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      flowActive = false;
      for (const channel of Object.values(UNLOCK_CHANNELS)) ipcMain.removeHandler(channel);
      if (!win.isDestroyed()) win.close();
      if ('error' in result) reject(result.error);
      else resolve(result.ok);
    };
    const refused: UnlockReply = { ok: false, message: 'Refused.' };
    ipcMain.handle(UNLOCK_CHANNELS.info, async (event: IpcMainInvokeEvent) => (trusted(event) ? options.info : undefined));
    ipcMain.handle(UNLOCK_CHANNELS.cancel, async (event: IpcMainInvokeEvent) => {
      if (trusted(event)) finish({ ok: false });
    });
    let busy = false;
    const run = async (attempt: () => Promise<UnlockReply>): Promise<UnlockReply> => {
      if (busy) return { ok: false, message: 'Still working on the last attempt.' };
      busy = true;
      try {
        const reply = await attempt();
        if (reply.ok) finish({ ok: true });
        return reply;
      } catch (error) {
        finish({ error });
        return { ok: false, message: 'TokenDesk could not open the vault.' };
      } finally {
        busy = false;
      }
    };
    ipcMain.handle(UNLOCK_CHANNELS.submit, async (event: IpcMainInvokeEvent, raw: unknown): Promise<UnlockReply> => {
      if (!trusted(event) || settled) return refused;
      const checked = checkSubmission(options.info.mode, raw);
      if (!checked.ok) return checked;
      return run(() => options.attempt(checked.passphrase));
    });
    ipcMain.handle(UNLOCK_CHANNELS.useSystem, async (event: IpcMainInvokeEvent): Promise<UnlockReply> => {
      const useSystem = options.useSystem;
      if (!trusted(event) || settled || !useSystem || !options.info.systemChoice) return refused;
      return run(() => useSystem());
    });
    win.once('closed', () => finish({ ok: false }));
  });
}
