import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDataDir, resolveDataDir } from '../../src/main/core/storage/data-dir.js';
import { makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

describe('resolveDataDir', () => {
  const home = '/home/ada';
  it('prefers --data-dir, then TOKENDESK_HOME', () => {
    expect(resolveDataDir({ dataDir: '/x/y', env: { TOKENDESK_HOME: '/t' }, home })).toBe('/x/y');
    expect(resolveDataDir({ env: { TOKENDESK_HOME: '/t' }, home })).toBe('/t');
  });

  it('uses the platform default otherwise', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home })).toBe('/home/ada/.config/tokendesk');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', home })).toBe('/xdg/tokendesk');
    expect(resolveDataDir({ env: {}, platform: 'darwin', home })).toBe('/home/ada/Library/Application Support/TokenDesk');
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home })).toBe('C:\\Users\\ada\\AppData\\Roaming\\TokenDesk');
  });
});

describe.skipIf(process.platform === 'win32')('ensureDataDir', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir();
  });
  afterEach(() => removeDir(root));

  it('creates the dir 0700', async () => {
    const dir = path.join(root, 'a', 'tokendesk');
    await ensureDataDir(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it('repairs loose modes: dir → 0700, files → 0600', async () => {
    const dir = path.join(root, 'd');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'vault.json'), '{}', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'vault.json'), 0o644);
    const { repaired } = await ensureDataDir(dir);
    expect(repaired.map((r) => [path.basename(r.path), r.from, r.to])).toEqual([
      ['d', 0o755, 0o700],
      ['vault.json', 0o644, 0o600],
    ]);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'vault.json'))).toBe(0o600);
  });

  it('sweeps temp files of dead writers, keeps those of live ones', async () => {
    const dir = path.join(root, 'd');
    fs.mkdirSync(dir);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const dead = `.vault.json.${deadPid}.0123456789ab.tmp`;
    const live = `.vault.json.${process.ppid}.0123456789ab.tmp`;
    for (const name of [dead, live]) fs.writeFileSync(path.join(dir, name), 'partial');
    const { sweptTempFiles } = await ensureDataDir(dir);
    expect(sweptTempFiles).toEqual([dead]);
    expect(fs.readdirSync(dir)).toEqual([live]);
  });
});
