// A client of the owner's local socket (the CLI while the app or daemon runs).
import { connect, type Socket } from 'node:net';
import { WireErrorSchema, type CallName, type CallOutput, type EventName } from '../../../shared/contract.js';
import { CONNECTION_LOST, RemoteError } from './errors.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class OwnerClient {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.failAll(new RemoteError('owner_busy', CONNECTION_LOST)));
    socket.on('error', () => undefined);
  }

  /** Connects, or rejects with the socket error (ENOENT/ECONNREFUSED = no owner). */
  static connect(path: string, timeoutMs = 2_000): Promise<OwnerClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error('Timed out connecting to the owner'), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new OwnerClient(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  async subscribe(listener: (event: EventName, payload: unknown) => void): Promise<void> {
    this.listeners.add(listener);
    const id = this.nextId++;
    await new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ id, method: 'subscribe' })}\n`);
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      let msg: { id?: number; ok?: boolean; result?: unknown; error?: unknown; event?: EventName; payload?: unknown };
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      if (msg.event) {
        for (const l of this.listeners) l(msg.event, msg.payload);
        continue;
      }
      const pending = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
      if (!pending) continue;
      this.pending.delete(msg.id!);
      if (msg.ok) pending.resolve(msg.result);
      else {
        const err = WireErrorSchema.safeParse(msg.error);
        pending.reject(err.success ? new RemoteError(err.data.code, err.data.message) : new RemoteError('internal', 'Malformed reply from the owner'));
      }
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
