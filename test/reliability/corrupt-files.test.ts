// Corrupt or foreign files in the data dir: for every file the data dir holds, write
// damaged variants and start a real owner on it — in this process (openTestOwner) and as the
// built CLI (`tokendesk list`, a one-shot owner). Each start must either refuse with a clear
// error naming the file, or start and report a quarantine (the file moved aside, byte-identical).
// In no case may the written bytes be lost, and a damaged vault is never replaced by an empty one.
// Prints a table: file × corruption → outcome.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageReport } from '../../src/shared/contract.js';
import { ACCOUNTS_FILE } from '../../src/main/core/storage/account-store.js';
import { HISTORY_ARCHIVE_FILE, HISTORY_FILE } from '../../src/main/core/storage/history-log.js';
import { OWNER_LOCK_FILE } from '../../src/main/core/storage/owner-lock.js';
import { VAULT_FILE, VAULT_JOURNAL_FILE } from '../../src/main/core/vault/vault.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir, TEST_PASSPHRASE } from '../helpers/temp-owner.js';

const FULL = process.env['RELIABILITY_SCALE'] === 'full';
const HUGE_BYTES = (FULL ? 256 : 24) * 1024 * 1024;
const CLI = path.resolve('out/main/cli.js');
const FILES = [ACCOUNTS_FILE, VAULT_FILE, VAULT_JOURNAL_FILE, HISTORY_FILE, HISTORY_ARCHIVE_FILE, OWNER_LOCK_FILE] as const;
type FileName = (typeof FILES)[number];
const CORRUPTIONS = ['truncated', 'random bytes', 'empty', 'wrong shape', 'future version', 'foreign app', 'directory', 'symlink elsewhere', 'no read permission', 'huge'] as const;
type Corruption = (typeof CORRUPTIONS)[number];

/** A lock left by a process that is gone (its pid cannot exist), as a crash leaves it. */
const deadLock = () => JSON.stringify({ pid: 2 ** 22 + 17, startedAt: new Date(Date.now() - 3_600_000).toISOString(), hostname: 'this-host' }) + '\n';

let root: string;
let baseline: string;
let outside: string;
let sim: Simulator;
let accountId: string;
let cleanupRoot: () => Promise<void>;

interface Written {
  /** What is at the file's path now: bytes, a directory, or a symlink to `target`. */
  kind: 'bytes' | 'directory' | 'symlink';
  sha?: string;
  size?: number;
  target?: string;
  targetSha?: string;
  /** Not applicable to this file (the format has no version). */
  na?: string;
  /** A well-formed lock of a process that is gone: taking it over (deleting it) is right. */
  staleLock?: boolean;
  /** Valid content with mode 000: root reads it anyway, so the owner uses it as usual (and may rewrite it). */
  validButUnreadable?: boolean;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Writes one corruption of `name` into `dir` (a copy of the baseline). */
async function corrupt(dir: string, name: FileName, how: Corruption): Promise<Written> {
  const file = path.join(dir, name);
  const original = name === OWNER_LOCK_FILE ? Buffer.from(deadLock().replace('this-host', (await import('node:os')).hostname())) : await fsp.readFile(file);
  const jsonl = name.endsWith('.jsonl') || name === VAULT_JOURNAL_FILE;
  let bytes: Buffer;
  switch (how) {
    case 'truncated':
      bytes = original.subarray(0, Math.floor(original.length / 2));
      break;
    case 'random bytes':
      bytes = randomBytes(4096);
      break;
    case 'empty':
      bytes = Buffer.alloc(0);
      break;
    case 'wrong shape':
      bytes = Buffer.from(jsonl ? '{"hello":"world"}\n[1,2,3]\n' : '[{"hello":"world"}, 42, null]\n');
      break;
    case 'future version': {
      if (name === OWNER_LOCK_FILE || name === VAULT_JOURNAL_FILE) return { kind: 'bytes', na: 'the format has no schemaVersion' };
      const text = original.toString('utf8');
      if (jsonl) {
        const [header, ...rest] = text.split('\n');
        bytes = Buffer.from([JSON.stringify({ ...JSON.parse(header!), schemaVersion: 99 }), ...rest].join('\n'));
      } else bytes = Buffer.from(JSON.stringify({ ...JSON.parse(text), schemaVersion: 99, newField: { from: 'the future' } }, null, '\t'));
      break;
    }
    case 'foreign app':
      bytes = Buffer.from(
        jsonl ? '{"level":30,"time":1700000000000,"msg":"server started","app":"other-app"}\n' : JSON.stringify({ name: 'other-app', theme: 'dark', windowBounds: { x: 1, y: 2 } }, null, 2),
      );
      break;
    case 'directory':
      await fsp.rm(file, { force: true });
      await fsp.mkdir(file);
      await fsp.writeFile(path.join(file, 'inside.txt'), 'a file inside the directory');
      return { kind: 'directory' };
    case 'symlink elsewhere': {
      const target = path.join(outside, `${path.basename(dir)}-${name}.target`);
      await fsp.writeFile(target, `foreign content that ${name} points to\n`);
      await fsp.rm(file, { force: true });
      await fsp.symlink(target, file);
      if (name === OWNER_LOCK_FILE) await fsp.utimes(target, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      return { kind: 'symlink', target, targetSha: sha(await fsp.readFile(target)) };
    }
    case 'no read permission':
      bytes = original;
      break;
    case 'huge': {
      // The start of a plausible document, then megabytes of junk: a damaged or runaway file.
      bytes = Buffer.alloc(HUGE_BYTES, 0x41);
      original.copy(bytes, 0, 0, Math.min(original.length, 64));
      break;
    }
  }
  await fsp.rm(file, { force: true });
  await fsp.writeFile(file, bytes, { mode: how === 'no read permission' ? 0o000 : 0o600 });
  if (how === 'no read permission') await fsp.chmod(file, 0o000);
  // A lock file is judged by its age: this one is a leftover, not one being written right now.
  if (name === OWNER_LOCK_FILE) await fsp.utimes(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const unreadable = how === 'no read permission' && name !== OWNER_LOCK_FILE;
  return { kind: 'bytes', sha: sha(bytes), size: bytes.length, staleLock: name === OWNER_LOCK_FILE && bytes.equals(original), validButUnreadable: unreadable };
}

const ROOT_READS = 'started, read as usual (root ignores mode 000)';
type ROOT_READS = typeof ROOT_READS;

interface Result {
  outcome: 'refused' | 'quarantined' | 'torn tail cut' | 'started, untouched' | 'started, empty file replaced' | 'started, stale lock taken over' | ROOT_READS;
  detail: string;
  /** Where the written bytes are now (the original path or a quarantine path). */
  keptAt?: string;
}

/** Where the written content is now, or undefined if it is gone. */
async function findKept(dir: string, name: FileName, written: Written, movedTo: string | null | undefined): Promise<string | undefined> {
  const candidates = [path.join(dir, name), ...(movedTo ? [movedTo] : []), ...(await fsp.readdir(dir)).filter((n) => n.startsWith(`${name}.corrupt-`)).map((n) => path.join(dir, n))];
  for (const c of candidates) {
    const st = await fsp.lstat(c).catch(() => undefined);
    if (!st) continue;
    if (written.kind === 'directory' && st.isDirectory() && fs.existsSync(path.join(c, 'inside.txt'))) return c;
    if (written.kind === 'symlink' && st.isSymbolicLink() && (await fsp.readlink(c)) === written.target) return c;
    if (written.kind === 'bytes' && st.isFile() && st.size === written.size && sha(await fsp.readFile(c)) === written.sha) return c;
  }
  return undefined;
}

async function classify(dir: string, name: FileName, written: Written, error: string | undefined, reports: StorageReport[]): Promise<Result> {
  const file = path.join(dir, name);
  const report = reports.find((r) => r.file === file);
  const keptAt = await findKept(dir, name, written, report?.movedTo);
  if (error !== undefined) return { outcome: 'refused', detail: error, keptAt };
  if (report?.movedTo) return { outcome: 'quarantined', detail: `${path.basename(report.movedTo)}: ${report.reason}`, keptAt };
  if (report && report.movedTo === null) return { outcome: 'torn tail cut', detail: report.reason, keptAt };
  if (written.validButUnreadable && process.getuid?.() === 0) return { outcome: ROOT_READS, detail: 'valid content, mode 000' };
  if (written.staleLock && !keptAt) return { outcome: 'started, stale lock taken over', detail: 'a readable lock of a process that is gone' };
  if (written.kind === 'bytes' && written.size === 0 && !keptAt) return { outcome: 'started, empty file replaced', detail: 'nothing to keep (0 bytes)' };
  return { outcome: 'started, untouched', detail: keptAt ? 'the file is as written' : 'the file is GONE', keptAt };
}

async function freshCopy(tag: string): Promise<string> {
  const dir = path.join(root, tag);
  await fsp.cp(baseline, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

async function runCli(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // Others may be rebuilding out/ meanwhile: wait for the bundle rather than judge a missing file.
  for (let i = 0; i < 300 && !fs.existsSync(CLI); i++) await new Promise((r) => setTimeout(r, 200));
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'list', '--json', '--data-dir', dir], { env: { ...process.env, TOKENDESK_PASSPHRASE: TEST_PASSPHRASE }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Checks shared by both ways of starting; returns the table cell. */
async function judge(dir: string, name: FileName, how: Corruption, written: Written, result: Result, accountsSeen: string[] | undefined): Promise<string> {
  const where = `${name} × ${how}`;
  // The written content is never lost: still in place, or moved aside byte-identical.
  if (!(['started, empty file replaced', 'torn tail cut', 'started, stale lock taken over', ROOT_READS] as string[]).includes(result.outcome)) {
    expect(result.keptAt, `${where}: the written content must still exist (${result.outcome}: ${result.detail})`).toBeTruthy();
  }
  if (result.outcome === 'torn tail cut') {
    // Crash recovery by design: an append that never finished is cut; every complete line is kept.
    const text = await fsp.readFile(path.join(dir, name), 'utf8');
    expect(text.endsWith('\n') || text === '', `${where}: clean line end`).toBe(true);
  }
  if (result.outcome === 'refused') {
    expect(result.detail, `${where}: the error names the file`).toContain(name);
    if (written.kind === 'bytes' && !written.na) expect(result.keptAt, `${where}: a refused file is left in place`).toBe(path.join(dir, name));
  }
  if (written.kind === 'symlink') {
    // Whatever happened to the link, its target (someone else's file) is untouched.
    expect(sha(await fsp.readFile(written.target!)), `${where}: symlink target untouched`).toBe(written.targetSha);
  }
  if (name === VAULT_FILE && result.outcome !== 'refused') {
    // A started owner on a damaged vault must still hold the real secrets, never an empty vault.
    expect(accountsSeen, `${where}: the vault's account is still there`).toContain(accountId);
  }
  if (name === VAULT_FILE) expect(['refused', ROOT_READS], `${where}: a damaged vault is refused`).toContain(result.outcome);
  // A journal cut short keeps every complete change (the account's secrets were in it).
  if (name === VAULT_JOURNAL_FILE && (result.outcome === 'torn tail cut' || result.outcome === ROOT_READS)) expect(accountsSeen, `${where}: the vault's account is still there`).toContain(accountId);
  return result.outcome;
}

const table = new Map<string, { owner: string; cli: string }>();

describe('corrupt or foreign files in the data dir: quarantined and reported, never overwritten', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before this test');
    const t = await tempDir('tokendesk-corrupt-');
    root = t.dir;
    cleanupRoot = t.cleanup;
    baseline = path.join(root, 'baseline');
    outside = path.join(root, 'outside');
    await fsp.mkdir(outside);
    sim = await startSimulator('ups', { accessTtlSec: 3600, rotate: true, reuseDetection: true });
    // A real data dir: one account, one refresh (vault journal line, history row), an archive.
    const owner = await openTestOwner(baseline, { schedule: false });
    try {
      const grant = sim.issue();
      const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
      accountId = (await call(owner, 'accounts.add', { providerId: 'ups', name: 'ups-prod', baseUrl: sim.url, values })).id;
      await call(owner, 'accounts.refresh', { account: accountId });
      await call(owner, 'accounts.refresh', { account: accountId });
    } finally {
      await owner.close();
    }
    // An archive as a compaction leaves it (older events), then one event more in history.jsonl.
    await fsp.copyFile(path.join(baseline, HISTORY_FILE), path.join(baseline, HISTORY_ARCHIVE_FILE));
    const again = await openTestOwner(baseline, { schedule: false });
    try {
      await call(again, 'accounts.refresh', { account: accountId });
    } finally {
      await again.close();
    }
    for (const f of FILES.filter((n) => n !== OWNER_LOCK_FILE)) expect(fs.existsSync(path.join(baseline, f)), f).toBe(true);
  }, 60_000);

  afterAll(async () => {
    const rows = [...table.entries()].map(([k, v]) => `${k.padEnd(42)} ${v.owner.padEnd(30)} ${v.cli}`);
    console.log(['file × corruption'.padEnd(42) + ' openTestOwner'.padEnd(31) + ' built CLI (`list`)', ...rows].join('\n'));
    await sim?.close();
    await cleanupRoot?.();
  });

  for (const name of FILES) {
    it(`${name}: every corruption is refused or quarantined, the bytes kept`, async () => {
      for (const how of CORRUPTIONS) {
        const tag = `${name}-${how}`.replace(/[^a-z0-9.]+/gi, '_');

        // 1. openTestOwner in this process.
        const dirA = await freshCopy(`${tag}-owner`);
        const writtenA = await corrupt(dirA, name, how);
        if (writtenA.na) {
          table.set(`${name} × ${how}`, { owner: `n/a: ${writtenA.na}`, cli: 'n/a' });
          await fsp.rm(dirA, { recursive: true, force: true });
          continue;
        }
        let error: string | undefined;
        let reports: StorageReport[] = [];
        let accountsSeen: string[] | undefined;
        try {
          const owner = await openTestOwner(dirA, { schedule: false });
          try {
            reports = (await call(owner, 'owner.status')).storageReports ?? [];
            accountsSeen = (await call(owner, 'accounts.list')).filter((a) => a.hasAccessToken).map((a) => a.id);
          } finally {
            await owner.close();
          }
        } catch (err) {
          error = (err as Error).message;
        }
        const a = await classify(dirA, name, writtenA, error, reports);
        const ownerCell = await judge(dirA, name, how, writtenA, a, accountsSeen);

        // 2. The built CLI: a one-shot owner (exit code, stderr).
        const dirB = await freshCopy(`${tag}-cli`);
        const writtenB = await corrupt(dirB, name, how);
        const run = await runCli(dirB);
        const cliReports: StorageReport[] = [];
        for (const line of run.stderr.split('\n')) {
          const m = /^tokendesk: warning: (\S+) was unreadable \((.*)\); it was moved to (\S+) and kept/.exec(line);
          if (m) cliReports.push({ file: m[1]!, reason: m[2]!, movedTo: m[3]!, lost: '' });
          const torn = /^tokendesk: warning: (\S+): (the last line was cut short.*)\. Lost/.exec(line);
          if (torn) cliReports.push({ file: torn[1]!, reason: torn[2]!, movedTo: null, lost: '' });
        }
        const cliAccounts = run.code === 0 ? (JSON.parse(run.stdout) as { id: string; hasAccessToken: boolean }[]).filter((x) => x.hasAccessToken).map((x) => x.id) : undefined;
        const b = await classify(dirB, name, writtenB, run.code === 0 ? undefined : run.stderr.trim(), cliReports);
        if (b.outcome === 'refused') expect(run.code, `${name} × ${how}: CLI exit code`).not.toBe(0);
        const cliCell = await judge(dirB, name, how, writtenB, b, cliAccounts);
        // Both ways of starting an owner behave the same.
        expect(`${cliCell}`, `${name} × ${how}: CLI vs in-process`).toBe(ownerCell);
        table.set(`${name} × ${how}`, { owner: ownerCell, cli: `${cliCell}${b.outcome === 'refused' ? ` (exit ${run.code})` : ''}` });
        for (const d of [dirA, dirB]) await fsp.rm(d, { recursive: true, force: true });
      }
    }, 180_000);
  }
});

describe('a file changed behind a running owner', () => {
  it('accounts.json rewritten by another program is moved aside at the next save, reported by owner.status, and the accounts kept', async () => {
    const t = await tempDir('tokendesk-behind-');
    const ups = await startSimulator('ups', { accessTtlSec: 3600 });
    const owner = await openTestOwner(t.dir, { schedule: false });
    try {
      const grant = ups.issue();
      const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
      await call(owner, 'accounts.add', { providerId: 'ups', name: 'kept', baseUrl: ups.url, values });
      const foreign = '{"someOtherApp": true}\n';
      await fsp.writeFile(path.join(t.dir, ACCOUNTS_FILE), foreign);
      expect((await call(owner, 'owner.status', {})).storageReports).toBeUndefined();
      await call(owner, 'accounts.setPaused', { account: 'kept', paused: true }); // a save
      const reports = (await call(owner, 'owner.status', {})).storageReports ?? [];
      expect(reports).toHaveLength(1);
      expect(reports[0]!.reason).toMatch(/changed by another program/);
      expect(await fsp.readFile(reports[0]!.movedTo!, 'utf8')).toBe(foreign);
      expect((await call(owner, 'accounts.list', {})).map((a) => a.name)).toEqual(['kept']);
    } finally {
      await owner.close();
      await ups.close();
      await t.cleanup();
    }
  });
});
