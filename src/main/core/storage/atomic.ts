// Durable writes (docs/ARCHITECTURE.md "Durable writes"): a write is reported only once it would survive
// a crash or a power cut. Replace = temp file in the same dir + fsync + rename +
// fsync of the directory (the rename itself lives in the directory). Errors always
// propagate: a caller that thinks a rotated refresh token was saved when it was not
// loses the account.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** `.<name>.<pid>.<random>.tmp`: the pid lets a later owner sweep what a killed writer left. */
export const TEMP_FILE_PATTERN = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

// Windows cannot open a directory for fsync; NTFS journals the rename instead.
const CAN_FSYNC_DIR = process.platform !== 'win32';

export async function fsyncDir(dir: string): Promise<void> {
  if (!CAN_FSYNC_DIR) return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncDirSync(dir: string): void {
  if (!CAN_FSYNC_DIR) return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Atomically replaces `file` with `data` (old or new content after any crash, never a mix). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): Promise<void> {
  const temp = tempPathFor(file);
  try {
    // 'wx': a fresh file, never someone's symlink; created with `mode`, so never briefly readable.
    const handle = await fsp.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined); // the original error matters more
    throw error;
  }
  await fsyncDir(path.dirname(file));
}

/** The same, synchronously: for the account store, whose API is synchronous (account-store.ts). */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): void {
  const temp = tempPathFor(file);
  try {
    const fd = fs.openSync(temp, 'wx', mode);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // the original error matters more
    }
    throw error;
  }
  fsyncDirSync(path.dirname(file));
}

/**
 * Appends `text` (e.g. one JSON line) and fsyncs before returning. A crash mid-append
 * can leave a torn last line: readers must tolerate it (history-log.ts does).
 */
export async function appendDurable(file: string, text: string, mode = PRIVATE_FILE_MODE): Promise<void> {
  const created = !fs.existsSync(file);
  const handle = await fsp.open(file, 'a', mode);
  try {
    const { size } = await handle.stat();
    try {
      await handle.writeFile(text);
      await handle.sync();
    } catch (error) {
      // A full disk takes part of the text (the file's last page still had room): cut the
      // part back off, or the next append would be glued to it and both lines read as damage.
      await handle.truncate(size).catch(() => undefined); // the original error matters more
      throw error;
    }
  } finally {
    await handle.close();
  }
  if (created) await fsyncDir(path.dirname(file)); // the new directory entry must be durable too
}

/**
 * An append-only file kept open across appends (the vault journal): each `append()` writes
 * and fdatasyncs — the data and the size that reads it back, without the timestamps a full
 * fsync also flushes — with no open, fstat or close per write. A failed append cuts the file
 * back to where it was and closes, so the next append starts from a clean end. `close()`
 * whenever the file is replaced under this path (the next append opens the new one); a file
 * replaced or removed behind its back is noticed by one stat, never written into the void.
 * Quiet for `idleCloseMs`, it closes the file: a burst of refreshes shares one open, and an
 * owner with nothing to save holds no file open for writing (which would keep, say, an
 * administrator's read-only remount of the disk busy).
 */
export class DurableAppender {
  #handle: fsp.FileHandle | undefined;
  #size = 0;
  #identity = '';
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    private readonly mode = PRIVATE_FILE_MODE,
    private readonly idleCloseMs = 100,
  ) {}

  async append(text: string): Promise<void> {
    clearTimeout(this.#idleTimer);
    // A synchronous stat (a few µs from the inode cache): the thread pool's round trip cost more
    // than the stat itself, once per batch of the vault journal and of the history.
    if (this.#handle && identity(statOrUndefined(this.file)) !== this.#identity) await this.close();
    const handle = this.#handle ?? (await this.#open());
    const bytes = Buffer.from(text);
    try {
      // The write itself is synchronous: it only copies into the page cache (a few µs), where the
      // thread pool's round trip cost ~130 µs of CPU on a busy machine. The fdatasync, which waits
      // for the disk, stays off the event loop.
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(handle.fd, bytes, written, bytes.length - written);
      await handle.datasync();
      this.#size += bytes.length;
      this.#idleTimer = setTimeout(() => void this.close(), this.idleCloseMs);
      this.#idleTimer.unref();
    } catch (error) {
      // A full disk takes part of the text: cut it back off, or the next append would be glued to it.
      await handle.truncate(this.#size).catch(() => undefined); // the original error matters more
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  async #open(): Promise<fsp.FileHandle> {
    const created = !fs.existsSync(this.file);
    const handle = await fsp.open(this.file, 'a', this.mode);
    try {
      const stats = await handle.stat();
      this.#size = stats.size;
      this.#identity = identity(stats);
      if (created) await fsyncDir(path.dirname(this.file)); // the new directory entry must be durable too
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.#handle = handle;
    return handle;
  }
}

const identity = (stats: fs.Stats | undefined): string => (stats ? `${stats.dev}:${stats.ino}` : '');

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // unreadable (a directory made unsearchable…): not the file we hold
  }
}
