// The owner's local socket: newline-delimited JSON, one message per line, served by an
// RpcSession per connection (rpc-session.ts has the protocol). This file frames lines and
// enforces the size cap; anything malformed gets an error reply; nothing a client sends can
// take the owner down.
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { EventName } from '../../../shared/contract.js';
import type { Router } from './router.js';
import { RpcSession, type EventSource } from './rpc-session.js';

/** A single message larger than this is refused (and the connection closed). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Over the cap in UTF-8 bytes (a UTF-16 code unit is at most 3 bytes: short strings need no count). */
function overCap(text: string): boolean {
  return text.length > MAX_MESSAGE_BYTES || (text.length * 3 > MAX_MESSAGE_BYTES && Buffer.byteLength(text) > MAX_MESSAGE_BYTES);
}

export interface SocketServerOptions {
  path: string;
  router: Router;
  events?: EventSource;
  eventNames?: readonly EventName[];
}

export class OwnerSocketServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private pending = 0;
  private drained?: () => void;

  constructor(private readonly options: SocketServerOptions) {}

  async listen(): Promise<void> {
    const { path } = this.options;
    // Only the owner (which holds the data-dir lock) gets here, so a leftover socket file is stale.
    if (process.platform !== 'win32') await rm(path, { force: true });
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    const oldMask = process.platform !== 'win32' ? process.umask(0o177) : undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } finally {
      if (oldMask !== undefined) process.umask(oldMask);
    }
    if (process.platform !== 'win32') await chmod(path, 0o600);
  }

  /**
   * Resolves once no client has been connected for `idleMs` (or after `maxMs`). A one-shot
   * CLI owner waits for this before it exits, so a burst of concurrent commands is served
   * by one owner instead of each losing its connection to the one before.
   */
  async whenIdle(idleMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    let idleSince = Date.now();
    while (Date.now() < deadline) {
      if (this.sockets.size > 0 || this.pending > 0) idleSince = Date.now();
      else if (Date.now() - idleSince >= idleMs) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops accepting, lets calls in progress finish (up to `graceMs`), then disconnects everyone. */
  async close(graceMs = 20_000): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.pending > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const s of this.sockets) s.destroy();
    await closed;
    if (process.platform !== 'win32') await rm(this.options.path, { force: true });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    let buffer = '';
    let refused = false;
    const { router, events, eventNames } = this.options;
    // The owner socket serves the CLI (the desktop app and the daemon never connect as clients).
    const session = new RpcSession({
      router,
      caller: { actor: 'cli' },
      events,
      eventNames,
      send: (text) => {
        if (!socket.destroyed) socket.write(`${text}\n`);
      },
      onCall: (change) => {
        this.pending += change;
        if (this.pending === 0) this.drained?.();
      },
    });
    const refuse = () => {
      refused = true;
      buffer = '';
      session.refuse(`Message larger than ${MAX_MESSAGE_BYTES} bytes`);
      socket.end();
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      // After a refusal the rest of the connection is ignored: its tail is not a message.
      if (refused) return;
      let searchFrom = buffer.length;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n', searchFrom)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        searchFrom = 0;
        // The cap holds for every line, also one whose newline came in the chunk that crossed it.
        if (overCap(line)) return refuse();
        if (line.trim()) session.receive(line);
      }
      // A line still without its newline: refused as soon as it is too long.
      if (overCap(buffer)) refuse();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      session.close();
    });
  }
}
