// A file that fails to parse or authenticate is moved aside and reported, never
// silently replaced (docs/ARCHITECTURE.md "Damaged files"): the user (or support) may still recover it.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, fsyncDirSync } from './atomic.js';

export interface QuarantineReport {
  file: string;
  /** Where the unreadable file now is; null when nothing had to be moved (a torn last line was cut). */
  movedTo: string | null;
  reason: string;
  /** What the user lost, in words for the UI. */
  lost: string;
}

/** `2024-05-01T12-30-00.123Z`: ISO time without the colons Windows forbids in names. */
export function fileSafeTimestamp(date = new Date()): string {
  return date.toISOString().replace(/:/g, '-');
}

/** `FILE.corrupt-TIME` (`-2`, `-3`… when taken): where a damaged file goes, never over an earlier one. */
export function corruptPathFor(file: string): string {
  const base = `${file}.corrupt-${fileSafeTimestamp()}`;
  let movedTo = base;
  for (let n = 1; fs.existsSync(movedTo); n++) movedTo = `${base}-${n}`; // never clobber an earlier one
  return movedTo;
}

export async function quarantine(file: string, reason: string, lost: string): Promise<QuarantineReport> {
  const movedTo = corruptPathFor(file);
  await fsp.rename(file, movedTo);
  await fsyncDir(path.dirname(file));
  return { file, movedTo, reason, lost };
}

/** quarantine() for a synchronous writer (the account store's write path). */
export function quarantineSync(file: string, reason: string, lost: string): QuarantineReport {
  const movedTo = corruptPathFor(file);
  fs.renameSync(file, movedTo);
  fsyncDirSync(path.dirname(file));
  return { file, movedTo, reason, lost };
}
