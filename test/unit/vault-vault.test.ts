import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultCorruptError, VaultLockedError, VaultNotFoundError } from '../../src/main/core/vault/errors.js';
import { openVault, VAULT_FILE, VAULT_JOURNAL_FILE, type Vault } from '../../src/main/core/vault/vault.js';
import { fastPassphrase, flipBase64, hashTree, makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, VAULT_FILE);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(dir);
});

const SECRET = 'rt-9f8e7d6c5b4a-very-secret';
const create = () => openVault({ dir, wrapper: fastPassphrase(), create: true });
const reopen = () => openVault({ dir, wrapper: fastPassphrase() });
type Doc = { wrappedKey: string; keyCheck: Record<string, string>; entries: Record<string, Record<string, Record<string, string>>>; wrapper: Record<string, unknown> };
const readDoc = (): Doc => JSON.parse(fs.readFileSync(file, 'utf8'));
const journalLines = (): string[] => fs.readFileSync(path.join(dir, VAULT_JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);
const writeDoc = (doc: Doc) => fs.writeFileSync(file, JSON.stringify(doc));

describe('vault', () => {
  it('round-trips through a reopen with the keytar-shaped API', async () => {
    const vault = await create();
    await vault.setPassword('acc-1', 'refresh_token', SECRET);
    await vault.setMany('acc-1', { access_token: 'at-1', client_secret: 'cs-1' });
    await vault.setPassword('acc-2', 'refresh_token', 'rt-2');
    const again = await reopen();
    expect(again.id).toBe(vault.id);
    expect(await again.getPassword('acc-1', 'refresh_token')).toBe(SECRET);
    expect(await again.getPassword('acc-1', 'nope')).toBeNull();
    expect(await again.getPassword('nope', 'refresh_token')).toBeNull();
    expect(await again.findCredentials('acc-1')).toEqual([
      { account: 'refresh_token', password: SECRET },
      { account: 'access_token', password: 'at-1' },
      { account: 'client_secret', password: 'cs-1' },
    ]);
    expect(await again.deletePassword('acc-1', 'client_secret')).toBe(true);
    expect(await again.deletePassword('acc-1', 'client_secret')).toBe(false);
    expect(await again.deleteService('acc-2')).toBe(true);
    expect(await again.deleteService('acc-2')).toBe(false);
    expect((await reopen()).services()).toEqual(['acc-1']);
    expect(mode(file)).toBe(0o600);
  });

  it('setMany writes all its fields in one durable journal append', async () => {
    const vault = await create();
    const before = journalLines().length;
    const syncs = vi.spyOn(fs, 'fsyncSync');
    await vault.setMany('acc-1', { refresh_token: 'rt-new', access_token: 'at-new' });
    const lines = journalLines();
    expect(lines.length).toBe(before + 1);
    expect(Object.keys(JSON.parse(lines.at(-1)!).set['acc-1'])).toEqual(['refresh_token', 'access_token']);
    expect(syncs).not.toHaveBeenCalled(); // async fsync, no blocking sync call
    expect(await (await reopen()).getPassword('acc-1', 'access_token')).toBe('at-new');
  });

  it('folds the journal into vault.json when it outgrows it, keeping every value', async () => {
    const vault = await create();
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 80; i++) await vault.setPassword(`acc-${i % 7}`, 'refresh_token', `${big}-${i}`);
    // 80 appends of ~27 KB each would be > 2 MiB: at least one compaction happened.
    expect(fs.statSync(path.join(dir, VAULT_JOURNAL_FILE)).size).toBeLessThan(1.5 * 1024 * 1024);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).generation).toBeGreaterThan(1);
    const again = await reopen();
    for (let i = 73; i < 80; i++) expect(await again.getPassword(`acc-${i % 7}`, 'refresh_token')).toBe(`${big}-${i}`);
  });

  it('a torn last journal line (a crash mid-append) is dropped; everything before it is kept', async () => {
    const vault = await create();
    await vault.setPassword('acc', 'refresh_token', 'first');
    await vault.setPassword('acc', 'access_token', 'second');
    const journal = path.join(dir, VAULT_JOURNAL_FILE);
    fs.appendFileSync(journal, '{"set":{"acc":{"refresh_token":{"iv":"AAAA');
    const again = await reopen();
    expect(await again.getPassword('acc', 'refresh_token')).toBe('first');
    expect(await again.getPassword('acc', 'access_token')).toBe('second');
    expect(again.quarantined).toEqual([]);
    // The fragment is gone before anything is appended: a later change is not glued onto it.
    await again.setPassword('acc', 'refresh_token', 'third');
    const third = await reopen();
    expect(await third.getPassword('acc', 'refresh_token')).toBe('third');
    expect(third.quarantined).toEqual([]);
  });

  it('opening keeps a whole journal and appends to it: vault.json is not rewritten at every start', async () => {
    const vault = await create();
    await vault.setPassword('acc', 'refresh_token', 'one');
    const base = fs.readFileSync(file, 'utf8');
    const baseMtime = fs.statSync(file).mtimeMs;
    const again = await reopen();
    await again.setPassword('acc', 'access_token', 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe(base);
    expect(fs.statSync(file).mtimeMs).toBe(baseMtime);
    expect(journalLines()).toHaveLength(3); // header + two changes
    const third = await reopen();
    expect(await third.getPassword('acc', 'refresh_token')).toBe('one');
    expect(await third.getPassword('acc', 'access_token')).toBe('two');
    // compact() folds it in on demand.
    await third.compact();
    expect(journalLines()).toHaveLength(1);
    expect(await (await reopen()).getPassword('acc', 'access_token')).toBe('two');
  });

  it('a damaged journal line before the end is quarantined and reported; earlier changes are kept', async () => {
    const vault = await create();
    await vault.setPassword('acc', 'refresh_token', 'kept');
    await vault.setPassword('acc', 'refresh_token', 'lost');
    const journal = path.join(dir, VAULT_JOURNAL_FILE);
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[2] = '{"set": damaged';
    fs.writeFileSync(journal, lines.join('\n'));
    const again = await reopen();
    expect(await again.getPassword('acc', 'refresh_token')).toBe('kept');
    expect(again.quarantined[0]?.reason).toMatch(/line 3 of vault.journal is damaged/);
    const movedTo = again.quarantined[0]?.movedTo;
    expect(movedTo).toBeTruthy();
    expect(fs.existsSync(movedTo!)).toBe(true);
  });

  it('replaceService leaves exactly the given fields, in one write', async () => {
    const vault = await create();
    await vault.setMany('acc', { refresh_token: 'rt', access_token: 'at', client_secret: 'cs' });
    const before = journalLines().length;
    await vault.replaceService('acc', { refresh_token: 'rt2', client_secret: 'cs' });
    expect(journalLines().length).toBe(before + 1);
    expect(await (await reopen()).findCredentials('acc')).toEqual([
      { account: 'refresh_token', password: 'rt2' },
      { account: 'client_secret', password: 'cs' },
    ]);
    await vault.replaceService('acc', {});
    expect(vault.services()).toEqual([]);
  });

  it('serialises concurrent writes: none is lost', async () => {
    const vault = await create();
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.setPassword('acc', `f${i}`, `v${i}`)));
    expect((await (await reopen()).findCredentials('acc')).length).toBe(20);
  });

  it('a failed write surfaces, and memory keeps the last saved value', async () => {
    const vault = await create();
    await vault.setPassword('acc', 'refresh_token', 'old');
    const journal = path.join(dir, VAULT_JOURNAL_FILE);
    fs.rmSync(journal);
    fs.mkdirSync(journal); // appending to a directory fails, even for root
    await expect(vault.setPassword('acc', 'refresh_token', 'new')).rejects.toThrow();
    expect(await vault.getPassword('acc', 'refresh_token')).toBe('old');
  });

  it('rejects names that would make associated data ambiguous', async () => {
    const vault = await create();
    await expect(vault.setPassword('a\u0000b', 'c', 'x')).rejects.toThrow(/Invalid vault service name/);
    await expect(vault.setPassword('a', '', 'x')).rejects.toThrow(/Invalid vault field name/);
  });

  it('a closed vault is locked', async () => {
    const vault = await create();
    await vault.setPassword('acc', 'f', 'v');
    vault.close();
    await expect(vault.getPassword('acc', 'f')).rejects.toBeInstanceOf(VaultLockedError);
    await expect(vault.setPassword('acc', 'f', 'w')).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('rewrap changes the wrapper atomically; the old passphrase stops working', async () => {
    const vault = await create();
    await vault.setPassword('acc', 'refresh_token', SECRET);
    await vault.rewrap(fastPassphrase('a new passphrase'));
    await expect(reopen()).rejects.toBeInstanceOf(VaultLockedError);
    const again = await openVault({ dir, wrapper: fastPassphrase('a new passphrase') });
    expect(await again.getPassword('acc', 'refresh_token')).toBe(SECRET);
    expect(again.id).toBe(vault.id);
  });

  it('does not create when asked not to', async () => {
    await expect(reopen()).rejects.toBeInstanceOf(VaultNotFoundError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('vault tampering and damage', () => {
  let vault: Vault;
  beforeEach(async () => {
    vault = await create();
    await vault.setMany('acc-1', { refresh_token: SECRET, access_token: 'at-1' });
    await vault.setPassword('acc-2', 'refresh_token', 'rt-2');
    await vault.compact(); // the entries into vault.json, where these tests tamper
    vault = await reopen();
  });

  it.each(['iv', 'ct', 'tag'] as const)('a flipped bit in an entry %s fails authentication, never garbage', async (part) => {
    for (const byte of [0, 5, 11]) {
      const doc = readDoc();
      const entry = doc.entries['acc-1']!['refresh_token']!;
      entry[part] = flipBase64(entry[part]!, byte);
      writeDoc(doc);
      const again = await reopen();
      const error = await again.getPassword('acc-1', 'refresh_token').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultCorruptError);
      expect((error as Error).message).toMatch(/"refresh_token" of account acc-1 failed authentication/);
      expect((error as Error).message).not.toContain(SECRET);
      expect(await again.getPassword('acc-1', 'access_token')).toBe('at-1'); // the others stay readable
      entry[part] = flipBase64(entry[part]!, byte); // flip back
      writeDoc(doc);
    }
  });

  it('a truncated tag is refused (no weakened authentication)', async () => {
    const doc = readDoc();
    const entry = doc.entries['acc-1']!['refresh_token']!;
    entry['tag'] = Buffer.from(entry['tag']!, 'base64').subarray(0, 4).toString('base64');
    writeDoc(doc);
    await expect((await reopen()).getPassword('acc-1', 'refresh_token')).rejects.toBeInstanceOf(VaultCorruptError);
  });

  it('a value moved to another slot fails (associated data binds account and field)', async () => {
    const doc = readDoc();
    doc.entries['acc-2']!['refresh_token'] = doc.entries['acc-1']!['refresh_token']!;
    doc.entries['acc-1']!['access_token'] = doc.entries['acc-1']!['refresh_token']!;
    writeDoc(doc);
    const again = await reopen();
    await expect(again.getPassword('acc-2', 'refresh_token')).rejects.toBeInstanceOf(VaultCorruptError);
    await expect(again.getPassword('acc-1', 'access_token')).rejects.toBeInstanceOf(VaultCorruptError);
  });

  it('a flipped bit anywhere in the wrapped key or key check locks the vault, writing nothing', async () => {
    const size = Buffer.from(readDoc().wrappedKey, 'base64').length;
    for (let byte = 0; byte < size; byte += 7) {
      const doc = readDoc();
      doc.wrappedKey = flipBase64(doc.wrappedKey, byte);
      writeDoc(doc);
      const before = hashTree(dir);
      await expect(reopen()).rejects.toBeInstanceOf(VaultLockedError);
      expect(hashTree(dir)).toEqual(before);
      doc.wrappedKey = flipBase64(doc.wrappedKey, byte);
      writeDoc(doc);
    }
    const doc = readDoc();
    doc.keyCheck['ct'] = flipBase64(doc.keyCheck['ct']!);
    writeDoc(doc);
    await expect(reopen()).rejects.toThrow(/does not open this vault/);
  });

  it('tampered passphrase parameters lock the vault (and cannot demand huge memory)', async () => {
    const doc = readDoc();
    doc.wrapper['N'] = 2 ** 30;
    writeDoc(doc);
    await expect(reopen()).rejects.toThrow(/passphrase settings are damaged/);
    doc.wrapper['N'] = 2 ** 11;
    writeDoc(doc);
    await expect(reopen()).rejects.toThrow(/Wrong passphrase/);
  });

  it('a wrong passphrase leaves it locked and every file byte-identical', async () => {
    const before = hashTree(dir);
    const error = await openVault({ dir, wrapper: fastPassphrase('wrong passphrase'), create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultLockedError);
    expect((error as Error).message).toMatch(/^Wrong passphrase: the vault stays locked/);
    expect((error as Error).message).not.toContain('wrong passphrase');
    expect(hashTree(dir)).toEqual(before);
  });

  it('a wrapper of another kind is refused with a clear message', async () => {
    const other = { kind: 'keyring', describe: () => ({ kind: 'keyring', protection: 'strong' as const, explanation: '' }), wrap: vi.fn(), unwrap: vi.fn() };
    await expect(openVault({ dir, wrapper: other })).rejects.toThrow('This vault is locked with "passphrase", not "keyring"');
    expect(other.unwrap).not.toHaveBeenCalled();
  });

  it('a file that is not JSON is quarantined and reported', async () => {
    const content = fs.readFileSync(file, 'utf8').slice(0, 200);
    fs.writeFileSync(file, content);
    const error = (await reopen().catch((e: unknown) => e)) as VaultNotFoundError;
    expect(error).toBeInstanceOf(VaultNotFoundError);
    expect(error.quarantined).toMatchObject({ file, reason: 'the vault is not valid JSON', lost: expect.stringMatching(/every stored secret/) });
    expect(fs.readFileSync(error.quarantined!.movedTo!, 'utf8')).toBe(content);
    const fresh = await create();
    expect(fresh.quarantined).toEqual([]);
    expect(fresh.services()).toEqual([]);
  });

  it.each([
    ['a sealed value missing its tag', (d: Doc) => delete d.entries['acc-1']!['refresh_token']!['tag']],
    ['a sealed value with an extra key', (d: Doc) => (d.entries['acc-1']!['refresh_token']!['extra'] = 'x')],
    ['a sealed value that is a number', (d: Doc) => ((d.entries['acc-1'] as Record<string, unknown>)['refresh_token'] = 7)],
    ['an account that is an array', (d: Doc) => ((d.entries as Record<string, unknown>)['acc-1'] = [])],
    ['entries that are null', (d: Doc) => ((d as Record<string, unknown>)['entries'] = null)],
  ])('entries of the wrong shape (%s) make the file unreadable, with the shape named', async (_what, spoil) => {
    const doc = readDoc();
    spoil(doc);
    writeDoc(doc);
    const error = (await reopen().catch((e: unknown) => e)) as VaultNotFoundError;
    expect(error).toBeInstanceOf(VaultNotFoundError);
    expect(error.quarantined?.reason).toMatch(/entries: must map each account to its fields, each an \{iv, ct, tag\} of strings/);
  });

  it('create reports the quarantined vault it replaced', async () => {
    fs.writeFileSync(file, '{"schemaVersion":1,"vaultId":');
    const fresh = await create();
    expect(fresh.quarantined).toHaveLength(1);
    expect(fresh.quarantined[0]!.movedTo).toContain(`${VAULT_FILE}.corrupt-`);
  });
});
