// Refresh history (docs/ARCHITECTURE.md "History log"): append-only JSON lines, fsynced
// before an append is acknowledged (events that arrive together share one fsync). The
// first line of each file is a header carrying `schemaVersion`. When
// history.jsonl outgrows `maxBytes`, the newest `keepPerAccount` events of each account
// are compacted into history.1.jsonl and history.jsonl starts over. A crash between
// those two atomic steps is detected and finished at the next open.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RefreshEventSchema, type ErrorClass, type HistoryAction, type RefreshEvent, type RefreshEventInput } from '../../../shared/domain.js';
import { matchesOutcome } from '../../../shared/history-export.js';
import { DurableAppender, writeFileAtomic } from './atomic.js';
import { GroupCommit, type Settled } from './group-commit.js';
import { quarantine, type QuarantineReport } from './quarantine.js';
import { CorruptFileError, readDataFile, upgrade, type VersionedFormat } from './versioned.js';

export const HISTORY_FILE = 'history.jsonl';
export const HISTORY_ARCHIVE_FILE = 'history.1.jsonl';

// Format 2: every row carries `action` (and, from then on, `actor` and `accountName`).
// Format 1 recorded refreshes only: each of its rows is a refresh, or a sign-in.
const HEADER_FORMAT: VersionedFormat<{ schemaVersion: number }> = {
  label: 'refresh history',
  current: 2,
  migrations: { 1: (header) => header },
  schema: z.object({ schemaVersion: z.number() }),
};

/** A format-1 row as a format-2 row: its action from its trigger; the actor only where the trigger tells it. */
function rowFromFormat1(row: unknown): unknown {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  const old = row as Record<string, unknown>;
  const action: HistoryAction = old['trigger'] === 'sign_in' ? 'signed_in' : 'refreshed';
  return { ...old, action, ...(old['trigger'] === 'cli' ? { actor: 'cli' } : {}) };
}
const serializeEvents = (events: RefreshEvent[]) => events.map((e) => JSON.stringify(e) + '\n').join('');
const HEADER = JSON.stringify({ schemaVersion: HEADER_FORMAT.current, format: 'tokendesk-history' }) + '\n';

/** Events kept in memory while the disk refuses them (full, read-only); older ones beyond are dropped and counted. */
const MAX_UNSAVED = 10_000;
const RETRY_FIRST_MS = 1_000;
/** An event line is well under this: a longer unterminated tail is damage, not an append cut short. */
const MAX_TORN_LINE = 64 * 1024;
const RETRY_MAX_MS = 60_000;

/** An append failed: the event is kept in memory (listed) and written with a later append or retry. */
export class HistoryNotSavedError extends Error {
  override name = 'HistoryNotSavedError';
  /** The file system's error code (ENOSPC, EROFS…). */
  readonly code: string | undefined;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.code = (options.cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

export interface HistoryOptions {
  dir: string;
  /** Compact when history.jsonl grows past this. Default 5 MiB. */
  maxBytes?: number;
  /** Events kept per account. Default 500. */
  keepPerAccount?: number;
}

export interface HistoryQuery {
  accountId?: string;
  /** `error`: any failure; an error class: failures of that class. */
  outcome?: 'ok' | 'error' | ErrorClass;
  /** Only these actions (all when absent). */
  actions?: readonly HistoryAction[];
  limit?: number;
}

interface ParsedFile {
  events: RefreshEvent[];
  badLines: number;
  /** The file is in an older format: its rows were migrated and it is rewritten. */
  migrated: boolean;
  /** Bytes up to the last newline: anything after it is a torn append (a crash mid-write). */
  completeBytes: number;
  size: number;
}

function parseLines(file: string, text: string): ParsedFile {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  const [header, ...rest] = lines;
  let headerJson: unknown;
  try {
    headerJson = JSON.parse(header ?? '');
  } catch {
    throw new CorruptFileError('the refresh history has no readable header line');
  }
  const { from } = upgrade(headerJson, HEADER_FORMAT, file); // refuses a newer format, rejects a missing version
  const events: RefreshEvent[] = [];
  let badLines = 0;
  for (const line of rest) {
    try {
      const row: unknown = JSON.parse(line);
      events.push(RefreshEventSchema.parse(from === 1 ? rowFromFormat1(row) : row));
    } catch {
      badLines++;
    }
  }
  return { events, badLines, migrated: from < HEADER_FORMAT.current, completeBytes: Buffer.byteLength(complete), size: Buffer.byteLength(text) };
}

export class HistoryLog {
  /** Newest last, per account, at most keepPerAccount each. */
  #byAccount = new Map<string, RefreshEvent[]>();
  #order = new Map<string, number>(); // event id → append sequence, for "newest first" across accounts
  #seq = 0;
  #size = 0;
  // null: no new event, just write what is waiting (flush).
  readonly #appends = new GroupCommit<RefreshEvent | null>((jobs) => this.#appendBatch(jobs));
  /** history.jsonl, open across appends (no open, stat and close per batch); closed whenever the file is replaced. */
  readonly #appender: DurableAppender;
  /**
   * Events whose append failed (disk full, read-only): in memory and listed, written
   * before the next ones. A refresh event must not vanish because the disk was full.
   */
  #unsaved: RefreshEvent[] = [];
  #droppedUnsaved = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelay = RETRY_FIRST_MS;
  readonly file: string;
  readonly archiveFile: string;
  readonly maxBytes: number;
  readonly keepPerAccount: number;
  /** What was found damaged at open (torn last line, unreadable lines, unreadable file). */
  readonly reports: QuarantineReport[] = [];

  private constructor(options: HistoryOptions) {
    this.file = path.join(options.dir, HISTORY_FILE);
    this.archiveFile = path.join(options.dir, HISTORY_ARCHIVE_FILE);
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keepPerAccount = options.keepPerAccount ?? 500;
    this.#appender = new DurableAppender(this.file);
  }

  static async open(options: HistoryOptions): Promise<HistoryLog> {
    const log = new HistoryLog(options);
    const archived = (await log.#load(log.archiveFile)).events;
    const current = await log.#load(log.file);
    for (const event of archived) log.#remember(event);
    const last = current.events.at(-1);
    log.#size = current.size;
    // The newest event is always kept, so finding it in the archive means a compaction
    // stopped after its first step: finish it rather than re-adding old events as new.
    if (last && archived.some((e) => e.id === last.id)) await log.#startFile();
    else for (const event of current.events) log.#remember(event);
    return log;
  }

  /**
   * Durably appends one event; only schema fields are written (zod strips the rest).
   * Events that arrive while an append is in flight are written together with one
   * fsync (group commit).
   * Rejects if the append fails, or if the compaction it triggered fails (the event itself is then saved).
   */
  append(event: RefreshEventInput): Promise<void> {
    const parsed = RefreshEventSchema.safeParse(event);
    if (!parsed.success) return Promise.reject(parsed.error);
    const clean = parsed.data;
    return this.#appends.submit<void>(clean);
  }

  /** Events kept in memory because the disk refused them; 0 once everything is written. */
  get unsavedCount(): number {
    return this.#unsaved.length;
  }

  /** Writes the events kept in memory after a failed append. Rejects if the disk still refuses them. */
  flush(): Promise<void> {
    return this.#appends.submit<void>(null);
  }

  /** Stops the retry timer (the owner closes); a last flush is the caller's choice. */
  close(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    // The file closes once the batch being written (if any) is durable.
    void this.#appends.idle().then(() => this.#appender.close());
  }

  /** One write + fsync for every event that queued up meanwhile (and those an earlier failure left in memory). */
  async #appendBatch(jobs: (RefreshEvent | null)[]): Promise<Settled[]> {
    const events = jobs.filter((e): e is RefreshEvent => e !== null);
    const batch = [...this.#unsaved, ...events];
    for (const e of events) this.#remember(e); // listed at once, saved or not: the history shows what happened
    if (batch.length === 0) return jobs.map(() => ({ ok: true, value: undefined }));
    try {
      if (!fs.existsSync(this.file)) await this.#startFile();
      const text = serializeEvents(batch);
      await this.#appender.append(text); // all or nothing: a partial append is cut back off
      this.#size += Buffer.byteLength(text);
    } catch (error) {
      this.#unsaved = batch;
      const over = this.#unsaved.length - MAX_UNSAVED;
      if (over > 0) {
        this.#unsaved.splice(0, over);
        this.#droppedUnsaved += over;
      }
      this.#scheduleRetry();
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const dropped = this.#droppedUnsaved ? `; ${this.#droppedUnsaved} older event(s) could not be kept` : '';
      const notSaved = new HistoryNotSavedError(
        `the refresh history is not saved yet (${code}): ${this.#unsaved.length} event(s) kept in memory, written once the disk allows${dropped}`,
        { cause: error },
      );
      return jobs.map(() => ({ ok: false, error: notSaved }));
    }
    this.#unsaved = [];
    this.#retryDelay = RETRY_FIRST_MS;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    // The events are saved even if compaction fails; the callers still hear about it.
    const compacted: Settled = await (this.#size > this.maxBytes ? this.#compact() : Promise.resolve()).then(
      () => ({ ok: true, value: undefined }),
      (error: unknown) => ({ ok: false, error }),
    );
    return jobs.map(() => compacted);
  }

  /** Retries the write even when no new event comes to carry it (backoff up to a minute). */
  #scheduleRetry(): void {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_MAX_MS);
      this.flush().catch(() => undefined); // a failure schedules the next retry
    }, this.#retryDelay);
    this.#retryTimer.unref();
  }

  /** Newest first. */
  list(query: HistoryQuery = {}): RefreshEvent[] {
    const pools = query.accountId === undefined ? [...this.#byAccount.values()] : [this.#byAccount.get(query.accountId) ?? []];
    const events = pools.flat().filter((e) => matchesOutcome(e, query.outcome) && (query.actions === undefined || query.actions.includes(e.action)));
    events.sort((a, b) => (this.#order.get(b.id) ?? 0) - (this.#order.get(a.id) ?? 0));
    return query.limit === undefined ? events : events.slice(0, query.limit);
  }

  #remember(event: RefreshEvent): void {
    if (this.#order.has(event.id)) return; // a retried append of the same event is listed once
    this.#order.set(event.id, ++this.#seq);
    const events = this.#byAccount.get(event.accountId) ?? [];
    events.push(event);
    for (const dropped of events.splice(0, Math.max(0, events.length - this.keepPerAccount))) this.#order.delete(dropped.id);
    this.#byAccount.set(event.accountId, events);
  }

  async #startFile(): Promise<void> {
    await this.#appender.close(); // the next append opens the new file
    await writeFileAtomic(this.file, HEADER);
    this.#size = Buffer.byteLength(HEADER);
  }

  /** Archive ← everything kept (archive + current), then a fresh current file. */
  async #compact(): Promise<void> {
    const kept = this.list().reverse();
    await writeFileAtomic(this.archiveFile, HEADER + serializeEvents(kept));
    await this.#startFile();
  }

  /** The events of one file, repairing what a crash or damage left; `size` = bytes after repair. */
  async #load(file: string): Promise<{ events: RefreshEvent[]; size: number }> {
    const text = await readDataFile(file);
    if (text === undefined) return { events: [], size: 0 };
    let parsed: ParsedFile;
    try {
      parsed = parseLines(file, text);
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      this.reports.push(await quarantine(file, error.message, 'the refresh history in this file (accounts and secrets are not affected)'));
      return { events: [], size: 0 };
    }
    const { events } = parsed;
    if (parsed.badLines > 0) {
      // Keep the damaged file for inspection, carry on with what could be read.
      this.reports.push(await quarantine(file, `${parsed.badLines} unreadable line(s) in the refresh history`, `${parsed.badLines} refresh history event(s)`));
      const clean = HEADER + serializeEvents(events);
      await writeFileAtomic(file, clean);
      return { events, size: Buffer.byteLength(clean) };
    }
    const tail = text.slice(text.lastIndexOf('\n') + 1);
    if (parsed.completeBytes < parsed.size && (!tail.startsWith('{') || tail.length > MAX_TORN_LINE)) {
      // Not the start of one event line: no append was cut short here, the file was damaged. Keep it.
      this.reports.push(await quarantine(file, `the refresh history ends in ${parsed.size - parsed.completeBytes} bytes that are no refresh event`, 'nothing readable'));
      const clean = HEADER + serializeEvents(events);
      await writeFileAtomic(file, clean);
      return { events, size: Buffer.byteLength(clean) };
    }
    if (parsed.completeBytes < parsed.size) {
      // An append that never finished (its fsync never returned): cut it so the next append starts on a clean line.
      await fsp.truncate(file, parsed.completeBytes);
      this.reports.push({ file, movedTo: null, reason: 'the last line was cut short (TokenDesk stopped while writing it)', lost: 'the one refresh event being written at that moment' });
    }
    if (parsed.migrated) {
      // An older format: its rows, migrated, replace it atomically, so every line below the header is of the current format.
      const current = HEADER + serializeEvents(events);
      await writeFileAtomic(file, current);
      return { events, size: Buffer.byteLength(current) };
    }
    return { events, size: parsed.completeBytes };
  }
}
