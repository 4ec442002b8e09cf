// The owner's local socket: every input is validated; malformed messages get an
// error reply and never take the owner down.
import { statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OwnerClient } from '../../src/main/core/owner/socket-client.js';
import { ownerSocketPath } from '../../src/main/core/owner/socket-path.js';
import { openTestOwner, tempDir } from '../helpers/temp-owner.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function ownerWithSocket() {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const owner = await openTestOwner(dir, { serveSocket: true, schedule: false });
  cleanups.push(() => owner.close());
  return { dir, owner, path: ownerSocketPath(dir) };
}

/** Sends raw text and collects reply lines until `count` arrived. */
function exchange(path: string, text: string, count: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(path);
    const replies: unknown[] = [];
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        replies.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
      if (replies.length >= count) {
        socket.destroy();
        resolve(replies);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
    socket.write(text);
  });
}

describe('owner socket', () => {
  it('is a 0600 socket in the data dir', async () => {
    const { path } = await ownerWithSocket();
    if (process.platform === 'win32') return;
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('answers malformed messages with errors and keeps serving', async () => {
    const { path } = await ownerWithSocket();
    const bad = [
      'this is not json',
      '[1,2,3]',
      '"a string"',
      'null',
      JSON.stringify({ id: 1, method: 'no.such.call' }),
      JSON.stringify({ id: 2, method: 42 }),
      JSON.stringify({ id: 3, method: 'accounts.get', params: { account: 7 } }),
      JSON.stringify({ id: 4, method: 'accounts.add', params: { providerId: 'evil', name: 'x', values: {} } }),
      '{"id":5,"method":"accounts.add","params":{"__proto__":{"polluted":true},"providerId":"ups","name":"p","values":{"__proto__":"x"}}}',
      JSON.stringify({ id: 6, method: 'accounts.add', params: { providerId: 'ups', name: 'x'.repeat(10_000), values: {} } }),
      JSON.stringify({ id: 7, method: 'history.list', params: { limit: -1 } }),
      JSON.stringify({ id: 8, method: 'accounts.setPaused', params: { all: false, paused: 'yes' } }),
    ];
    const replies = (await exchange(path, bad.join('\n') + '\n', bad.length)) as { ok: boolean; error?: { code: string; message: string } }[];
    expect(replies).toHaveLength(bad.length);
    for (const r of replies) {
      expect(r.ok).toBe(false);
      expect(r.error?.code).toBe('invalid_input');
      expect(r.error?.message.length).toBeGreaterThan(5);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const client = await OwnerClient.connect(path);
    cleanups.push(async () => client.close());
    expect((await client.call('owner.status')).pid).toBe(process.pid);
    expect(await client.call('accounts.list')).toEqual([]);
  });

  it('refuses a message over 1 MiB and stays up', async () => {
    const { path } = await ownerWithSocket();
    const replies = (await exchange(path, '{"id":1,"method":"owner.status","params":{"x":"' + 'a'.repeat(1.5 * 1024 * 1024), 1)) as { error?: { message: string } }[];
    expect(replies[0]?.error?.message).toMatch(/larger than/);
    const client = await OwnerClient.connect(path);
    cleanups.push(async () => client.close());
    expect((await client.call('owner.status')).accounts).toBe(0);
  });

  it('pushes engine events to subscribers', async () => {
    const { path, owner } = await ownerWithSocket();
    const client = await OwnerClient.connect(path);
    cleanups.push(async () => client.close());
    const seen: string[] = [];
    await client.subscribe((event) => seen.push(event));
    owner.engine.emit('account-removed', { id: 'x' });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toContain('account-removed');
  });
});
