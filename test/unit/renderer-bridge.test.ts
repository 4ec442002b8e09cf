// window.tokendesk: createBridge (shared with the Electron preload) and the browser's
// WebSocket transport, with a fake socket.
import { describe, expect, it } from 'vitest';
import { createBridge, toWireError, type BridgeReply } from '../../src/shared/bridge.js';
import { WebSocketTransport } from '../../src/renderer/src/bridge/web-bridge.js';

describe('createBridge', () => {
  it('resolves results and rejects with a plain {code, message}', async () => {
    const replies: Record<string, BridgeReply> = {
      'owner.status': { ok: true, result: { pid: 1 } },
      'accounts.get': { ok: false, error: { code: 'not_found', message: 'No account named "x"' } },
    };
    const bridge = createBridge({ host: 'web', invoke: async (name) => replies[name]!, subscribe: () => () => undefined });
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(await bridge.call('owner.status', {})).toEqual({ pid: 1 });
    await expect(bridge.call('accounts.get', { account: 'x' })).rejects.toEqual({ code: 'not_found', message: 'No account named "x"' });
  });

  it('turns transport failures into transient errors', async () => {
    const bridge = createBridge({ host: 'electron', invoke: () => Promise.reject(new Error('socket hang up')), subscribe: () => () => undefined });
    await expect(bridge.call('owner.status', {})).rejects.toEqual({ code: 'transient', message: 'socket hang up' });
    expect(toWireError({ code: 'bogus', message: 'm' })).toEqual({ code: 'transient', message: 'm' });
    expect(toWireError(undefined)).toEqual({ code: 'transient', message: 'The call failed' });
  });
});

class FakeSocket {
  static readonly OPEN = 1;
  static last?: FakeSocket;
  readonly OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  onopen?: () => void;
  onmessage?: (e: { data: unknown }) => void;
  onclose?: () => void;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(text: string) {
    this.sent.push(text);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

describe('WebSocketTransport', () => {
  it('queues calls until open, subscribes, matches replies by id and dispatches events', async () => {
    const t = new WebSocketTransport('ws://127.0.0.1:1/s/ws', FakeSocket as unknown as typeof WebSocket);
    const ws = FakeSocket.last!;
    expect(t.status.state).toBe('connecting');
    const reply = t.invoke('owner.status', {});
    expect(ws.sent).toEqual([]);
    ws.open();
    expect(t.status).toMatchObject({ state: 'open', opens: 1 });
    expect(ws.sent.map((s) => JSON.parse(s).method)).toEqual(['subscribe', 'owner.status']);
    const id = JSON.parse(ws.sent[1]!).id as number;
    const seen: unknown[] = [];
    t.subscribe('account-removed', (p) => seen.push(p));
    ws.receive({ event: 'account-removed', payload: { id: 'a1' } });
    ws.receive({ id, ok: true, result: { pid: 42 } });
    expect(await reply).toEqual({ ok: true, result: { pid: 42 } });
    expect(seen).toEqual([{ id: 'a1' }]);
  });

  it('fails calls in flight when the connection drops, then reconnects', async () => {
    const t = new WebSocketTransport('ws://127.0.0.1:1/s/ws', FakeSocket as unknown as typeof WebSocket);
    const first = FakeSocket.last!;
    first.open();
    const pending = t.invoke('accounts.list', {});
    first.drop();
    await expect(pending).rejects.toMatchObject({ code: 'transient' });
    expect(t.status.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 600));
    expect(FakeSocket.last).not.toBe(first);
    FakeSocket.last!.open();
    expect(t.status).toMatchObject({ state: 'open', opens: 2 });
  });
});
