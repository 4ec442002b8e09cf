// Account metadata and app settings (never a secret: those live in the vault), in
// `accounts.json` through conf — the library under electron-store, so the file is the
// one electron-store would write. The Electron app uses this same store with
// dir = app.getPath('userData'): electron-store adds only a default path and renderer
// access, and we want neither.
//
// What conf 15 gives: writes through `atomically` (temp file + fsync + rename, errors
// thrown), but no fsync of the directory after the rename (the new name can vanish in a
// power cut), a silent non-atomic fallback on EXDEV and under Snap, and up to 1 s of
// synchronous retrying on EACCES/EPERM/EBUSY. On a parse error it throws (reset only
// with clearInvalidConfig). What we add: conf's one write method is routed through
// writeFileAtomicSync (atomic.ts); the file is checked, migrated or quarantined before
// conf sees it; and every read is validated with zod through conf's `deserialize` hook.
import Conf from 'conf';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AccountRecordSchema, AppSettingsSchema, DEFAULT_SETTINGS, type AccountRecord, type AppSettings } from '../../../shared/domain.js';
import { PRIVATE_FILE_MODE, writeFileAtomicSync } from './atomic.js';
import { quarantineSync, type QuarantineReport } from './quarantine.js';
import { loadVersioned, parseVersioned, type VersionedFormat } from './versioned.js';

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

// conf's own format (tab-indented JSON), so electron-store reads the same file.
const serialize = (value: unknown) => JSON.stringify(value, undefined, '\t');

type ConfInternals = { path: string; _serialize(value: unknown): string };
// Fail loudly at load if a conf upgrade renamed the method we route (conf is pinned exactly).
if (typeof (Conf.prototype as unknown as Record<string, unknown>)['_write'] !== 'function') throw new Error('conf internals changed: Conf.prototype._write is gone');

/** conf, with its single write path made durable (see the header comment). */
class DurableConf<T extends Record<string, unknown>> extends Conf<T> {}
Object.defineProperty(DurableConf.prototype, '_write', {
  value(this: ConfInternals, value: unknown) {
    writeFileAtomicSync(this.path, this._serialize(value));
  },
});

export class AccountStoreError extends Error {
  override name = 'AccountStoreError';
}

export type NewAccount = Pick<AccountRecord, 'name' | 'providerId'> & Partial<Omit<AccountRecord, 'id' | 'createdAt' | 'updatedAt'>>;
export type AccountPatch = Partial<Omit<AccountRecord, 'id' | 'createdAt' | 'updatedAt'>>;

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class AccountStore {
  readonly #conf: Conf<AccountsFile>;
  /**
   * The file as last read or written. The store is the file's only writer while it is open
   * (the owner lock), so it is read and validated once, not on every call: with 10,000
   * accounts each re-parse cost ~60 ms and ~20 MB of garbage.
   */
  #doc: AccountsFile | undefined;
  /** The file as we left it: anything else found there at the next write was not written by us. */
  #stamp: FileStamp | undefined;

  /** @internal use openAccountStore() */
  constructor(
    readonly file: string,
    /** Set when the file was unreadable and moved aside at open. */
    readonly quarantined: QuarantineReport[],
    /** The format version the file had, when it was migrated at open. */
    readonly migratedFrom: number | undefined,
    private readonly now: () => number,
    /** The file's text and data as openAccountStore validated them: conf's first read reuses them. */
    validated?: { text: string; data: AccountsFile },
  ) {
    let unread = validated;
    this.#conf = new DurableConf<AccountsFile>({
      cwd: path.dirname(file),
      configName: path.basename(file, '.json'),
      configFileMode: PRIVATE_FILE_MODE,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      serialize,
      deserialize: (text) => {
        const known = unread;
        unread = undefined; // once: the text is not kept in memory
        return known && text === known.text ? known.data : parseVersioned(text, ACCOUNTS_FORMAT, file).data;
      },
    });
    if (validated) {
      this.#doc = validated.data;
      this.#stamp = stampOf(file);
    }
  }

  /** Copies: callers may change what they get without touching the cached file. */
  list(): AccountRecord[] {
    return this.#read().accounts.map((a) => ({ ...a }));
  }

  get(id: string): AccountRecord | undefined {
    const found = this.#read().accounts.find((a) => a.id === id);
    return found && { ...found };
  }

  /** What a user typed: an id, else a name (case-insensitive). */
  findByNameOrId(ref: string): AccountRecord | undefined {
    const accounts = this.#read().accounts;
    const found = accounts.find((a) => a.id === ref) ?? accounts.find((a) => sameName(a.name, ref));
    return found && { ...found };
  }

  create(input: NewAccount, id: string = randomUUID()): AccountRecord {
    const at = this.now();
    const record = this.#validate({ status: 'active', paused: false, settings: {}, ...input, id, createdAt: at, updatedAt: at });
    const doc = this.#read();
    this.#checkNameFree(doc, record);
    if (doc.accounts.some((a) => a.id === id)) throw new AccountStoreError(`An account with id ${id} already exists.`);
    this.#write({ ...doc, accounts: [...doc.accounts, record] });
    return record;
  }

  update(id: string, patch: AccountPatch): AccountRecord {
    const doc = this.#read();
    const current = doc.accounts.find((a) => a.id === id);
    if (!current) throw new AccountStoreError(`No account with id ${id}.`);
    const record = this.#validate({ ...current, ...patch, id, createdAt: current.createdAt, updatedAt: this.now() });
    this.#checkNameFree(doc, record);
    this.#write({ ...doc, accounts: doc.accounts.map((a) => (a.id === id ? record : a)) });
    return record;
  }

  remove(id: string): boolean {
    const doc = this.#read();
    const accounts = doc.accounts.filter((a) => a.id !== id);
    if (accounts.length === doc.accounts.length) return false;
    this.#write({ ...doc, accounts });
    return true;
  }

  getSettings(): AppSettings {
    return { ...DEFAULT_SETTINGS, ...this.#read().settings };
  }

  setSettings(patch: Partial<AppSettings>): AppSettings {
    const doc = this.#read();
    const settings = AppSettingsSchema.partial().parse({ ...doc.settings, ...patch });
    this.#write({ ...doc, settings });
    return { ...DEFAULT_SETTINGS, ...settings };
  }

  #read(): AccountsFile {
    if (!this.#doc) {
      const doc = this.#conf.store;
      this.#doc = 'schemaVersion' in doc ? doc : emptyFile(); // conf answers {} when the file is gone
      this.#stamp = stampOf(this.file);
    }
    return this.#doc;
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
    this.#conf.store = doc;
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
  // conf never sees a file it would have to reset or migrate: write the final form first.
  let validated: { text: string; data: AccountsFile } | undefined;
  if (loaded.status !== 'ok') writeFileAtomicSync(file, serialize(emptyFile()));
  else if (loaded.from < ACCOUNTS_FORMAT.current) writeFileAtomicSync(file, serialize(loaded.data));
  else validated = { text: loaded.text, data: loaded.data };
  return new AccountStore(
    file,
    loaded.status === 'quarantined' ? [loaded.report] : [],
    loaded.status === 'ok' && loaded.from < ACCOUNTS_FORMAT.current ? loaded.from : undefined,
    now,
    validated,
  );
}
