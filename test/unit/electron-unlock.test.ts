// The vault key in the desktop app: which wrapper opens which vault (the vault file
// records the user's choice), the passphrase window's main side with stand-ins for
// ipcMain and the window, and "use a passphrase instead" (a rewrap through the owner)
// over real files with a safeStorage stand-in on the weak basic_text backend.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNLOCK_CHANNELS } from '../../src/shared/unlock-ipc.js';
import { SafeStorageWrapper, type SafeStorageLike } from '../../src/main/app/safe-storage-wrapper.js';
import { checkSubmission, planVaultKey, runPassphraseFlow, WEAK_SYSTEM_CHOICE, type PassphraseWindow } from '../../src/main/app/unlock.js';
import type { IpcMainLike } from '../../src/main/app/ipc-router.js';
import { PassphraseWrapper, type KeyWrapper } from '../../src/main/core/vault/key-wrappers.js';
import { VaultLockedError } from '../../src/main/core/vault/errors.js';
import { openVault } from '../../src/main/core/vault/vault.js';
import { FAST_SCRYPT, call, openTestOwner, tempDir } from '../helpers/temp-owner.js';

function standInSafeStorage(backend: 'basic_text' | 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (t) => Buffer.from(`v10${Buffer.from(t).toString('base64')}`),
    decryptString: (b) => Buffer.from(b.toString().slice(3), 'base64').toString(),
  };
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('td-unlock-')));
afterEach(() => cleanup());

describe('which key opens the vault', () => {
  const fakeKeyring = { kind: 'keyring' } as KeyWrapper;

  it('a new vault uses a strong safeStorage; asks first when it is only weak (basic_text); a passphrase when it cannot encrypt at all', async () => {
    const strong = new SafeStorageWrapper(standInSafeStorage('gnome_libsecret'), 'linux');
    expect(await planVaultKey(dir, strong)).toEqual({ kind: 'wrapper', wrapper: strong });
    const weak = new SafeStorageWrapper(standInSafeStorage('basic_text'), 'linux');
    expect(await planVaultKey(dir, weak)).toEqual({ kind: 'passphrase', mode: 'create', reason: expect.stringMatching(/fixed key.*Continue without a passphrase/), weakSystem: weak });
    expect(weak.describe()).toMatchObject({ protection: 'weak', explanation: expect.stringMatching(/passphrase/) });
    const none = new SafeStorageWrapper(standInSafeStorage('basic_text', false), 'linux');
    expect(await planVaultKey(dir, none)).toMatchObject({ kind: 'passphrase', mode: 'create', reason: expect.stringMatching(/passphrase/) });
  });

  it('an existing vault opens the way it was locked: safeStorage, keyring (made by the CLI) or passphrase', async () => {
    const safe = new SafeStorageWrapper(standInSafeStorage('gnome_libsecret'), 'linux');
    (await openVault({ dir, wrapper: safe, create: true })).close();
    expect(await planVaultKey(dir, safe, () => fakeKeyring)).toEqual({ kind: 'wrapper', wrapper: safe });

    const { dir: d2, cleanup: c2 } = await tempDir('td-unlock-');
    (await openVault({ dir: d2, wrapper: new PassphraseWrapper('pw', FAST_SCRYPT), create: true })).close();
    expect(await planVaultKey(d2, safe)).toMatchObject({ kind: 'passphrase', mode: 'unlock' });
    await c2();
  });

  it('checks what the window submits', () => {
    expect(checkSubmission('unlock', { passphrase: 'x' })).toEqual({ ok: true, passphrase: 'x' });
    expect(checkSubmission('unlock', { passphrase: '' })).toMatchObject({ ok: false });
    expect(checkSubmission('unlock', { passphrase: 'x', extra: 1 })).toMatchObject({ ok: false });
    expect(checkSubmission('unlock', 'x')).toMatchObject({ ok: false });
    expect(checkSubmission('create', { passphrase: 'short', repeat: 'short' })).toEqual({ ok: false, message: 'Use at least 8 characters.' });
    expect(checkSubmission('set', { passphrase: 'long enough', repeat: 'long enougH' })).toEqual({ ok: false, message: 'The two passphrases differ.' });
    expect(checkSubmission('set', { passphrase: 'long enough', repeat: 'long enough' })).toEqual({ ok: true, passphrase: 'long enough' });
  });
});

function flowHarness() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (c, fn) => void handlers.set(c, fn as never), removeHandler: (c) => void handlers.delete(c) };
  class FakeWindow extends EventEmitter {
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    close() {
      this.destroyed = true;
      this.emit('closed');
    }
  }
  const win = new FakeWindow();
  const trusted = { ok: true };
  const ours = { from: 'unlock window' };
  const isTrustedSender = () => (event: unknown) => trusted.ok && event === ours;
  const invoke = (channel: string, ...args: unknown[]) => handlers.get(channel)!(ours, ...args);
  return { ipcMain, win: win as FakeWindow & PassphraseWindow, handlers, trusted, ours, isTrustedSender, invoke };
}

describe('passphrase window flow', () => {
  it('keeps the window open on a wrong passphrase, closes it and resolves true on the right one', async () => {
    const h = flowHarness();
    const attempt = vi.fn(async (p: string) => (p === 'right' ? { ok: true as const } : { ok: false as const, message: 'Wrong passphrase' }));
    const done = runPassphraseFlow({ ipcMain: h.ipcMain, openWindow: () => h.win, isTrustedSender: h.isTrustedSender, info: { mode: 'unlock', reason: 'r' }, attempt });
    expect(await h.invoke(UNLOCK_CHANNELS.info)).toEqual({ mode: 'unlock', reason: 'r' });
    expect(await h.invoke(UNLOCK_CHANNELS.submit, { passphrase: 'wrong' })).toEqual({ ok: false, message: 'Wrong passphrase' });
    expect(h.win.destroyed).toBe(false);
    expect(await h.invoke(UNLOCK_CHANNELS.submit, { passphrase: 'right' })).toEqual({ ok: true });
    expect(await done).toBe(true);
    expect(h.win.destroyed).toBe(true);
    expect(h.handlers.size).toBe(0);
  });

  it('refuses other senders; resolves false on cancel or when the window is closed', async () => {
    const h = flowHarness();
    const attempt = vi.fn(async () => ({ ok: true as const }));
    const done = runPassphraseFlow({ ipcMain: h.ipcMain, openWindow: () => h.win, isTrustedSender: h.isTrustedSender, info: { mode: 'unlock' }, attempt });
    expect(await h.handlers.get(UNLOCK_CHANNELS.submit)!({ from: 'elsewhere' }, { passphrase: 'x' })).toEqual({ ok: false, message: 'Refused.' });
    expect(await h.handlers.get(UNLOCK_CHANNELS.info)!({ from: 'elsewhere' })).toBeUndefined();
    expect(attempt).not.toHaveBeenCalled();
    await h.invoke(UNLOCK_CHANNELS.cancel);
    expect(await done).toBe(false);

    const h2 = flowHarness();
    const done2 = runPassphraseFlow({ ipcMain: h2.ipcMain, openWindow: () => h2.win, isTrustedSender: h2.isTrustedSender, info: { mode: 'unlock' }, attempt });
    h2.win.close();
    expect(await done2).toBe(false);
  });

  it('a failing attempt closes the window and rejects', async () => {
    const h = flowHarness();
    const done = runPassphraseFlow({
      ipcMain: h.ipcMain,
      openWindow: () => h.win,
      isTrustedSender: h.isTrustedSender,
      info: { mode: 'unlock' },
      attempt: async () => {
        throw new Error('disk full');
      },
    });
    await h.invoke(UNLOCK_CHANNELS.submit, { passphrase: 'x' });
    await expect(done).rejects.toThrow('disk full');
    expect(h.win.destroyed).toBe(true);
  });
});

describe('first run with only a weak system key', () => {
  it('the window offers "Continue without a passphrase"; choosing it goes on with the system key', async () => {
    const h = flowHarness();
    const attempt = vi.fn(async () => ({ ok: true as const }));
    const useSystem = vi.fn(async () => ({ ok: true as const }));
    const info = { mode: 'create' as const, reason: 'weak', systemChoice: WEAK_SYSTEM_CHOICE };
    const done = runPassphraseFlow({ ipcMain: h.ipcMain, openWindow: () => h.win, isTrustedSender: h.isTrustedSender, info, attempt, useSystem });
    expect(await h.invoke(UNLOCK_CHANNELS.info)).toEqual(info);
    h.trusted.ok = false;
    expect(await h.invoke(UNLOCK_CHANNELS.useSystem)).toEqual({ ok: false, message: 'Refused.' });
    h.trusted.ok = true;
    expect(await h.invoke(UNLOCK_CHANNELS.useSystem)).toEqual({ ok: true });
    expect(await done).toBe(true);
    expect(useSystem).toHaveBeenCalledTimes(1);
    expect(attempt).not.toHaveBeenCalled();
    expect(h.handlers.size).toBe(0);
  });

  it('without the offer, the channel refuses', async () => {
    const h = flowHarness();
    const useSystem = vi.fn(async () => ({ ok: true as const }));
    const done = runPassphraseFlow({ ipcMain: h.ipcMain, openWindow: () => h.win, isTrustedSender: h.isTrustedSender, info: { mode: 'create' }, attempt: async () => ({ ok: true }), useSystem });
    expect(await h.invoke(UNLOCK_CHANNELS.useSystem)).toEqual({ ok: false, message: 'Refused.' });
    expect(useSystem).not.toHaveBeenCalled();
    await h.invoke(UNLOCK_CHANNELS.cancel);
    expect(await done).toBe(false);
  });
});

describe('"use a passphrase instead"', () => {
  it('rewraps a weak safeStorage vault with a passphrase: status turns strong, secrets stay, the next start asks for it', async () => {
    const weak = new SafeStorageWrapper(standInSafeStorage('basic_text'), 'linux');
    const owner = await openTestOwner(dir, { keyWrapper: async () => weak, schedule: false }); // no timer: nothing goes to the network
    expect(await call(owner, 'vault.status')).toMatchObject({ kind: 'safeStorage', protection: 'weak' });
    await call(owner, 'accounts.add', { providerId: 'banyan', name: 'b', values: { refresh_token: 'rt-secret' }, refreshEveryMs: 3_600_000 });
    expect(await owner.rewrapVault(new PassphraseWrapper('a long passphrase', FAST_SCRYPT))).toMatchObject({ kind: 'passphrase', protection: 'strong' });
    expect(await call(owner, 'vault.status')).toMatchObject({ kind: 'passphrase', protection: 'strong' });
    await owner.close();

    expect(await planVaultKey(dir, weak)).toMatchObject({ kind: 'passphrase', mode: 'unlock' });
    await expect(openTestOwner(dir, { keyWrapper: async () => weak })).rejects.toBeInstanceOf(VaultLockedError);
    await expect(openTestOwner(dir, { keyWrapper: async () => new PassphraseWrapper('wrong one', FAST_SCRYPT) })).rejects.toBeInstanceOf(VaultLockedError);
    const again = await openTestOwner(dir, { keyWrapper: async () => new PassphraseWrapper('a long passphrase', FAST_SCRYPT), schedule: false });
    expect((await call(again, 'accounts.list')).map((a) => a.name)).toEqual(['b']);
    await again.close();
  });
});
