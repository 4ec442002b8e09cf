import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageWrapper, type SafeStorageLike } from '../../src/main/app/safe-storage-wrapper.js';
import { KeyWrapperUnavailableError, VaultLockedError } from '../../src/main/core/vault/errors.js';
import { openVault, VAULT_FILE } from '../../src/main/core/vault/vault.js';
import { flipBase64, hashTree, makeTempDir, removeDir } from '../fixtures/storage-helpers.js';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Stands in for Electron's safeStorage: AES-128-CBC like Chromium's OSCrypt (no
 * integrity, so a damaged blob may "decrypt" to garbage), and a log of every call.
 */
function fakeSafeStorage(backend: ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>>, available = true) {
  const key = createHash('sha256').update(backend).digest().subarray(0, 16);
  const iv = Buffer.alloc(16, 0x20);
  const calls: string[] = [];
  const api: SafeStorageLike = {
    isEncryptionAvailable: () => (calls.push('isEncryptionAvailable'), available),
    getSelectedStorageBackend: () => (calls.push('getSelectedStorageBackend'), backend),
    encryptString: (text) => {
      calls.push('encryptString');
      const c = createCipheriv('aes-128-cbc', key, iv);
      return Buffer.concat([Buffer.from('v11'), c.update(text, 'utf8'), c.final()]);
    },
    decryptString: (blob) => {
      calls.push('decryptString');
      const d = createDecipheriv('aes-128-cbc', key, iv);
      return Buffer.concat([d.update(blob.subarray(3)), d.final()]).toString('utf8');
    },
  };
  return { api, calls };
}

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

describe('safeStorage wrapper', () => {
  it.each(['gnome_libsecret', 'basic_text'] as const)('round-trips a vault with backend %s', async (backend) => {
    const fake = fakeSafeStorage(backend);
    const vault = await openVault({ dir, wrapper: new SafeStorageWrapper(fake.api, 'linux'), create: true });
    await vault.setPassword('acc', 'refresh_token', 'rt');
    const again = await openVault({ dir, wrapper: new SafeStorageWrapper(fake.api, 'linux') });
    expect(await again.getPassword('acc', 'refresh_token')).toBe('rt');
    expect(fake.calls.filter((c) => c.endsWith('String'))).toEqual(['encryptString', 'decryptString']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, VAULT_FILE), 'utf8')).wrapper).toEqual({ kind: 'safeStorage', backend });
  });

  it('says plainly that basic_text protects nothing, and that a keyring backend does', () => {
    expect(new SafeStorageWrapper(fakeSafeStorage('basic_text').api, 'linux').describe()).toEqual({
      kind: 'safeStorage',
      protection: 'weak',
      explanation: 'No OS keyring was found, so Electron encrypts with a fixed key anyone can read — choose a passphrase instead.',
    });
    expect(new SafeStorageWrapper(fakeSafeStorage('gnome_libsecret').api, 'linux').describe().protection).toBe('strong');
    // The backend question is Linux-only: Keychain and DPAPI are real.
    const mac = fakeSafeStorage('basic_text');
    expect(new SafeStorageWrapper(mac.api, 'darwin').describe().protection).toBe('strong');
    expect(mac.calls).not.toContain('getSelectedStorageBackend');
  });

  it('unavailable encryption: described as such, refuses to wrap, locked on open', async () => {
    const good = fakeSafeStorage('gnome_libsecret');
    await openVault({ dir, wrapper: new SafeStorageWrapper(good.api, 'linux'), create: true });
    const off = fakeSafeStorage('gnome_libsecret', false);
    const wrapper = new SafeStorageWrapper(off.api, 'linux');
    expect(wrapper.describe().protection).toBe('unavailable');
    await expect(wrapper.wrap(Buffer.alloc(32))).rejects.toBeInstanceOf(KeyWrapperUnavailableError);
    await expect(openVault({ dir, wrapper })).rejects.toBeInstanceOf(VaultLockedError);
    expect(off.calls).not.toContain('decryptString');
  });

  it('a damaged or foreign blob locks the vault (the key check catches garbage keys), files untouched', async () => {
    await openVault({ dir, wrapper: new SafeStorageWrapper(fakeSafeStorage('gnome_libsecret').api, 'linux'), create: true });
    const before = hashTree(dir);
    // Another machine's keychain: decrypts to garbage or throws; either way locked.
    await expect(openVault({ dir, wrapper: new SafeStorageWrapper(fakeSafeStorage('kwallet5').api, 'linux') })).rejects.toBeInstanceOf(VaultLockedError);
    expect(hashTree(dir)).toEqual(before);
    const file = path.join(dir, VAULT_FILE);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const byte of [3, 10, 20, 40]) {
      fs.writeFileSync(file, JSON.stringify({ ...doc, wrappedKey: flipBase64(doc.wrappedKey, byte) }));
      await expect(openVault({ dir, wrapper: new SafeStorageWrapper(fakeSafeStorage('gnome_libsecret').api, 'linux') })).rejects.toBeInstanceOf(VaultLockedError);
    }
  });
});

describe('safeStorage wrapper with Electron 45’s async API', () => {
  /** The same stand-in plus the async methods; the sync ones are logged so their use shows. */
  function withAsync(backend: Parameters<typeof fakeSafeStorage>[0], available = true) {
    const fake = fakeSafeStorage(backend, available);
    const api: SafeStorageLike = {
      ...fake.api,
      isAsyncEncryptionAvailable: async () => (fake.calls.push('isAsyncEncryptionAvailable'), available),
      encryptStringAsync: async (text) => {
        const blob = fake.api.encryptString(text);
        fake.calls.push('async');
        return blob;
      },
      decryptStringAsync: async (blob) => {
        const result = fake.api.decryptString(blob);
        fake.calls.push('async');
        return { shouldReEncrypt: false, result };
      },
    };
    return { api, calls: fake.calls };
  }

  it('wraps and unwraps through the async methods, never the deprecated sync ones alone', async () => {
    const fake = withAsync('gnome_libsecret');
    await openVault({ dir, wrapper: new SafeStorageWrapper(fake.api, 'linux'), create: true });
    await openVault({ dir, wrapper: new SafeStorageWrapper(fake.api, 'linux') });
    const sequence = fake.calls.filter((c) => c !== 'getSelectedStorageBackend' && c !== 'isEncryptionAvailable');
    expect(sequence).toEqual(['isAsyncEncryptionAvailable', 'encryptString', 'async', 'isAsyncEncryptionAvailable', 'decryptString', 'async']);
  });

  it('a vault wrapped with the sync API opens with the async one', async () => {
    await openVault({ dir, wrapper: new SafeStorageWrapper(fakeSafeStorage('gnome_libsecret').api, 'linux'), create: true });
    const fake = withAsync('gnome_libsecret');
    await expect(openVault({ dir, wrapper: new SafeStorageWrapper(fake.api, 'linux') })).resolves.toBeDefined();
    expect(fake.calls).toContain('isAsyncEncryptionAvailable');
  });

  it('async encryption unavailable: refuses to wrap and stays locked', async () => {
    await expect(openVault({ dir, wrapper: new SafeStorageWrapper(withAsync('gnome_libsecret', false).api, 'linux'), create: true })).rejects.toBeInstanceOf(KeyWrapperUnavailableError);
  });
});
