// The protections of the RPC session (rpc-session.ts), over both transports that carry it:
// the owner's local socket and the `serve` WebSocket. Each connection may have 64 calls in
// flight, a second subscribe attaches no second set of listeners, and an id longer than
// 100 characters is not echoed. A stand-in router holds calls open so the cap can be reached.
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../src/shared/contract.js';
import type { Router, RouterReply } from '../../src/main/core/owner/router.js';
import { MAX_CALLS_IN_FLIGHT, MAX_ID_LENGTH } from '../../src/main/core/owner/rpc-session.js';
import { OwnerSocketServer } from '../../src/main/core/owner/socket-server.js';
import { WebServer } from '../../src/main/core/owner/web-server.js';
import { connectSocket, connectWebSocket, type RawClient, type WireReply } from '../reliability/support/fuzz.js';
import { tempDir, waitFor } from '../helpers/temp-owner.js';

const EVENT: EventName = 'account-changed';

/** Answers `hold` once `release` runs and every other method at once, echoing the method. */
function heldRouter() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const router = {
    async handle(method: unknown): Promise<RouterReply> {
      if (method === 'hold') await gate;
      return { ok: true, result: { method } };
    },
  } as unknown as Router;
  return { router, release };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Served {
  connect(): Promise<RawClient>;
  events: EventEmitter;
  release: () => void;
  socket?: OwnerSocketServer;
}

async function serve(transport: 'socket' | 'websocket'): Promise<Served> {
  const { dir, cleanup } = await tempDir('td-rpc-');
  cleanups.push(cleanup);
  const { router, release } = heldRouter();
  cleanups.push(async () => release());
  const events = new EventEmitter();
  const common = { router, events: events as unknown as ConstructorParameters<typeof OwnerSocketServer>[0]['events'], eventNames: [EVENT] };
  const clients: RawClient[] = [];
  cleanups.push(async () => clients.forEach((c) => c.close()));
  const track = async (client: Promise<RawClient>) => {
    const c = await client;
    clients.push(c);
    return c;
  };
  if (transport === 'socket') {
    const socketPath = path.join(dir, 'owner.sock');
    const socket = new OwnerSocketServer({ ...common, path: socketPath });
    await socket.listen();
    cleanups.push(() => socket.close(1_000));
    return { connect: () => track(connectSocket(socketPath)), events, release, socket };
  }
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>rpc</title>');
  const web = new WebServer({ ...common, rendererDir: dir });
  await web.listen();
  cleanups.push(() => web.close());
  return { connect: () => track(connectWebSocket(`ws://127.0.0.1:${web.listeningPort}/${web.secret}/ws`)), events, release };
}

/** Sends `lines` and resolves with the replies they brought (waiting for `count` of them). */
async function exchange(client: RawClient, lines: string[], count = lines.length): Promise<WireReply[]> {
  const start = client.replies.length;
  client.send(lines);
  await client.waitForReplies(start + count, 10_000);
  return client.replies.slice(start);
}

const line = (id: unknown, method: string) => JSON.stringify({ id, method });

for (const transport of ['socket', 'websocket'] as const) {
  describe(`RPC session over the ${transport}`, () => {
    let served: Served;
    beforeEach(async () => {
      served = await serve(transport);
    });

    it(`answers owner_busy past ${MAX_CALLS_IN_FLIGHT} calls in flight on one connection, and serves again once they finish`, async () => {
      const client = await served.connect();
      const extra = 6;
      const ids = Array.from({ length: MAX_CALLS_IN_FLIGHT + extra }, (_, i) => i + 1);
      const refused = await exchange(client, ids.map((id) => line(id, 'hold')), extra);
      expect(refused).toEqual(
        ids.slice(MAX_CALLS_IN_FLIGHT).map((id) => ({ id, ok: false, error: { code: 'owner_busy', message: `More than ${MAX_CALLS_IN_FLIGHT} calls in flight on this connection` } })),
      );
      // A quick call is refused too while the connection is full; another connection is not affected.
      expect(await exchange(client, [line('quick', 'now')])).toMatchObject([{ id: 'quick', ok: false, error: { code: 'owner_busy' } }]);
      const other = await served.connect();
      expect(await exchange(other, [line('other', 'now')])).toEqual([{ id: 'other', ok: true, result: { method: 'now' } }]);

      served.release();
      const answered = await exchange(client, [], MAX_CALLS_IN_FLIGHT);
      expect(answered.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(ids.slice(0, MAX_CALLS_IN_FLIGHT));
      expect(answered.every((r) => r.ok === true)).toBe(true);
      expect(await exchange(client, [line('after', 'now')])).toEqual([{ id: 'after', ok: true, result: { method: 'now' } }]);
    });

    it('acknowledges every subscribe but delivers each event once; listeners come off when the client leaves', async () => {
      const client = await served.connect();
      const acks = await exchange(client, [line('s1', 'subscribe'), line('s2', 'subscribe')]);
      expect(acks).toEqual([
        { id: 's1', ok: true, result: { subscribed: [EVENT] } },
        { id: 's2', ok: true, result: { subscribed: [EVENT] } },
      ]);
      expect(served.events.listenerCount(EVENT)).toBe(1);
      served.events.emit(EVENT, { n: 1 });
      await exchange(client, [line('ping', 'now')]);
      expect(client.replies.filter((r) => r.event === EVENT)).toEqual([{ event: EVENT, payload: { n: 1 } }]);
      client.close();
      await waitFor('listeners removed', () => served.events.listenerCount(EVENT) === 0);
    });

    it(`echoes ids up to ${MAX_ID_LENGTH} characters and answers longer ones with id null`, async () => {
      const client = await served.connect();
      const longest = 'i'.repeat(MAX_ID_LENGTH);
      const replies = await exchange(client, [line(longest, 'now'), line(`${longest}i`, 'now'), line(7.5, 'now'), line({ id: 1 }, 'now')]);
      expect(replies.map((r) => r.id)).toEqual([longest, null, 7.5, null]);
      expect(replies.every((r) => r.ok === true)).toBe(true);
    });
  });
}

describe('owner socket close', () => {
  it('waits for calls in flight before it disconnects its clients', async () => {
    const served = await serve('socket');
    const client = await served.connect();
    client.send([line(1, 'hold')]);
    await new Promise((r) => setTimeout(r, 50));
    let closed = false;
    const closing = served.socket!.close(10_000).then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    served.release();
    await closing;
    await client.waitForReplies(1, 5_000);
    expect(client.replies).toEqual([{ id: 1, ok: true, result: { method: 'hold' } }]);
  });
});
