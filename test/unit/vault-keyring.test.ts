import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultLockedError } from '../../src/main/core/vault/errors.js';
import { KeyringWrapper, type KeyringEntry } from '../../src/main/core/vault/key-wrappers.js';
import { openVault, VAULT_FILE } from '../../src/main/core/vault/vault.js';
import { fastPassphrase, hashTree, makeTempDir, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

/** An in-memory keyring with the @napi-rs/keyring entry shape. */
function memoryKeyring() {
  const store = new Map<string, string>();
  const open = (service: string, account: string): KeyringEntry => {
    const key = `${service}/${account}`;
    return {
      getPassword: async () => store.get(key) ?? null,
      setPassword: async (p) => void store.set(key, p),
      deletePassword: async () => store.delete(key),
    };
  };
  return { store, open };
}

describe('keyring wrapper (in-memory keyring)', () => {
  it('round-trips; the keyring holds only a random KEK, never the data key', async () => {
    const keyring = memoryKeyring();
    const vault = await openVault({ dir, wrapper: new KeyringWrapper(keyring.open), create: true });
    await vault.setPassword('acc', 'refresh_token', 'rt');
    expect([...keyring.store.keys()]).toEqual([expect.stringMatching(/^TokenDesk\/vault-[0-9a-f-]{36}$/)]);
    const again = await openVault({ dir, wrapper: new KeyringWrapper(keyring.open) });
    expect(await again.getPassword('acc', 'refresh_token')).toBe('rt');
  });

  it('a missing keyring entry leaves the vault locked and the files untouched', async () => {
    const keyring = memoryKeyring();
    await openVault({ dir, wrapper: new KeyringWrapper(keyring.open), create: true });
    keyring.store.clear();
    const before = hashTree(dir);
    const error = await openVault({ dir, wrapper: new KeyringWrapper(keyring.open), create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultLockedError);
    expect((error as Error).message).toMatch(/The OS keyring has no key for this vault/);
    expect(hashTree(dir)).toEqual(before);
  });

  it('a keyring entry that belongs to another vault fails authentication', async () => {
    const keyring = memoryKeyring();
    await openVault({ dir, wrapper: new KeyringWrapper(keyring.open), create: true });
    const [key] = [...keyring.store.keys()];
    keyring.store.set(key!, Buffer.alloc(32, 9).toString('base64'));
    await expect(openVault({ dir, wrapper: new KeyringWrapper(keyring.open) })).rejects.toThrow(/does not open this vault/);
  });

  it('rewrap to a passphrase, then back, discarding the old keyring entry', async () => {
    const keyring = memoryKeyring();
    const vault = await openVault({ dir, wrapper: new KeyringWrapper(keyring.open), create: true });
    await vault.setPassword('acc', 'refresh_token', 'rt');
    await vault.rewrap(fastPassphrase());
    expect(keyring.store.size).toBe(0);
    const viaPassphrase = await openVault({ dir, wrapper: fastPassphrase() });
    await viaPassphrase.rewrap(new KeyringWrapper(keyring.open));
    expect(keyring.store.size).toBe(1);
    expect(await (await openVault({ dir, wrapper: new KeyringWrapper(keyring.open) })).getPassword('acc', 'refresh_token')).toBe('rt');
  });

  it('an unreachable keyring is reported as unavailable on create and locked on open', async () => {
    const broken = (): KeyringEntry => {
      throw new Error('DBus error: no Secret Service');
    };
    await expect(openVault({ dir, wrapper: new KeyringWrapper(broken), create: true })).rejects.toThrow(/cannot store the vault key.*Choose a passphrase/);
  });
});

const realKeyring = process.env['TOKENDESK_TEST_KEYRING'] === '1';
if (!realKeyring) {
  console.info('vault-keyring: real OS keyring tests skipped: set TOKENDESK_TEST_KEYRING=1 inside `dbus-run-session -- bash scripts/with-keyring.sh …`');
}

describe.skipIf(!realKeyring)('keyring wrapper (real Secret Service via @napi-rs/keyring)', () => {
  it('round-trips through the OS keyring and cleans up its entry', async () => {
    const wrapper = new KeyringWrapper();
    const vault = await openVault({ dir, wrapper, create: true });
    await vault.setPassword('acc', 'refresh_token', 'rt-real');
    const again = await openVault({ dir, wrapper: new KeyringWrapper() });
    expect(await again.getPassword('acc', 'refresh_token')).toBe('rt-real');
    await again.rewrap(fastPassphrase()); // discards the real keyring entry
    await expect(openVault({ dir, wrapper: new KeyringWrapper() })).rejects.toThrow(/locked with "passphrase"/);
  });

  it('a deleted keyring entry leaves the vault locked', async () => {
    const wrapper = new KeyringWrapper();
    await openVault({ dir, wrapper, create: true });
    const doc = JSON.parse(fs.readFileSync(path.join(dir, VAULT_FILE), 'utf8'));
    await wrapper.discard(doc);
    await expect(openVault({ dir, wrapper: new KeyringWrapper() })).rejects.toThrow(/The OS keyring has no key for this vault/);
  });
});
