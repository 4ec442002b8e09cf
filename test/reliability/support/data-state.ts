// What "the owner's data is unchanged" means for the bad-input suites: every entry of the
// data dir (mode + sha256 of regular files) and what the owner lists.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Owner } from '../../../src/main/core/owner/owner.js';
import { call } from '../../helpers/temp-owner.js';

export interface DataState {
  files: Record<string, string>;
  accounts: unknown;
  history: unknown;
}

export async function dataState(dataDir: string, owner: Owner): Promise<DataState> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const { mode } = await stat(full);
    const content = entry.isFile() ? createHash('sha256').update(await readFile(full)).digest('hex') : entry.isDirectory() ? 'dir' : 'other';
    files[path.relative(dataDir, full)] = `${(mode & 0o7777).toString(8)} ${content}`;
  }
  return { files, accounts: await call(owner, 'accounts.list'), history: await call(owner, 'history.list', { limit: 10_000 }) };
}
