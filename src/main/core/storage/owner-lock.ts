// One owner per data dir (docs/ARCHITECTURE.md "Owner model"): only the owner runs schedulers and
// writes. Two schedulers on one account would replay rotated refresh tokens.
// The lock is a file created with O_EXCL that names its holder; a holder that died
// (pid gone) leaves a stale lock, which the next process takes over.
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fsyncDir, PRIVATE_FILE_MODE } from './atomic.js';
import { corruptPathFor, type QuarantineReport } from './quarantine.js';
import { UnreadableFileError } from './versioned.js';

export const OWNER_LOCK_FILE = 'owner.lock';

export interface OwnerInfo {
  pid: number;
  /** ISO time, for humans reading the file. */
  startedAt: string;
  hostname: string;
}

export interface OwnerLock {
  readonly file: string;
  readonly info: OwnerInfo;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
  /** A stale lock file whose content was no TokenDesk lock, moved aside (not deleted) when this lock was taken. */
  readonly reports: QuarantineReport[];
}

export class OwnerLockedError extends Error {
  override name = 'OwnerLockedError';
  constructor(
    readonly dir: string,
    readonly holder: OwnerInfo | undefined,
  ) {
    super(
      holder
        ? `TokenDesk is already running on this data dir (pid ${holder.pid}` +
            `${holder.hostname === os.hostname() ? '' : ` on ${holder.hostname}`}, since ${holder.startedAt}): ${dir}. ` +
            'Use that instance (the CLI talks to it), or stop it first.'
        : `Another TokenDesk process is taking ownership of this data dir right now: ${dir}. Try again in a moment.`,
    );
  }
}

/** True if a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A lock file with no readable content yet is being written by a racer, unless it is
// older than this (its writer died between create and write).
const HALF_WRITTEN_GRACE_MS = 5_000;
const heldByThisProcess = new Set<string>();

function parseInfo(raw: Buffer): OwnerInfo | undefined {
  try {
    const v = JSON.parse(raw.toString('utf8')) as Partial<OwnerInfo>;
    if (Number.isInteger(v.pid) && typeof v.startedAt === 'string' && typeof v.hostname === 'string') return v as OwnerInfo;
  } catch {
    // fall through: unreadable
  }
  return undefined;
}

async function readRaw(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw UnreadableFileError.from(file, error); // a directory in its place, no permission…: say which file
  }
}

/** The current holder as written in the lock file, if any (alive or not). */
export async function readOwnerLock(dir: string): Promise<OwnerInfo | undefined> {
  const raw = await readRaw(path.join(dir, OWNER_LOCK_FILE));
  return raw && parseInfo(raw);
}

/** Whether the process a lock file names still holds it. */
function holderRuns(file: string, info: OwnerInfo): boolean {
  if (info.hostname !== os.hostname()) return true; // cannot see that host's processes: assume alive
  // Our own pid in a lock we do not hold: a previous run (containers reuse pid 1).
  if (info.pid === process.pid) return heldByThisProcess.has(file);
  return isProcessAlive(info.pid);
}

/** True while a live process holds the data dir's lock (e.g. an owner still starting); false with no lock, a stale one, or one not written yet. */
export async function ownerLockHeld(dir: string): Promise<boolean> {
  const info = await readOwnerLock(dir);
  return info !== undefined && holderRuns(path.join(dir, OWNER_LOCK_FILE), info);
}

async function isStale(file: string, raw: Buffer, info: OwnerInfo | undefined): Promise<boolean> {
  if (!info) {
    const stat = await fsp.stat(file).catch(() => undefined);
    return !stat || Date.now() - stat.mtimeMs > HALF_WRITTEN_GRACE_MS;
  }
  return !holderRuns(file, info);
}

/**
 * Moves a stale lock out of the way. Two processes may judge the same lock stale at
 * once: each renames the file aside and checks it moved the stale one; if it moved
 * a fresh lock that the other just created, it puts it back (link fails if a third
 * lock appeared meanwhile; that three-way race is the one case this cannot settle).
 */
/** Returns where a stale file that was no lock of ours was moved, if it was one. */
async function removeStale(file: string, staleRaw: Buffer): Promise<string | undefined> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let keep = false;
  let movedTo: string | undefined;
  try {
    if (!(await fsp.readFile(aside)).equals(staleRaw)) await fsp.link(aside, file).catch(() => undefined);
    // Bytes that are no lock of ours (damage, another program's file) are not ours to delete: keep them for the user.
    else keep = staleRaw.length > 0 && !parseInfo(staleRaw);
    if (keep) await fsp.rename(aside, (movedTo = corruptPathFor(file)));
  } finally {
    if (!keep) await fsp.rm(aside, { force: true });
  }
  return movedTo;
}

export async function acquireOwnerLock(dir: string): Promise<OwnerLock> {
  const file = path.join(dir, OWNER_LOCK_FILE);
  const info: OwnerInfo = { pid: process.pid, startedAt: new Date().toISOString(), hostname: os.hostname() };
  const content = Buffer.from(JSON.stringify(info) + '\n');
  const reports: QuarantineReport[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    let created = false;
    try {
      const handle = await fsp.open(file, 'wx', PRIVATE_FILE_MODE);
      created = true;
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsyncDir(dir);
      heldByThisProcess.add(file);
      return {
        file,
        info,
        reports,
        release: async () => {
          if (!heldByThisProcess.delete(file)) return;
          const raw = await readRaw(file);
          if (raw?.equals(content)) await fsp.rm(file, { force: true });
        },
      };
    } catch (error) {
      if (created) await fsp.rm(file, { force: true }); // never leave a half-written lock behind
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const raw = await readRaw(file);
    if (!raw) continue; // released meanwhile
    const holder = parseInfo(raw);
    if (!(await isStale(file, raw, holder))) throw new OwnerLockedError(dir, holder);
    const movedTo = await removeStale(file, raw);
    if (movedTo) {
      reports.push({ file, movedTo, reason: 'the lock file held no TokenDesk lock (unreadable content) and was older than a lock being written', lost: 'nothing: a lock file holds no data' });
    }
  }
  throw new OwnerLockedError(dir, await readOwnerLock(dir));
}

/** Retries acquireOwnerLock until it succeeds or `timeoutMs` passes (then the last OwnerLockedError). */
export async function waitForOwnerLock(dir: string, options: { timeoutMs: number; pollMs?: number }): Promise<OwnerLock> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      return await acquireOwnerLock(dir);
    } catch (error) {
      if (!(error instanceof OwnerLockedError) || Date.now() >= deadline) throw error;
    }
    await sleep(Math.min(options.pollMs ?? 100, Math.max(0, deadline - Date.now())));
  }
}
