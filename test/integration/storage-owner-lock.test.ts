import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireOwnerLock, OWNER_LOCK_FILE, OwnerLockedError, readOwnerLock, waitForOwnerLock } from '../../src/main/core/storage/owner-lock.js';
import { deadPid, exited, spawnFixture, waitForLine } from '../fixtures/child-process.js';
import { makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

const writeLock = (info: object) => fs.writeFileSync(path.join(dir, OWNER_LOCK_FILE), JSON.stringify(info));

describe('owner lock', () => {
  it('refuses a second owner while a live process holds it, naming its pid; takes over once it is killed', async () => {
    const child = spawnFixture('owner-lock-child.ts', [dir]);
    try {
      await waitForLine(child, /locked/);
      const error = await acquireOwnerLock(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OwnerLockedError);
      expect((error as OwnerLockedError).holder?.pid).toBe(child.pid);
      expect((error as Error).message).toContain(`TokenDesk is already running on this data dir (pid ${child.pid}`);
      child.kill('SIGKILL');
      await exited(child);
      const lock = await acquireOwnerLock(dir); // stale: its holder is dead
      expect((await readOwnerLock(dir))?.pid).toBe(process.pid);
      await lock.release();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('waitForOwnerLock gets it once the holder releases, and times out while it does not', async () => {
    const child = spawnFixture('owner-lock-child.ts', [dir]);
    try {
      await waitForLine(child, /locked/);
      await expect(waitForOwnerLock(dir, { timeoutMs: 300, pollMs: 50 })).rejects.toBeInstanceOf(OwnerLockedError);
      const waiting = waitForOwnerLock(dir, { timeoutMs: 15_000, pollMs: 50 });
      child.stdin.end(); // the child releases and exits
      const lock = await waiting;
      expect(lock.info.pid).toBe(process.pid);
      await lock.release();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a stale lock left by a dead pid', async () => {
    writeLock({ pid: deadPid(), startedAt: '2024-01-01T00:00:00.000Z', hostname: os.hostname() });
    const lock = await acquireOwnerLock(dir);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toEqual(lock.info);
    expect(mode(lock.file)).toBe(0o600);
    await lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  it('takes over a lock naming our own pid that we do not hold (pid reuse after a restart, e.g. pid 1 in containers)', async () => {
    writeLock({ pid: process.pid, startedAt: '2024-01-01T00:00:00.000Z', hostname: os.hostname() });
    const lock = await acquireOwnerLock(dir);
    // The file now names this run's lock, not the old one, and nothing was moved aside.
    expect(lock.info.pid).toBe(process.pid);
    expect(lock.info.startedAt).not.toBe('2024-01-01T00:00:00.000Z');
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toEqual(lock.info);
    expect(lock.reports).toEqual([]);
    await lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  it('refuses a second lock in the same process, and a holder on another host', async () => {
    const lock = await acquireOwnerLock(dir);
    await expect(acquireOwnerLock(dir)).rejects.toBeInstanceOf(OwnerLockedError);
    await lock.release();
    await lock.release(); // idempotent
    writeLock({ pid: deadPid(), startedAt: '2024-01-01T00:00:00.000Z', hostname: 'elsewhere' });
    await expect(acquireOwnerLock(dir)).rejects.toThrow(/pid \d+ on elsewhere/);
  });

  it('a lock file with no content is left alone while fresh (being written), taken over when old', async () => {
    const file = path.join(dir, OWNER_LOCK_FILE);
    fs.writeFileSync(file, '');
    await expect(acquireOwnerLock(dir)).rejects.toThrow(/taking ownership of this data dir right now/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    await (await acquireOwnerLock(dir)).release();
  });

  it('release leaves alone a lock that is no longer ours', async () => {
    const lock = await acquireOwnerLock(dir);
    writeLock({ pid: 4242, startedAt: 'x', hostname: 'y' });
    await lock.release();
    expect(fs.existsSync(lock.file)).toBe(true);
  });

  it('many processes racing for a stale lock: exactly one wins', async () => {
    writeLock({ pid: deadPid(), startedAt: '2024-01-01T00:00:00.000Z', hostname: os.hostname() });
    const children = Array.from({ length: 4 }, () => spawnFixture('owner-lock-child.ts', [dir]));
    try {
      const results = await Promise.allSettled(children.map((c) => waitForLine(c, /locked/, 20_000)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }
  });
});
