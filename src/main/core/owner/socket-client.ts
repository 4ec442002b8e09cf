// A client of the owner's local socket (the CLI while the app or daemon runs): lines of
// JSON carried for the shared RpcClient, replies turned into results or RemoteErrors.
import { connect, type Socket } from 'node:net';
import type { CallName, CallOutput, EventName } from '../../../shared/contract.js';
import { isWireError } from '../../../shared/error-codes.js';
import { RpcClient, type RpcReply } from '../../../shared/rpc-client.js';
import { CONNECTION_LOST, RemoteError } from './errors.js';

export class OwnerClient {
  private buffer = '';
  private readonly rpc: RpcClient;

  private constructor(private readonly socket: Socket) {
    this.rpc = new RpcClient({ send: (text) => socket.write(`${text}\n`) });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.rpc.failAll(new RemoteError('owner_busy', CONNECTION_LOST)));
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

  async call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
    return unwrap(await this.rpc.call(method, params)) as CallOutput<N>;
  }

  async subscribe(listener: (event: EventName, payload: unknown) => void): Promise<void> {
    this.rpc.onEvent(listener);
    unwrap(await this.rpc.call('subscribe'));
  }

  /** Calls `listener` once the connection is gone, whoever ended it (a watcher reconnects). */
  onClose(listener: () => void): void {
    if (this.socket.destroyed) queueMicrotask(listener);
    else this.socket.once('close', listener);
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
      this.rpc.receive(line);
    }
  }
}

/** A reply's result, or the RemoteError it carries. */
function unwrap(reply: RpcReply): unknown {
  if (reply.ok) return reply.result;
  throw isWireError(reply.error) ? new RemoteError(reply.error.code, reply.error.message) : new RemoteError('internal', 'Malformed reply from the owner');
}
