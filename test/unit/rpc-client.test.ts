// The client core both owner clients share (the CLI's socket client, the dashboard's
// WebSocket transport): ids, replies matched to calls, events, timeouts, lost connections.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RpcClient } from '../../src/shared/rpc-client.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('RpcClient', () => {
  it('numbers calls, serializes them as {id, method, params} and matches replies by id in any order', async () => {
    const sent: string[] = [];
    const rpc = new RpcClient({ send: (text) => sent.push(text) });
    const first = rpc.call('owner.status', {});
    const second = rpc.call('subscribe');
    expect(sent).toEqual(['{"id":1,"method":"owner.status","params":{}}', '{"id":2,"method":"subscribe"}']);
    rpc.receive('{"id":2,"ok":true,"result":{"subscribed":[]}}');
    rpc.receive('{"id":1,"ok":false,"error":{"code":"vault_locked","message":"locked"}}');
    expect(await second).toEqual({ ok: true, result: { subscribed: [] } });
    expect(await first).toEqual({ ok: false, error: { code: 'vault_locked', message: 'locked' } });
  });

  it('ignores what is not a reply to a call in flight', async () => {
    const rpc = new RpcClient({ send: () => undefined });
    const pending = rpc.call('owner.status');
    for (const text of ['not json', 'null', '42', '[]', '{"id":"1","ok":true}', '{"id":99,"ok":true}', '{"id":null,"ok":false}']) rpc.receive(text);
    rpc.receive('{"id":1,"ok":true,"result":7}');
    expect(await pending).toEqual({ ok: true, result: 7 });
    rpc.receive('{"id":1,"ok":true,"result":8}');
  });

  it('delivers events to every listener, even when one throws, until it unsubscribes', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const rpc = new RpcClient({ send: () => undefined });
    const seen: unknown[] = [];
    rpc.onEvent(() => {
      throw new Error('broken listener');
    });
    const off = rpc.onEvent((event, payload) => seen.push([event, payload]));
    rpc.receive('{"event":"account-removed","payload":{"id":"a"}}');
    off();
    rpc.receive('{"event":"account-removed","payload":{"id":"b"}}');
    expect(seen).toEqual([['account-removed', { id: 'a' }]]);
    expect(errors).toHaveBeenCalledTimes(2);
  });

  it('rejects calls that time out and every call still waiting when the connection is lost', async () => {
    vi.useFakeTimers();
    const rpc = new RpcClient({ send: () => undefined, timeout: { ms: 1_000, error: (method) => ({ code: 'transient', message: `${method} timed out` }) } });
    const slow = rpc.call('history.list');
    const lost = rpc.call('accounts.list');
    const settled = Promise.allSettled([slow, lost]);
    vi.advanceTimersByTime(500);
    rpc.failAll({ code: 'transient', message: 'gone' });
    const late = rpc.call('owner.status');
    vi.advanceTimersByTime(1_000);
    await expect(late).rejects.toEqual({ code: 'transient', message: 'owner.status timed out' });
    expect((await settled).map((r) => (r.status === 'rejected' ? r.reason : r.value))).toEqual([
      { code: 'transient', message: 'gone' },
      { code: 'transient', message: 'gone' },
    ]);
  });
});
