import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headlessKeyWrapper } from '../../src/main/core/owner/headless-key.js';
import { VaultLockedError } from '../../src/main/core/vault/errors.js';
import { DEFAULT_SCRYPT_COST, PassphraseWrapper } from '../../src/main/core/vault/key-wrappers.js';
import { promptHidden } from '../../src/main/core/vault/prompt.js';
import { openVault, VAULT_FILE } from '../../src/main/core/vault/vault.js';
import { makeTempDir, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

describe('passphrase wrapper', () => {
  it('round-trips a vault with the default scrypt cost (N=2^15, r=8, p=1)', async () => {
    const wrapper = new PassphraseWrapper('pass phrase');
    const vault = await openVault({ dir, wrapper, create: true });
    await vault.setPassword('acc', 'refresh_token', 'rt');
    const again = await openVault({ dir, wrapper: new PassphraseWrapper('pass phrase') });
    expect(await again.getPassword('acc', 'refresh_token')).toBe('rt');
    expect(wrapper.describe()).toMatchObject({ kind: 'passphrase', protection: 'strong' });
    const wrapped = await wrapper.wrap(Buffer.alloc(32, 7));
    expect(wrapped.wrapper).toMatchObject({ kind: 'passphrase', kdf: 'scrypt', ...DEFAULT_SCRYPT_COST });
  });

  it('a wrong passphrase fails authentication: VaultLockedError, not a wrong key', async () => {
    const wrapped = await new PassphraseWrapper('right').wrap(Buffer.alloc(32, 1));
    await expect(new PassphraseWrapper('wrong').unwrap(wrapped)).rejects.toBeInstanceOf(VaultLockedError);
    expect(await new PassphraseWrapper('right').unwrap(wrapped)).toEqual(Buffer.alloc(32, 1));
  });

  it('uses a fresh salt per wrap', async () => {
    const w = new PassphraseWrapper('p', { N: 2 ** 10, r: 8, p: 1 });
    const [a, b] = await Promise.all([w.wrap(Buffer.alloc(32)), w.wrap(Buffer.alloc(32))]);
    expect(a.wrapper['salt']).not.toBe(b.wrapper['salt']);
  });

  it('normalises Unicode, so the same passphrase typed differently still opens it', async () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 };
    const wrapped = await new PassphraseWrapper('caf\u00e9', cost).wrap(Buffer.alloc(32, 2));
    expect(await new PassphraseWrapper('cafe\u0301', cost).unwrap(wrapped)).toEqual(Buffer.alloc(32, 2));
  });

  it('refuses an empty passphrase', () => {
    expect(() => new PassphraseWrapper('')).toThrow(VaultLockedError);
  });

  it('a headless owner takes TOKENDESK_PASSPHRASE, else prompts for the passphrase the vault was locked with', async () => {
    fs.writeFileSync(path.join(dir, VAULT_FILE), JSON.stringify({ wrapper: { kind: 'passphrase' } }));
    const questions: string[] = [];
    const prompt = async (question: string) => {
      questions.push(question);
      return 'typed';
    };
    const fromEnv = await headlessKeyWrapper(dir, { env: { TOKENDESK_PASSPHRASE: 'from-env' }, prompt });
    const wrapped = await fromEnv.wrap(Buffer.alloc(32));
    await expect(new PassphraseWrapper('from-env').unwrap(wrapped)).resolves.toHaveLength(32);
    expect(questions).toEqual([]);
    const typed = await headlessKeyWrapper(dir, { env: {}, prompt });
    expect(questions).toEqual(['Vault passphrase: ']);
    await expect(new PassphraseWrapper('typed').unwrap(await typed.wrap(Buffer.alloc(32)))).resolves.toHaveLength(32);
  });

});

describe('promptHidden', () => {
  function fakeTty() {
    const input = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] }) as PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(m: boolean): void };
    input.setRawMode = (m: boolean) => void input.rawModes.push(m);
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    return { input, output, shown: () => shown };
  }

  it('reads a line without echoing it, handling backspace', async () => {
    const { input, output, shown } = fakeTty();
    const answer = promptHidden('Vault passphrase: ', input as unknown as NodeJS.ReadStream, output);
    input.write('secreX\u007ft\r');
    expect(await answer).toBe('secret');
    expect(shown()).toBe('Vault passphrase: \n');
    expect(input.rawModes).toEqual([true, false]);
  });

  it('Ctrl-C cancels; no terminal is an error that says what to do', async () => {
    const { input, output } = fakeTty();
    const answer = promptHidden('? ', input as unknown as NodeJS.ReadStream, output);
    input.write('\u0003');
    await expect(answer).rejects.toThrow(/cancelled/);
    const notTty = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    await expect(promptHidden('? ', notTty, new PassThrough())).rejects.toThrow(/set TOKENDESK_PASSPHRASE/);
  });
});
