// Where TokenDesk keeps its files, and keeping that place private (0700 dir, 0600 files).
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, TEMP_FILE_PATTERN } from './atomic.js';
import { isProcessAlive } from './owner-lock.js';

export interface DataDirSources {
  /** `--data-dir`, or Electron's `app.getPath('userData')`. Wins over everything. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

export function resolveDataDir(sources: DataDirSources = {}): string {
  const env = sources.env ?? process.env;
  const explicit = sources.dataDir || env['TOKENDESK_HOME'];
  if (explicit) return path.resolve(explicit);
  const home = sources.home ?? os.homedir();
  switch (sources.platform ?? process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'TokenDesk');
    case 'win32':
      return path.win32.join(env['APPDATA'] || path.win32.join(home, 'AppData', 'Roaming'), 'TokenDesk');
    default:
      return path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'tokendesk');
  }
}

export interface ModeRepair {
  path: string;
  from: number;
  to: number;
}

// Modes mean nothing on Windows: the profile directory's ACL protects the files there.
const POSIX = process.platform !== 'win32';

async function tighten(p: string, want: number): Promise<ModeRepair | undefined> {
  const stat = await fsp.stat(p).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined; // removed meanwhile (a lock released, a temp file renamed)
    throw error;
  });
  if (!stat) return undefined;
  const mode = stat.mode & 0o777;
  if (mode === want) return undefined;
  await fsp.chmod(p, want);
  return { path: p, from: mode, to: want };
}

/** Dir → 0700, every regular file in it → 0600. Returns what it changed. */
export async function repairModes(dir: string): Promise<ModeRepair[]> {
  if (!POSIX) return [];
  const repairs = [await tighten(dir, PRIVATE_DIR_MODE)];
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) repairs.push(await tighten(path.join(dir, entry.name), PRIVATE_FILE_MODE));
  }
  return repairs.filter((r): r is ModeRepair => r !== undefined);
}

/** Temp files of atomic writes whose writer is gone (killed mid-write): garbage. */
export async function sweepStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fsp.readdir(dir)) {
    const pid = Number(TEMP_FILE_PATTERN.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessAlive(pid)) continue; // ours may be in flight
    await fsp.rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Creates the data dir (0700) if needed, repairs modes and sweeps dead writers' temp files. */
export async function ensureDataDir(dir: string): Promise<{ dir: string; repaired: ModeRepair[]; sweptTempFiles: string[] }> {
  await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  return { dir, repaired: await repairModes(dir), sweptTempFiles: await sweepStaleTempFiles(dir) };
}
