import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountRecord as EngineAccountRecord } from '../../src/main/core/engine/types.js';
import { ACCOUNTS_FILE, AccountStoreError, DEFAULT_SETTINGS, openAccountStore, type AccountRecord } from '../../src/main/core/storage/account-store.js';
import { SchemaVersionTooNewError } from '../../src/main/core/storage/versioned.js';
import { hashTree, makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

// The engine persists its AccountRecord through this store: the shapes must agree.
const _sameShape: [EngineAccountRecord, AccountRecord] = [{} as AccountRecord, {} as EngineAccountRecord];

let dir: string;
let clock = 1_700_000_000_000;
const now = () => clock;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(dir);
});

const ups = { name: 'ups-prod', providerId: 'ups' as const, environment: 'production', settings: { client_id: 'abc' } };

describe('account store', () => {
  it('creates, finds, updates and removes accounts, persisted across opens', async () => {
    const store = await openAccountStore({ dir, now });
    const a = store.create(ups);
    expect(a).toMatchObject({ ...ups, status: 'active', paused: false, createdAt: clock, updatedAt: clock });
    clock += 1000;
    const b = store.update(a.id, { status: 'reauth_required', expiresAt: clock + 60_000, expirySource: 'expires_in', lastOutcome: { at: clock, outcome: 'error', errorClass: 'reauth_required' } });
    expect(b.updatedAt).toBe(clock);
    expect(b.createdAt).toBe(a.createdAt);

    const reopened = await openAccountStore({ dir, now });
    expect(reopened.list()).toEqual([b]);
    expect(reopened.get(a.id)).toEqual(b);
    expect(reopened.findByNameOrId('UPS-Prod')?.id).toBe(a.id);
    expect(reopened.findByNameOrId(a.id)?.id).toBe(a.id);
    expect(reopened.findByNameOrId('nope')).toBeUndefined();
    expect(reopened.remove(a.id)).toBe(true);
    expect(reopened.remove(a.id)).toBe(false);
    expect(reopened.list()).toEqual([]);
  });

  it('rejects a duplicate name (case-insensitive) on create and rename', async () => {
    const store = await openAccountStore({ dir, now });
    const a = store.create(ups);
    const b = store.create({ ...ups, name: 'other' });
    expect(() => store.create({ ...ups, name: ' UPS-PROD ' })).toThrow(new AccountStoreError(`An account named "ups-prod" already exists (id ${a.id}). Choose another name.`));
    expect(() => store.update(b.id, { name: 'ups-prod' })).toThrow(/already exists/);
    expect(store.update(a.id, { name: 'UPS-prod' }).name).toBe('UPS-prod'); // renaming itself is fine
  });

  it('validates records', async () => {
    const store = await openAccountStore({ dir, now });
    expect(() => store.create({ ...ups, providerId: 'Not a provider!' as 'ups' })).toThrow(/Invalid account: providerId/);
    expect(() => store.update('missing', {})).toThrow(/No account with id missing/);
  });

  it('keeps settings, stores only what changed, validates', async () => {
    const store = await openAccountStore({ dir, now });
    expect(store.getSettings()).toEqual(DEFAULT_SETTINGS);
    store.setSettings({ clipboardClearSeconds: 10 });
    expect((await openAccountStore({ dir })).getSettings()).toEqual({ ...DEFAULT_SETTINGS, clipboardClearSeconds: 10 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, ACCOUNTS_FILE), 'utf8')).settings).toEqual({ clipboardClearSeconds: 10 });
    expect(() => store.setSettings({ clipboardClearSeconds: -1 })).toThrow();
  });

  it('writes tab-indented JSON with mode 0600', async () => {
    const store = await openAccountStore({ dir, now });
    store.create(ups);
    const file = path.join(dir, ACCOUNTS_FILE);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\{\n\t"schemaVersion": 2,/);
    expect(mode(file)).toBe(0o600);
  });

  it('writes through the durable path: file then directory fsynced', async () => {
    const store = await openAccountStore({ dir, now });
    const synced: string[] = [];
    const real = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(fs.fstatSync(fd).isDirectory() ? 'dir' : 'file');
      real(fd);
    });
    store.create(ups);
    expect(synced).toEqual(['file', 'dir']); // the directory too: the rename lives there
  });

  it('a write error surfaces and the file keeps its old content', async () => {
    const store = await openAccountStore({ dir, now });
    store.create(ups);
    const before = hashTree(dir);
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    });
    expect(() => store.create({ ...ups, name: 'second' })).toThrow(/EIO/);
    vi.restoreAllMocks();
    expect(hashTree(dir)).toEqual(before);
    expect(store.list().map((a) => a.name)).toEqual(['ups-prod']);
  });

  it('migrates the checked-in v1 fixture and keeps a backup of it', async () => {
    const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'accounts-v1.json');
    fs.copyFileSync(fixture, path.join(dir, ACCOUNTS_FILE));
    const store = await openAccountStore({ dir, now });
    expect(store.migratedFrom).toBe(1);
    expect(store.list()).toEqual([
      {
        id: '6f1c2b9e-1f2a-4c3d-9e8f-0a1b2c3d4e5f',
        name: 'ups-prod',
        providerId: 'ups',
        environment: 'production',
        baseUrl: 'https://onlinetools.ups.com',
        settings: { client_id: 'ups-client-123' },
        refreshEveryMs: 3_600_000,
        paused: false,
        status: 'active',
        createdAt: Date.parse('2024-03-01T10:00:00.000Z'),
        updatedAt: Date.parse('2024-03-02T11:30:00.000Z'),
      },
      {
        id: '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70',
        name: 'Banyan staging',
        providerId: 'banyan',
        settings: {},
        paused: true,
        status: 'paused',
        createdAt: Date.parse('2024-03-05T08:15:00.000Z'),
        updatedAt: Date.parse('2024-03-05T08:15:00.000Z'),
      },
    ]);
    expect(store.getSettings().clipboardClearSeconds).toBe(45);
    expect(JSON.parse(fs.readFileSync(path.join(dir, ACCOUNTS_FILE), 'utf8')).schemaVersion).toBe(2);
    expect(fs.readFileSync(path.join(dir, `${ACCOUNTS_FILE}.v1.bak`))).toEqual(fs.readFileSync(fixture));
    expect((await openAccountStore({ dir })).migratedFrom).toBeUndefined();
  });

  it('quarantines a v1 file whose accounts are junk, instead of failing in the migration', async () => {
    fs.writeFileSync(path.join(dir, ACCOUNTS_FILE), JSON.stringify({ schemaVersion: 1, accounts: [null, 3] }));
    const store = await openAccountStore({ dir, now });
    expect(store.quarantined[0]?.reason).toMatch(/does not match its format/);
    expect(store.list()).toEqual([]);
  });

  it('quarantines an unreadable file, reports it and starts empty', async () => {
    const file = path.join(dir, ACCOUNTS_FILE);
    fs.writeFileSync(file, '{"schemaVersion": 2, "accounts": [{"id": ');
    const store = await openAccountStore({ dir, now });
    expect(store.quarantined).toEqual([
      { file, movedTo: expect.stringContaining(`${ACCOUNTS_FILE}.corrupt-`), reason: 'the account store is not valid JSON', lost: expect.stringMatching(/list of accounts/) },
    ]);
    expect(fs.readFileSync(store.quarantined[0]!.movedTo!, 'utf8')).toBe('{"schemaVersion": 2, "accounts": [{"id": ');
    expect(store.list()).toEqual([]);
  });

  it('refuses a file from a newer version and leaves it byte-identical', async () => {
    fs.writeFileSync(path.join(dir, ACCOUNTS_FILE), JSON.stringify({ schemaVersion: 9, accounts: 'new shape' }));
    const before = hashTree(dir);
    await expect(openAccountStore({ dir })).rejects.toBeInstanceOf(SchemaVersionTooNewError);
    expect(hashTree(dir)).toEqual(before);
  });

  it('a file changed behind its back while open is moved aside at the next write, never overwritten, and the accounts are kept', async () => {
    const store = await openAccountStore({ dir, now });
    const created = store.create(ups);
    const file = path.join(dir, ACCOUNTS_FILE);
    fs.writeFileSync(file, '{ broken');
    expect(store.list().map((a) => a.id)).toEqual([created.id]); // answered from what it saved
    store.update(created.id, { name: 'renamed' });
    expect(store.quarantined).toHaveLength(1);
    const report = store.quarantined[0]!;
    expect(report.reason).toMatch(/changed by another program/);
    expect(fs.readFileSync(report.movedTo!, 'utf8')).toBe('{ broken');
    const reopened = await openAccountStore({ dir, now });
    expect(reopened.list().map((a) => a.name)).toEqual(['renamed']);
    // Its own writes are not mistaken for someone else's.
    reopened.update(created.id, { name: 'again' });
    reopened.update(created.id, { name: 'and again' });
    expect(reopened.quarantined).toEqual([]);
  });
});
