import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendDurable, DurableAppender, writeFileAtomic, writeFileAtomicSync } from '../../src/main/core/storage/atomic.js';
import { isRoot, makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(dir);
});

const eio = () => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });

describe.each([
  ['writeFileAtomic', (file: string, data: string) => writeFileAtomic(file, data)],
  ['writeFileAtomicSync', async (file: string, data: string) => writeFileAtomicSync(file, data)],
])('%s', (_name, write) => {
  it('replaces the content, creates the file 0600 and leaves no temp file', async () => {
    const file = path.join(dir, 'a.json');
    await write(file, 'one');
    await write(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('rejects when the parent is a file (ENOTDIR), even as root', async () => {
    fs.writeFileSync(path.join(dir, 'plain'), 'x');
    await expect(write(path.join(dir, 'plain', 'a.json'), 'x')).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('rejects when the rename fails, and removes its temp file', async () => {
    fs.mkdirSync(path.join(dir, 'a.json')); // rename(file → existing directory) fails
    await expect(write(path.join(dir, 'a.json'), 'x')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) });
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it.skipIf(isRoot)('rejects in a read-only directory (skipped as root: chmod does not stop root)', async () => {
    fs.chmodSync(dir, 0o500);
    await expect(write(path.join(dir, 'a.json'), 'x')).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('durability', () => {
  it('the sync variant fsyncs the file and then the directory', async () => {
    const synced: string[] = [];
    const real = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(fs.fstatSync(fd).isDirectory() ? 'dir' : 'file');
      real(fd);
    });
    writeFileAtomicSync(path.join(dir, 'a.json'), 'x');
    expect(synced).toEqual(['file', 'dir']);
  });

  it('the async variants fsync the file and then the directory (appendDurable: the directory only when it created the file)', async () => {
    const handle = await fsp.open(dir, 'r');
    const proto = Object.getPrototypeOf(handle) as { sync(this: fsp.FileHandle): Promise<void> };
    await handle.close();
    const realSync = proto.sync;
    const synced: string[] = [];
    vi.spyOn(proto, 'sync').mockImplementation(async function (this: fsp.FileHandle) {
      synced.push((await this.stat()).isDirectory() ? 'dir' : 'file');
      return realSync.call(this);
    });
    await writeFileAtomic(path.join(dir, 'a.json'), 'x');
    expect(synced).toEqual(['file', 'dir']);
    synced.length = 0;
    await appendDurable(path.join(dir, 'log.jsonl'), 'one\n');
    await appendDurable(path.join(dir, 'log.jsonl'), 'two\n');
    expect(synced).toEqual(['file', 'dir', 'file']);
  });

  it('an fsync error propagates (sync) and the old content stays', async () => {
    const file = path.join(dir, 'a.json');
    writeFileAtomicSync(file, 'old');
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw eio();
    });
    expect(() => writeFileAtomicSync(file, 'new')).toThrow(/EIO/);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('an fsync error propagates (async) and the old content stays', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'old');
    const handle = await fsp.open(file, 'r');
    const proto = Object.getPrototypeOf(handle) as { sync(): Promise<void> };
    await handle.close();
    vi.spyOn(proto, 'sync').mockRejectedValue(eio());
    await expect(writeFileAtomic(file, 'new')).rejects.toThrow(/EIO/);
    await expect(appendDurable(file, 'more')).rejects.toThrow(/EIO/);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^old/);
  });

  it('appendDurable appends, creating the file 0600', async () => {
    const file = path.join(dir, 'log.jsonl');
    await appendDurable(file, '{"a":1}\n');
    await appendDurable(file, '{"a":2}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(mode(file)).toBe(0o600);
  });
});

describe('DurableAppender', () => {
  /** FileHandle.prototype: every handle shares it, so a spy sees the appender's own handle. */
  async function handleProto(): Promise<{ datasync(this: fsp.FileHandle): Promise<void>; sync(this: fsp.FileHandle): Promise<void>; close(this: fsp.FileHandle): Promise<void> }> {
    const handle = await fsp.open(dir, 'r');
    await handle.close();
    return Object.getPrototypeOf(handle);
  }

  it('keeps one handle open across appends, fdatasyncs each, and syncs the directory only when it created the file', async () => {
    const proto = await handleProto();
    const datasync = vi.spyOn(proto, 'datasync');
    const sync = vi.spyOn(proto, 'sync');
    const opened = vi.spyOn(fsp, 'open');
    const file = path.join(dir, 'log.jsonl');
    const log = new DurableAppender(file);
    for (const line of ['one\n', 'two\n', 'three\n']) await log.append(line);
    expect(fs.readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
    expect(mode(file)).toBe(0o600);
    expect(opened.mock.calls.map((c) => c[0])).toEqual([file, dir]); // the file once, its directory once (new entry)
    expect(datasync).toHaveBeenCalledTimes(3);
    expect(sync).toHaveBeenCalledTimes(1); // the directory
    await log.close();
  });

  it('a failed append cuts the partial text back off and rejects; the next append starts clean', async () => {
    const proto = await handleProto();
    const file = path.join(dir, 'log.jsonl');
    const log = new DurableAppender(file);
    await log.append('one\n');
    vi.spyOn(proto, 'datasync').mockRejectedValueOnce(eio());
    await expect(log.append('torn\n')).rejects.toThrow(/EIO/);
    expect(fs.readFileSync(file, 'utf8')).toBe('one\n');
    await log.append('two\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    await log.close();
  });

  it('a file replaced or removed behind its back is reopened, or the append fails — never written into the void', async () => {
    const file = path.join(dir, 'log.jsonl');
    const log = new DurableAppender(file);
    await log.append('one\n');
    fs.rmSync(file);
    fs.writeFileSync(file, 'fresh\n', { mode: 0o600 });
    await log.append('two\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('fresh\ntwo\n');
    fs.rmSync(file);
    fs.mkdirSync(file); // appending to a directory fails, even for root
    await expect(log.append('three\n')).rejects.toThrow(/EISDIR/);
    await log.close();
  });
});
