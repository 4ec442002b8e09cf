// Account metadata and app settings (never a secret: those live in the vault), in
// `accounts.json`. The store owns its file rather than going through conf: conf's public
// API cannot change how it writes (its `atomically` write skips the directory fsync, so the
// new name can vanish in a power cut; it falls back to a plain non-atomic write on EXDEV and
// under Snap; it retries synchronously for up to 1 s), and it re-reads the whole file before
// every write. What the store needs is small: the file is read, migrated or quarantined and
// validated once at open (openAccountStore), kept in memory, and every change is written
// whole through writeFileAtomicSync (temp + fsync + rename + directory fsync).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AccountRecordSchema, AppSettingsSchema, DEFAULT_SETTINGS, type AccountRecord, type AppSettings } from '../../../shared/domain.js';
import { writeFileAtomicSync } from './atomic.js';
import { quarantineSync, type QuarantineReport } from './quarantine.js';
import { loadVersioned, type VersionedFormat } from './versioned.js';

export const ACCOUNTS_FILE = 'accounts.json';

export { AccountRecordSchema, AppSettingsSchema, DEFAULT_SETTINGS, type AccountRecord, type AppSettings };

// Only what the user changed is stored, so a better default in a later version reaches everyone else.
const AccountsFileSchema = z.object({
  schemaVersion: z.literal(2),
  accounts: z.array(AccountRecordSchema),
  settings: AppSettingsSchema.partial(),
});
type AccountsFile = z.infer<typeof AccountsFileSchema>;

/** v1 (TokenDesk 0.0.x) said `provider`, `base_url`, `refresh_every` (seconds) and ISO dates. */
function migrateV1(doc: Record<string, unknown>): Record<string, unknown> {
  const ms = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : iso);
  const accounts = (Array.isArray(doc['accounts']) ? doc['accounts'] : []).map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) return raw; // left for validation to reject (→ quarantine)
    const { provider, base_url, refresh_every, created_at, updated_at, ...rest } = raw as Record<string, unknown>;
    return {
      ...rest,
      providerId: provider,
      ...(base_url === undefined ? {} : { baseUrl: base_url }),
      ...(typeof refresh_every === 'number' ? { refreshEveryMs: refresh_every * 1000 } : {}),
      createdAt: ms(created_at),
      updatedAt: ms(updated_at),
    };
  });
  const old = (doc['settings'] ?? {}) as Record<string, unknown>;
  const settings = old['clipboard_clear_seconds'] === undefined ? {} : { clipboardClearSeconds: old['clipboard_clear_seconds'] };
  return { accounts, settings };
}

const ACCOUNTS_FORMAT: VersionedFormat<AccountsFile> = { label: 'account store', current: 2, migrations: { 1: migrateV1 }, schema: AccountsFileSchema };

// Tab-indented JSON, the layout the file has always had.
const serialize = (value: unknown) => JSON.stringify(value, undefined, '\t');

export class AccountStoreError extends Error {
  override name = 'AccountStoreError';
}

export type NewAccount = Pick<AccountRecord, 'name' | 'providerId'> & Partial<Omit<AccountRecord, 'id' | 'createdAt' | 'updatedAt'>>;
export type AccountPatch = Partial<Omit<AccountRecord, 'id' | 'createdAt' | 'updatedAt'>>;

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class AccountStore {
  /**
   * The file as last read or written. The store is the file's only writer while it is open
   * (the owner lock), so it is read and validated once, not on every call: with 10,000
   * accounts each re-parse cost ~60 ms and ~20 MB of garbage.
   */
  #doc: AccountsFile;
  /** The file as we left it: anything else found there at the next write was not written by us. */
  #stamp: FileStamp | undefined;

  /** @internal use openAccountStore(), which validates `doc` and writes it when the file had to be made or migrated */
  constructor(
    readonly file: string,
    doc: AccountsFile,
    /** Set when the file was unreadable and moved aside at open. */
    readonly quarantined: QuarantineReport[],
    /** The format version the file had, when it was migrated at open. */
    readonly migratedFrom: number | undefined,
    private readonly now: () => number,
  ) {
    this.#doc = doc;
    this.#stamp = stampOf(file);
  }

  /** Copies: callers may change what they get without touching the cached file. */
  list(): AccountRecord[] {
    return this.#doc.accounts.map((a) => ({ ...a }));
  }

  get(id: string): AccountRecord | undefined {
    const found = this.#doc.accounts.find((a) => a.id === id);
    return found && { ...found };
  }

  /** What a user typed: an id, else a name (case-insensitive). */
  findByNameOrId(ref: string): AccountRecord | undefined {
    const accounts = this.#doc.accounts;
    const found = accounts.find((a) => a.id === ref) ?? accounts.find((a) => sameName(a.name, ref));
    return found && { ...found };
  }

  create(input: NewAccount, id: string = randomUUID()): AccountRecord {
    const at = this.now();
    const record = this.#validate({ status: 'active', paused: false, settings: {}, ...input, id, createdAt: at, updatedAt: at });
    const doc = this.#doc;
    this.#checkNameFree(doc, record);
    if (doc.accounts.some((a) => a.id === id)) throw new AccountStoreError(`An account with id ${id} already exists.`);
    this.#write({ ...doc, accounts: [...doc.accounts, record] });
    return record;
  }

  update(id: string, patch: AccountPatch): AccountRecord {
    const doc = this.#doc;
    const current = doc.accounts.find((a) => a.id === id);
    if (!current) throw new AccountStoreError(`No account with id ${id}.`);
    const record = this.#validate({ ...current, ...patch, id, createdAt: current.createdAt, updatedAt: this.now() });
    this.#checkNameFree(doc, record);
    this.#write({ ...doc, accounts: doc.accounts.map((a) => (a.id === id ? record : a)) });
    return record;
  }

  remove(id: string): boolean {
    const doc = this.#doc;
    const accounts = doc.accounts.filter((a) => a.id !== id);
    if (accounts.length === doc.accounts.length) return false;
    this.#write({ ...doc, accounts });
    return true;
  }

  getSettings(): AppSettings {
    return { ...DEFAULT_SETTINGS, ...this.#doc.settings };
  }

  setSettings(patch: Partial<AppSettings>): AppSettings {
    const doc = this.#doc;
    const settings = AppSettingsSchema.partial().parse({ ...doc.settings, ...patch });
    this.#write({ ...doc, settings });
    return { ...DEFAULT_SETTINGS, ...settings };
  }

  /** Durable first: a failed write (disk full, read-only) leaves the cache as the file is. */
  #write(doc: AccountsFile): void {
    const found = stampOf(this.file);
    if (found && this.#stamp && !sameStamp(found, this.#stamp)) {
      // Changed behind our back while we own the data dir (another program, a restore, damage):
      // moved aside and reported rather than overwritten; our copy is what we last saved.
      this.quarantined.push(
        quarantineSync(this.file, 'the file was changed by another program while TokenDesk owned the data dir', 'nothing: the accounts TokenDesk had saved are written back; the other content is in the moved file'),
      );
    }
    writeFileAtomicSync(this.file, serialize(doc));
    this.#doc = doc;
    this.#stamp = stampOf(this.file);
  }

  #validate(candidate: unknown): AccountRecord {
    const result = AccountRecordSchema.safeParse(candidate);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new AccountStoreError(`Invalid account: ${issue?.path.join('.') || 'record'}: ${issue?.message}`);
  }

  #checkNameFree(doc: AccountsFile, record: AccountRecord): void {
    const clash = doc.accounts.find((a) => a.id !== record.id && sameName(a.name, record.name));
    if (clash) throw new AccountStoreError(`An account named "${clash.name}" already exists (id ${clash.id}). Choose another name.`);
  }
}

interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

function stampOf(file: string): FileStamp | undefined {
  try {
    const { ino, size, mtimeMs } = fs.statSync(file);
    return { ino, size, mtimeMs };
  } catch {
    return undefined;
  }
}

const sameStamp = (a: FileStamp, b: FileStamp) => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

const emptyFile = (): AccountsFile => ({ schemaVersion: 2, accounts: [], settings: {} });

export async function openAccountStore({ dir, now = Date.now }: { dir: string; now?: () => number }): Promise<AccountStore> {
  const file = path.join(dir, ACCOUNTS_FILE);
  const loaded = await loadVersioned(file, ACCOUNTS_FORMAT, 'the list of accounts and their settings (their secrets in the vault are kept): add the accounts again');
  if (loaded.status === 'ok' && loaded.from < ACCOUNTS_FORMAT.current) {
    // Keep the pre-migration file: an older TokenDesk can still be pointed at it.
    await fsp.copyFile(file, `${file}.v${loaded.from}.bak`, fsp.constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
  // The file on disk is in its final form before the store is used: made, or migrated.
  let doc: AccountsFile;
  if (loaded.status !== 'ok') {
    doc = emptyFile();
    writeFileAtomicSync(file, serialize(doc));
  } else {
    doc = loaded.data;
    if (loaded.from < ACCOUNTS_FORMAT.current) writeFileAtomicSync(file, serialize(doc));
  }
  return new AccountStore(
    file,
    doc,
    loaded.status === 'quarantined' ? [loaded.report] : [],
    loaded.status === 'ok' && loaded.from < ACCOUNTS_FORMAT.current ? loaded.from : undefined,
    now,
  );
}
