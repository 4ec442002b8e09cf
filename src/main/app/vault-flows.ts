// The desktop app's vault key: open the data dir with the key the vault records (asking for
// the passphrase in the unlock window when it has one, or at a first run where the system
// key is only weak), and change it to a passphrase later. The demo opens its own data dir.
import { spawn } from 'node:child_process';
import type { BrowserWindow, IpcMain } from 'electron';
import { startDemo, type Demo } from '../core/demo.js';
import { Owner } from '../core/owner/owner.js';
import { VaultLockedError } from '../core/vault/errors.js';
import { PassphraseWrapper, type KeyWrapper } from '../core/vault/key-wrappers.js';
import type { IpcMainLike, SenderCheck } from './ipc-router.js';
import type { SafeStorageWrapper } from './safe-storage-wrapper.js';
import { planVaultKey, runPassphraseFlow, WEAK_SYSTEM_CHOICE, type PassphraseFlowOptions } from './unlock.js';

export interface VaultFlowDeps {
  ipcMain: IpcMain | IpcMainLike;
  safeStorage: SafeStorageWrapper;
  openUnlock(): { window: BrowserWindow; isTrustedSender: SenderCheck };
}

/** What the passphrase flow needs of the window it opens. */
function flowWindow(deps: VaultFlowDeps): Pick<PassphraseFlowOptions, 'ipcMain' | 'openWindow' | 'isTrustedSender'> {
  const checks = new WeakMap<object, SenderCheck>();
  return {
    ipcMain: deps.ipcMain as IpcMainLike,
    openWindow: () => {
      const { window, isTrustedSender } = deps.openUnlock();
      checks.set(window, isTrustedSender);
      return window;
    },
    isTrustedSender: (win) => checks.get(win) ?? (() => false),
  };
}

/**
 * "Explore the demo" in the app: a second instance of this app with `--demo` (its own
 * userData, so its own single-instance lock, demo data dir and window) — this one keeps
 * running with the user's accounts. The same executable and arguments that started us
 * (`electron <app dir>` in development, the packaged binary alone otherwise).
 */
export function launchDemoInstance(argv: readonly string[]): void {
  const args = [...process.execArgv, ...argv.slice(1).filter((a) => a !== '--hidden' && a !== '--demo'), '--demo'];
  spawn(process.execPath, args, { detached: true, stdio: 'ignore', env: process.env }).unref();
}

export interface OpenOptions extends VaultFlowDeps {
  dataDir: string;
  realDataDir: string;
  demoMode: boolean;
  argv: readonly string[];
}

/** Opens the data dir (or the demo). undefined: the user cancelled the passphrase window. */
export async function openDesktopOwner(o: OpenOptions): Promise<{ owner: Owner; demo?: Demo } | undefined> {
  if (o.demoMode) {
    const demo = await startDemo({ dataDir: o.dataDir, realDataDir: o.realDataDir, actor: 'app' });
    return { owner: demo.owner, demo };
  }
  const open = (wrapper: KeyWrapper) =>
    Owner.open({
      dataDir: o.dataDir,
      keyWrapper: async () => wrapper,
      schedule: true,
      actor: 'app',
      lockWaitMs: 5_000,
      systemKeyWrapper: async () => o.safeStorage,
      startDemo: async () => {
        launchDemoInstance(o.argv);
        return { kind: 'app' };
      },
    });
  const plan = await planVaultKey(o.dataDir, o.safeStorage);
  if (plan.kind === 'wrapper') return { owner: await open(plan.wrapper) };
  let opened: Owner | undefined;
  const { weakSystem } = plan;
  const ok = await runPassphraseFlow({
    ...flowWindow(o),
    info: { mode: plan.mode, reason: plan.reason, ...(weakSystem ? { systemChoice: WEAK_SYSTEM_CHOICE } : {}) },
    attempt: async (passphrase) => {
      try {
        opened = await open(new PassphraseWrapper(passphrase));
        return { ok: true };
      } catch (err) {
        if (err instanceof VaultLockedError) return { ok: false, message: err.message };
        throw err;
      }
    },
    ...(weakSystem
      ? {
          useSystem: async () => {
            opened = await open(weakSystem);
            return { ok: true };
          },
        }
      : {}),
  });
  return ok && opened ? { owner: opened } : undefined;
}

/** "Use a passphrase instead" (weak safeStorage), or a new passphrase: re-wraps the vault key. Resolves whether it changed. */
export function changeToPassphrase(deps: VaultFlowDeps & { owner: Owner; protection?: 'strong' | 'weak' | 'unavailable' }): Promise<boolean> {
  const suffix = 'TokenDesk will ask for this passphrase each time it starts.';
  return runPassphraseFlow({
    ...flowWindow(deps),
    info: { mode: 'set', reason: deps.protection === 'strong' ? suffix : `${deps.safeStorage.describe().explanation} ${suffix}` },
    attempt: async (passphrase) => {
      await deps.owner.rewrapVault(new PassphraseWrapper(passphrase));
      return { ok: true };
    },
  });
}
