// A real, small tmpfs for disk-trouble tests: mounted on a fresh mkdtemp mount point,
// filled to ENOSPC with a filler file, remounted read-only and back. Needs root (or
// CAP_SYS_ADMIN); `probeTmpfs()` says why not, so a test can skip with that reason
// instead of faking a pass.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

function errorText(error: unknown): string {
  const e = error as { stderr?: Buffer; message?: string };
  return (e.stderr?.toString().trim() || e.message || String(error)).split('\n')[0]!;
}

/** undefined when a tmpfs can be mounted here; else the reason it cannot. */
export function probeTmpfs(): string | undefined {
  if (process.platform !== 'linux') return `tmpfs mounts need Linux (this is ${process.platform})`;
  const point = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-tmpfs-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', point]);
  } catch (error) {
    fs.rmdirSync(point);
    const uid = process.getuid?.();
    return `cannot mount a tmpfs (uid ${uid}${uid === 0 ? '' : ', not root'}; needs CAP_SYS_ADMIN): ${errorText(error)}`;
  }
  try {
    run('mount', ['-o', 'remount,ro', point]);
    run('mount', ['-o', 'remount,rw', point]);
  } catch (error) {
    return `can mount a tmpfs but not remount it read-only: ${errorText(error)}`;
  } finally {
    run('umount', [point]);
    fs.rmdirSync(point);
  }
  return undefined;
}

export interface Tmpfs {
  /** The mount point (the tmpfs root). */
  readonly root: string;
  readonly sizeBytes: number;
  /** Writes a filler file at the tmpfs root until ENOSPC; resolves with its size. */
  fill(): Promise<number>;
  /** Deletes the filler: the disk "recovers". */
  unfill(): Promise<void>;
  remountReadOnly(): Promise<void>;
  remountReadWrite(): Promise<void>;
  /** Unmounts (lazily if busy) and removes the mount point. Idempotent, never throws. */
  unmount(): Promise<void>;
}

export async function mountTmpfs(sizeBytes: number): Promise<Tmpfs> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'tokendesk-tmpfs-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', root]);
  } catch (error) {
    await fsp.rmdir(root);
    throw error;
  }
  let mounted = true;
  const filler = path.join(root, 'filler.bin');

  // A remount fails with EBUSY while a file on it is open for writing (an append in flight, or
  // the vault journal during a burst of saves): retry for up to 10 s.
  const remount = async (mode: 'ro' | 'rw') => {
    for (let attempt = 0; ; attempt++) {
      try {
        run('mount', ['-o', `remount,${mode}`, root]);
        return;
      } catch (error) {
        if (attempt >= 500) throw error;
        await sleep(20);
      }
    }
  };

  return {
    root,
    sizeBytes,
    async fill() {
      const handle = await fsp.open(filler, 'a');
      let written = 0;
      try {
        for (const size of [64 * 1024, 4096, 1]) {
          const chunk = Buffer.alloc(size, 0x5a);
          for (;;) {
            try {
              const { bytesWritten } = await handle.write(chunk);
              written += bytesWritten;
              if (bytesWritten < size) break;
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
              break;
            }
          }
        }
      } finally {
        await handle.close();
      }
      return written;
    },
    async unfill() {
      await fsp.rm(filler, { force: true });
    },
    remountReadOnly: () => remount('ro'),
    remountReadWrite: () => remount('rw'),
    async unmount() {
      if (!mounted) return;
      mounted = false;
      try {
        run('umount', [root]);
      } catch {
        try {
          run('umount', ['-l', root]); // something still holds it: detach now, the kernel frees it later
        } catch {
          // nothing more to do; reported by the mount point left behind
        }
      }
      await fsp.rmdir(root).catch(() => undefined);
    },
  };
}
