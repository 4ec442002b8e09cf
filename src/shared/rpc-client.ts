// The client side of the owner's wire protocol, whatever carries it: the CLI's local socket
// (src/main/core/owner/socket-client.ts) and the dashboard's WebSocket
// (src/renderer/src/bridge/web-bridge.ts). It numbers calls, serializes them, matches each
// reply to its call by id, delivers pushed events to listeners, and fails calls that time
// out or whose connection is lost. Transports frame the text, and say when a connection is
// gone. Pure TS: no Node, no DOM (the renderer bundles it).
import type { EventName } from './contract.js';

/** A reply as the owner sends it; `error` is whatever the wire carried (clients check it). */
export type RpcReply = { ok: true; result: unknown } | { ok: false; error: unknown };

export type RpcEventListener = (event: EventName, payload: unknown) => void;

export interface RpcClientOptions {
  /** Writes one serialized call (the transport frames it, or holds it until connected). */
  send: (text: string) => void;
  /** A call unanswered after `ms` rejects with `error(method)`; without this, calls wait for the connection. */
  timeout?: { ms: number; error: (method: string) => unknown };
}

interface Pending {
  resolve: (reply: RpcReply) => void;
  reject: (err: unknown) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<RpcEventListener>();

  constructor(private readonly options: RpcClientOptions) {}

  /** Sends `{id, method, params}`; resolves with the owner's reply, rejects only on timeout or a lost connection. */
  call(method: string, params?: unknown): Promise<RpcReply> {
    const id = this.nextId++;
    return new Promise<RpcReply>((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      const { timeout } = this.options;
      if (timeout) {
        entry.timer = setTimeout(() => {
          if (this.pending.delete(id)) reject(timeout.error(method));
        }, timeout.ms);
      }
      this.pending.set(id, entry);
      this.options.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Every pushed event goes to `listener` until the returned function runs. */
  onEvent(listener: RpcEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One message from the owner: a pushed event, or the reply to a call. Anything else is ignored. */
  receive(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const { id, ok, result, error, event, payload } = msg as Record<string, unknown>;
    if (typeof event === 'string') return this.dispatch(event as EventName, payload);
    if (typeof id !== 'number') return;
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(ok === true ? { ok: true, result } : { ok: false, error });
  }

  /** The connection is gone: every call still waiting rejects with `err`. */
  failAll(err: unknown): void {
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(err);
    }
  }

  private dispatch(event: EventName, payload: unknown): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        // One broken listener must not starve the others, nor lose the connection's messages.
        console.error('TokenDesk event listener failed', err);
      }
    }
  }
}
