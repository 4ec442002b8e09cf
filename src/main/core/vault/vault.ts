// The encrypted credential vault (docs/ARCHITECTURE.md "Vault files", "Vault envelope").
// Keytar-shaped: `service` is the TokenDesk account id, `account` the field name ('refresh_token'…). Envelope
// encryption: one random data key seals every value with AES-256-GCM, with
// "service NUL account" as associated data so a value moved to another slot fails.
// Only the data key is wrapped (key-wrappers.ts). Every change is durable (fsynced)
// before it is reported, and memory is updated only after it succeeded.
//
// Storage: vault.json (the base document) plus vault.journal, JSON lines of changed
// accounts appended per group commit. A commit costs O(changed accounts), not a rewrite
// of every account: with 10,000 accounts a full rewrite per refresh would stall the
// event loop (and every scheduled refresh). When the journal outgrows the base, both are
// folded into a new base (atomic rewrite) with the next `generation`, and the journal
// restarts; a journal whose generation is not the base's is stale and ignored.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { DurableAppender, writeFileAtomic } from '../storage/atomic.js';
import { GroupCommit, type Settled } from '../storage/group-commit.js';
import { quarantine, type QuarantineReport } from '../storage/quarantine.js';
import { CorruptFileError, loadVersioned, readDataFile, type VersionedFormat } from '../storage/versioned.js';
import { AuthenticationError, KEY_BYTES, seal, unseal, type Sealed } from './aead.js';
import { VaultCorruptError, VaultError, VaultLockedError, VaultNotFoundError } from './errors.js';
import type { KeyWrapper, WrapperDescription } from './key-wrappers.js';

export const VAULT_FILE = 'vault.json';
export const VAULT_JOURNAL_FILE = 'vault.journal';
/** Fold the journal into the base once it is bigger than this and than the base. */
const MIN_COMPACT_BYTES = 1024 * 1024;

// Strings, not z.base64(): one damaged value must fail authentication on its own, not
// make the whole file "unreadable" and quarantine every other secret with it.
const SealedSchema = z.object({ iv: z.string(), ct: z.string(), tag: z.string() });

// The entries are checked by hand: zod's walk of record → record → object costs ~40 ms and a
// burst of garbage per 1,000 accounts at every start; this exact check accepts the same
// documents (plain objects, sealed values of exactly iv/ct/tag strings) in a few ms.
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function isSealedValue(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  let keys = 0;
  for (const key in v) {
    if ((key !== 'iv' && key !== 'ct' && key !== 'tag') || typeof v[key] !== 'string') return false;
    keys++;
  }
  return keys === 3;
}
function isSlots(v: unknown, removable: boolean): boolean {
  if (!isPlainObject(v)) return false;
  for (const service in v) {
    const slot = v[service];
    if (slot === null && removable) continue;
    if (!isPlainObject(slot)) return false;
    for (const field in slot) if (!isSealedValue(slot[field])) return false;
  }
  return true;
}
const SLOTS_SHAPE = 'must map each account to its fields, each an {iv, ct, tag} of strings';
const EntriesSchema = z.custom<Record<string, Record<string, Sealed>>>((v) => isSlots(v, false), SLOTS_SHAPE);
const JournalSetSchema = z.custom<Record<string, Record<string, Sealed> | null>>((v) => isSlots(v, true), SLOTS_SHAPE);
const VaultDocSchema = z.object({
  schemaVersion: z.literal(1),
  vaultId: z.string().min(1),
  wrapper: z.looseObject({ kind: z.string().min(1) }),
  wrappedKey: z.string().min(1),
  /** The data key sealing a constant: tells "wrong key" apart from "damaged entry" at open. */
  keyCheck: SealedSchema,
  /** Which journal belongs to this base (absent in vaults written before the journal: 0). */
  generation: z.number().int().nonnegative().optional(),
  entries: EntriesSchema,
});
type VaultDoc = z.infer<typeof VaultDocSchema>;
type Slot = Record<string, Sealed>;

const JournalHeaderSchema = z.object({ journal: z.literal('tokendesk-vault'), vaultId: z.string(), generation: z.number().int() });
/** One group commit: each account's new slot, or null when the account is gone. */
const JournalLineSchema = z.object({ set: JournalSetSchema });

const VAULT_FORMAT: VersionedFormat<VaultDoc> = { label: 'vault', current: 1, migrations: {}, schema: VaultDocSchema };
const KEY_CHECK = Buffer.from('tokendesk-key-check');
const keyCheckAad = (vaultId: string) => `tokendesk:key-check\u0000${vaultId}`;
const entryAad = (service: string, account: string) => `${service}\u0000${account}`;

function checkName(what: string, name: string): void {
  // NUL is the AAD separator; "__proto__" would not survive as a plain-object key.
  if (typeof name !== 'string' || !name || name.includes('\u0000') || name === '__proto__') {
    throw new VaultError(`Invalid vault ${what} name.`);
  }
}

/**
 * What a change sees: the committed document with the batch's earlier changes on top.
 * Edits go to an overlay (O(changed accounts)); nothing touches the document until
 * the batch is durable.
 */
class Draft {
  readonly overlay = new Map<string, Slot | null>();
  header?: { wrapper: VaultDoc['wrapper']; wrappedKey: string };

  constructor(private readonly doc: VaultDoc) {}

  slot(service: string): Slot | undefined {
    return this.overlay.has(service) ? (this.overlay.get(service) ?? undefined) : this.doc.entries[service];
  }

  /** An empty slot removes the account. */
  put(service: string, slot: Slot): void {
    this.overlay.set(service, Object.keys(slot).length ? slot : null);
  }
}

/**
 * A change validates, then edits the draft, and says whether it changed anything.
 * It must validate before it edits: a change that throws must leave the draft alone.
 */
type Change<R> = (draft: Draft, key: Buffer) => [boolean, R] | Promise<[boolean, R]>;

function applyOverlay(entries: VaultDoc['entries'], overlay: Map<string, Slot | null>): void {
  for (const [service, slot] of overlay) {
    if (slot) entries[service] = slot;
    else delete entries[service];
  }
}

export interface OpenVaultOptions {
  dir: string;
  wrapper: KeyWrapper;
  /** Create a new vault if there is none (or the old one was unreadable and moved aside). */
  create?: boolean;
  /**
   * An unreadable vault.json: 'quarantine' (default) moves it aside (then `create` starts an
   * empty vault); 'refuse' leaves it in place and throws VaultCorruptError, so an owner never
   * replaces the user's secrets with an empty vault.
   */
  ifUnreadable?: 'quarantine' | 'refuse';
}

export class Vault {
  #key: Buffer | undefined;
  #doc: VaultDoc;
  #wrapper: KeyWrapper;
  readonly #commits = new GroupCommit<Change<unknown>>((changes) => this.#commitBatch(changes));
  readonly #serializer = new VaultSerializer();
  readonly #journalFile: string;
  /** The journal, open across appends; closed whenever #compact replaces the file. */
  readonly #journal: DurableAppender;
  #journalBytes = 0;
  #baseBytes = 0;
  /** Repairs at open that moved nothing aside: a torn last journal line (an append that never finished) was dropped. */
  readonly repairs: QuarantineReport[] = [];

  /** @internal use openVault() */
  constructor(
    readonly file: string,
    key: Buffer,
    doc: VaultDoc,
    wrapper: KeyWrapper,
    /** An unreadable vault that was moved aside when this one was created. */
    readonly quarantined: QuarantineReport[] = [],
  ) {
    this.#key = key;
    this.#doc = doc;
    this.#wrapper = wrapper;
    this.#journalFile = path.join(path.dirname(file), VAULT_JOURNAL_FILE);
    this.#journal = new DurableAppender(this.#journalFile);
  }

  get id(): string {
    return this.#doc.vaultId;
  }

  describe(): WrapperDescription {
    return this.#wrapper.describe();
  }

  /** Account ids that have at least one stored value. */
  services(): string[] {
    return Object.keys(this.#doc.entries);
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    const sealed = this.#doc.entries[service]?.[account];
    return sealed ? this.#open(service, account, sealed) : null;
  }

  async findCredentials(service: string): Promise<{ account: string; password: string }[]> {
    return Object.entries(this.#doc.entries[service] ?? {}).map(([account, sealed]) => ({ account, password: this.#open(service, account, sealed) }));
  }

  async setPassword(service: string, account: string, password: string): Promise<void> {
    await this.setMany(service, { [account]: password });
  }

  /** Stores several fields of one account in a single atomic write (a rotated refresh token with its access token). */
  async setMany(service: string, record: Record<string, string>): Promise<void> {
    await this.#putFields(service, record, false);
  }

  /** Like setMany, but the account ends up with exactly these fields (others are deleted), in the same single write. */
  async replaceService(service: string, record: Record<string, string>): Promise<void> {
    await this.#putFields(service, record, true);
  }

  async #putFields(service: string, record: Record<string, string>, replace: boolean): Promise<void> {
    checkName('service', service);
    for (const [account, password] of Object.entries(record)) {
      checkName('field', account);
      if (typeof password !== 'string') throw new VaultError(`The value for field "${account}" must be a string.`);
    }
    await this.#commit((draft, key) => {
      const slot: Slot = replace ? {} : { ...draft.slot(service) };
      for (const [account, password] of Object.entries(record)) slot[account] = seal(key, Buffer.from(password, 'utf8'), entryAad(service, account));
      draft.put(service, slot);
      return [true, undefined];
    });
  }

  async deletePassword(service: string, account: string): Promise<boolean> {
    return this.#commit((draft) => {
      const { [account]: gone, ...rest } = draft.slot(service) ?? {};
      if (!gone) return [false, false];
      draft.put(service, rest);
      return [true, true];
    });
  }

  /** Deletes every field of an account (account removal). */
  async deleteService(service: string): Promise<boolean> {
    return this.#commit((draft) => {
      if (!draft.slot(service)) return [false, false];
      draft.put(service, {});
      return [true, true];
    });
  }

  /** Folds the journal into a fresh vault.json now (in order with pending changes). */
  async compact(): Promise<void> {
    await this.#commit((draft) => {
      draft.header = { wrapper: this.#doc.wrapper, wrappedKey: this.#doc.wrappedKey };
      return [true, undefined];
    });
  }

  /** Wraps the same data key with another wrapper (passphrase → keyring…), atomically. */
  async rewrap(wrapper: KeyWrapper): Promise<void> {
    const old = this.#doc;
    await this.#commit(async (draft, key) => {
      const wrapped = await wrapper.wrap(key);
      draft.header = { wrapper: wrapped.wrapper, wrappedKey: wrapped.wrappedKey };
      return [true, undefined];
    });
    const oldWrapper = this.#wrapper;
    this.#wrapper = wrapper;
    // Only after the new wrapping is durable: drop the old keyring entry, if any (a leftover one is harmless).
    await oldWrapper.discard?.({ wrapper: old.wrapper, wrappedKey: old.wrappedKey }).catch(() => undefined);
  }

  /** Forgets the data key; every later call fails with VaultLockedError. */
  close(): void {
    this.#key?.fill(0);
    this.#key = undefined;
    // The journal's file closes once the batch being written (if any) is durable; later
    // changes fail for want of the key before they could reopen it.
    void this.#commits.idle().then(() => this.#journal.close());
  }

  #requireKey(): Buffer {
    if (!this.#key) throw new VaultLockedError('The vault is closed.');
    return this.#key;
  }

  #open(service: string, account: string, sealed: Sealed): string {
    try {
      return unseal(this.#requireKey(), sealed, entryAad(service, account)).toString('utf8');
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      throw new VaultCorruptError(`The stored "${account}" of account ${service} failed authentication: vault.json was damaged or edited. Enter it again.`);
    }
  }

  /** Serialises changes (each builds on the last committed document; memory follows the disk), in group commits. */
  #commit<R>(change: Change<R>): Promise<R> {
    return this.#commits.submit<R>(change as Change<unknown>);
  }

  async #commitBatch(changes: Change<unknown>[]): Promise<Settled[]> {
    const draft = new Draft(this.#doc);
    let changed = false;
    const outcomes: Settled[] = [];
    for (const change of changes) {
      try {
        const [didChange, value] = await change(draft, this.#requireKey());
        changed ||= didChange;
        outcomes.push({ ok: true, value });
      } catch (error) {
        outcomes.push({ ok: false, error }); // this change alone fails; the rest of the batch goes on
      }
    }
    if (!changed) return outcomes;
    try {
      if (draft.header || this.#journalBytes > Math.max(MIN_COMPACT_BYTES, this.#baseBytes)) {
        const entries = { ...this.#doc.entries };
        applyOverlay(entries, draft.overlay);
        await this.#compact({ ...this.#doc, ...draft.header, entries });
      } else {
        const line = JSON.stringify({ set: Object.fromEntries(draft.overlay) }) + '\n';
        await this.#journal.append(line);
        this.#journalBytes += Buffer.byteLength(line);
        applyOverlay(this.#doc.entries, draft.overlay); // only now that it is durable
      }
    } catch (error) {
      return outcomes.map((o) => (o.ok ? { ok: false, error } : o));
    }
    return outcomes;
  }

  /**
   * Writes `doc` as the new base with the next generation, then starts an empty journal
   * for it. A crash between the two leaves a journal of the old generation: ignored.
   */
  async #compact(doc: VaultDoc): Promise<void> {
    const next: VaultDoc = { ...doc, generation: (doc.generation ?? 0) + 1 };
    const serialized = this.#serializer.serialize(next);
    await writeFileAtomic(this.file, serialized.text);
    this.#serializer.commit(serialized);
    this.#doc = next;
    this.#baseBytes = Buffer.byteLength(serialized.text);
    const header = journalHeader(next);
    await this.#journal.close(); // the next append opens the new journal
    await writeFileAtomic(this.#journalFile, header);
    this.#journalBytes = Buffer.byteLength(header);
  }

  /**
   * @internal openVault(): a whole journal of this base is kept and appended to (folding it
   * in at every open would cost a full rewrite of vault.json on each start; the size rule in
   * #commitBatch folds it in when due). No journal, a stale one, or one ending in a torn
   * line (an append would glue onto the fragment) gets a fresh base and journal.
   */
  async adoptJournal(journal: { bytes: number; torn?: boolean }, baseBytes: number): Promise<void> {
    this.#baseBytes = baseBytes;
    if (journal.bytes === 0 || journal.torn) await this.#compact(this.#doc);
    else this.#journalBytes = journal.bytes;
  }
}

function journalHeader(doc: VaultDoc): string {
  return JSON.stringify({ journal: 'tokendesk-vault', vaultId: doc.vaultId, generation: doc.generation ?? 0 }) + '\n';
}

/**
 * Applies the journal of this base to `doc`. A torn last line (a crash mid-append) was
 * never acknowledged and is dropped; a damaged line before the end stops the replay
 * there and is reported.
 */
async function replayJournal(file: string, doc: VaultDoc): Promise<{ applied: number; bytes: number; torn: boolean; damaged?: string }> {
  const text = await readDataFile(file);
  if (!text) return { applied: 0, bytes: 0, torn: false };
  const torn = !text.endsWith('\n');
  const lines = text.split('\n');
  const complete = lines.slice(0, -1); // the part after the last newline is torn (or empty)
  const header = JournalHeaderSchema.safeParse(parseLine(complete[0]));
  if (!header.success || header.data.vaultId !== doc.vaultId) {
    // Not a journal of this vault (damaged header, another vault's, another program's): the
    // fresh journal written at open would replace it, and with it whatever it holds. Keep it.
    return { applied: 0, bytes: 0, torn, damaged: `${VAULT_JOURNAL_FILE} is not a journal of this vault (${header.success ? 'another vault id' : 'no readable header line'}); its changes were not applied` };
  }
  if (header.data.generation !== (doc.generation ?? 0)) {
    return { applied: 0, bytes: 0, torn }; // stale (from before the last compaction): the base has it all
  }
  let applied = 0;
  for (const [i, raw] of complete.slice(1).entries()) {
    const line = JournalLineSchema.safeParse(parseLine(raw));
    if (!line.success) return { applied, bytes: Buffer.byteLength(text), torn, damaged: `line ${i + 2} of ${VAULT_JOURNAL_FILE} is damaged; later changes were not applied` };
    applyOverlay(doc.entries, new Map(Object.entries(line.data.set)));
    applied++;
  }
  return { applied, bytes: Buffer.byteLength(text), torn };
}

function parseLine(line: string | undefined): unknown {
  try {
    return JSON.parse(line ?? '');
  } catch {
    return undefined;
  }
}

/**
 * Serialises the vault document, re-encoding only the accounts whose slot changed:
 * the base is rewritten whole at every compaction, and with 10,000 accounts a full
 * JSON.stringify would stall the event loop (and every scheduled refresh) for tens of ms.
 */
class VaultSerializer {
  #slots = new Map<string, { slot: Record<string, Sealed>; json: string }>();

  serialize(doc: VaultDoc): { text: string; slots: Map<string, { slot: Record<string, Sealed>; json: string }> } {
    const slots = new Map<string, { slot: Record<string, Sealed>; json: string }>();
    const parts: string[] = [];
    for (const [service, slot] of Object.entries(doc.entries)) {
      const cached = this.#slots.get(service);
      const entry = cached && cached.slot === slot ? cached : { slot, json: `${JSON.stringify(service)}:${JSON.stringify(slot)}` };
      slots.set(service, entry);
      parts.push(entry.json);
    }
    const { entries: _entries, ...head } = doc;
    const text = `${JSON.stringify(head).slice(0, -1)},"entries":{${parts.join(',')}}}\n`;
    return { text, slots };
  }

  /** Called once the text is durable: the cache then describes the file. */
  commit(serialized: { slots: Map<string, { slot: Record<string, Sealed>; json: string }> }): void {
    this.#slots = serialized.slots;
  }
}


/** Opens the vault in `dir`, or creates it (`create`). Throws VaultLockedError without touching any file if the key cannot be unwrapped. */
export async function openVault({ dir, wrapper, create = false, ifUnreadable = 'quarantine' }: OpenVaultOptions): Promise<Vault> {
  const file = path.join(dir, VAULT_FILE);
  let loaded: Awaited<ReturnType<typeof loadVersioned<VaultDoc>>>;
  try {
    loaded = await loadVersioned(file, VAULT_FORMAT, 'every stored secret (client secrets, refresh and access tokens): re-enter them for each account', {
      onCorrupt: ifUnreadable === 'refuse' ? 'throw' : 'quarantine',
    });
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    throw new VaultCorruptError(
      `${file} is unreadable (${error.message}). It was left untouched and no new vault was made: ` +
        'restore it from a backup, or move it aside to start with an empty vault (every secret would have to be entered again).',
      { cause: error },
    );
  }
  if (loaded.status === 'ok') {
    const doc = loaded.data;
    if (doc.wrapper.kind !== wrapper.kind) {
      throw new VaultLockedError(`This vault is locked with "${doc.wrapper.kind}", not "${wrapper.kind}": unlock it that way (you can switch afterwards).`);
    }
    let key: Buffer;
    try {
      key = await wrapper.unwrap({ wrapper: doc.wrapper, wrappedKey: doc.wrappedKey });
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw new VaultLockedError(`The vault key could not be unwrapped (${(error as Error).message}).`, { cause: error });
    }
    try {
      if (!unseal(key, doc.keyCheck, keyCheckAad(doc.vaultId)).equals(KEY_CHECK)) throw new AuthenticationError();
    } catch {
      throw new VaultLockedError('The unwrapped key does not open this vault (wrong key, or the key section of vault.json is damaged): the vault stays locked.');
    }
    const journal = await replayJournal(path.join(dir, VAULT_JOURNAL_FILE), doc);
    const reports: QuarantineReport[] = [];
    if (journal.damaged) {
      // Keep the damaged journal for inspection; what replayed before the damage is kept.
      reports.push(await quarantine(path.join(dir, VAULT_JOURNAL_FILE), journal.damaged, 'the vault changes recorded after the damaged line (re-enter or refresh those accounts)'));
    }
    const vault = new Vault(file, key, doc, wrapper, reports);
    if (journal.torn && !journal.damaged) {
      vault.repairs.push({
        file: path.join(dir, VAULT_JOURNAL_FILE),
        movedTo: null,
        reason: 'the last line was cut short (TokenDesk stopped while writing it)',
        lost: 'the one vault change being written at that moment (it had not been reported saved)',
      });
    }
    // Migrated, or a journal to fold in: persist only now that the vault is unlocked.
    const baseBytes = Buffer.byteLength(loaded.text);
    if (loaded.from < VAULT_FORMAT.current || journal.damaged) await vault.adoptJournal({ bytes: 0 }, baseBytes);
    else await vault.adoptJournal(journal, baseBytes);
    return vault;
  }
  const quarantined = loaded.status === 'quarantined' ? loaded.report : undefined;
  if (!create) {
    throw new VaultNotFoundError(quarantined ? `The vault was unreadable and was moved to ${quarantined.movedTo}.` : `No vault in ${dir}.`, quarantined);
  }
  const key = randomBytes(KEY_BYTES);
  const vaultId = randomUUID();
  const wrapped = await wrapper.wrap(key);
  const doc: VaultDoc = {
    schemaVersion: 1,
    vaultId,
    wrapper: wrapped.wrapper,
    wrappedKey: wrapped.wrappedKey,
    keyCheck: seal(key, KEY_CHECK, keyCheckAad(vaultId)),
    entries: {},
  };
  const vault = new Vault(file, key, doc, wrapper, quarantined ? [quarantined] : []);
  await vault.adoptJournal({ bytes: 0 }, 0); // writes the base and an empty journal
  return vault;
}
