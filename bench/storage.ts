// Storage figures: node --import tsx bench/storage.ts [dir]
// Prints the cost of durable writes (each one fsyncs a file and its directory) and of
// unlocking the vault. Runs in a temp dir on the same filesystem as the data dir would be
// unless a dir is given.
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAccountStore } from '../src/main/core/storage/account-store.js';
import { HistoryLog } from '../src/main/core/storage/history-log.js';
import { KeyringWrapper, PassphraseWrapper } from '../src/main/core/vault/key-wrappers.js';
import { openVault } from '../src/main/core/vault/vault.js';

const N = 1000;
const root = await fsp.mkdtemp(path.join(process.argv[2] ?? os.tmpdir(), 'tokendesk-bench-'));

async function time(label: string, count: number, fn: (i: number) => Promise<unknown> | unknown): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  const ms = performance.now() - started;
  console.log(`${label.padEnd(44)} ${count} × → ${ms.toFixed(0).padStart(6)} ms total, ${(ms / count).toFixed(2)} ms each`);
}

try {
  const wrapper = new PassphraseWrapper('bench passphrase');
  const vault = await openVault({ dir: root, wrapper, create: true });
  for (let i = 0; i < 20; i++) await vault.setMany(`account-${i}`, { refresh_token: 'r'.repeat(40), access_token: 'a'.repeat(900) });
  await time('vault.setPassword (atomic, 20 accounts)', N, (i) => vault.setPassword('account-0', 'refresh_token', `rt-${i}`));
  await time('vault.setMany refresh+access (one write)', N, (i) => vault.setMany('account-1', { refresh_token: `rt-${i}`, access_token: `at-${i}` }));
  await time('vault.getPassword (decrypt)', N, () => vault.getPassword('account-1', 'access_token'));
  await time('openVault, passphrase, scrypt N=2^15 r=8', 5, () => openVault({ dir: root, wrapper: new PassphraseWrapper('bench passphrase') }));

  if (process.env['TOKENDESK_TEST_KEYRING'] === '1') {
    const keyringDir = await fsp.mkdtemp(path.join(root, 'keyring-'));
    const keyed = await openVault({ dir: keyringDir, wrapper: new KeyringWrapper(), create: true });
    await time('openVault, OS keyring (Secret Service)', 20, () => openVault({ dir: keyringDir, wrapper: new KeyringWrapper() }));
    await keyed.rewrap(new PassphraseWrapper('x', { N: 2 ** 10, r: 8, p: 1 })); // removes the keyring entry
  } else {
    console.log('openVault, OS keyring: skipped (run inside scripts/with-keyring.sh with TOKENDESK_TEST_KEYRING=1)');
  }

  const store = await openAccountStore({ dir: root });
  const account = store.create({ name: 'bench', providerId: 'ups' });
  for (let i = 0; i < 19; i++) store.create({ name: `bench-${i}`, providerId: 'ups' });
  await time('accounts.update (durable, 20 accounts)', N, (i) => store.update(account.id, { expiresAt: i }));
  await time('accounts.list (cached since open)', N, () => store.list());

  const history = await HistoryLog.open({ dir: root });
  await time('history.append (fsync per event)', N, (i) =>
    history.append({ id: `ev-${i}`, accountId: account.id, at: Date.now(), trigger: 'scheduled', outcome: 'ok', durationMs: 100 }),
  );
} finally {
  await fsp.rm(root, { recursive: true, force: true });
}
