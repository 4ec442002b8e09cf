// The server's life: listening on 127.0.0.1 with an ephemeral port, and a close() that also
// ends what would outlive it — open connections (hung requests among them) and the timers
// of answers still being written.
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Deferred work that stops when the server closes. */
export interface Scheduler {
  /** Runs `fn` after `ms` unless the server closes first. */
  later(fn: () => void, ms: number): void;
  /** True once close() has been called: answers still being written stop. */
  readonly closing: boolean;
}

export class ServerLifecycle implements Scheduler {
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed: Promise<void> | undefined;

  constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get closing(): boolean {
    return this.closed !== undefined;
  }

  later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Listens on 127.0.0.1:0; resolves with the origin, http://127.0.0.1:PORT. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening, cancels pending timers and destroys every open connection; idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closed;
  }
}
