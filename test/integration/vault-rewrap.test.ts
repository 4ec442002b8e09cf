// vault.rewrap through the contract: the same secrets, a new key wrapper.
import { afterEach, describe, expect, it } from 'vitest';
import { VaultLockedError } from '../../src/main/core/vault/errors.js';
import { PassphraseWrapper } from '../../src/main/core/vault/key-wrappers.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir } from '../helpers/temp-owner.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('vault.rewrap', () => {
  it('re-wraps with a new passphrase: the old one stops working, every secret stays', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const sim: Simulator = await startSimulator('vaultist');
    cleanups.push(() => sim.close());
    const owner = await openTestOwner(dir, { schedule: false });
    const grant = sim.issue();
    await call(owner, 'accounts.add', { providerId: 'vaultist', name: 'v', baseUrl: sim.url, values: { ...grant.settings, ...grant.secrets } });
    await expect(call(owner, 'vault.rewrap', { to: 'passphrase', passphrase: 'short' })).rejects.toMatchObject({ code: 'invalid_input' });
    const status = await call(owner, 'vault.rewrap', { to: 'passphrase', passphrase: 'a much better passphrase' });
    expect(status).toMatchObject({ kind: 'passphrase', protection: 'strong' });
    await owner.close();

    await expect(openTestOwner(dir, { schedule: false })).rejects.toBeInstanceOf(VaultLockedError);
    const reopened = await openTestOwner(dir, { schedule: false, keyWrapper: async () => new PassphraseWrapper('a much better passphrase') });
    cleanups.push(() => reopened.close());
    const token = await call(reopened, 'accounts.token', { account: 'v', minValidSeconds: 0 });
    expect(token.accessToken).toBe(grant.secrets['access_token']);
  });
});
