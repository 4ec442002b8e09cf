// One client connection's side of the contract, whatever carries it: the local socket's
// lines and the `serve` WebSocket's text frames both end here. A message is
// {id, method, params}; its reply {id, ok, result | error}; {id, method: "subscribe"}
// starts the pushed {event, payload} stream. The session parses each message, checks its
// envelope, subscribes the connection once, caps its calls in flight, hands calls to the
// router (which validates every input) and serializes every reply. Transports only frame
// bytes, enforce their size limits and call `receive`; nothing a client sends can throw
// out of here.
import type { ErrorCode, EventName } from '../../../shared/contract.js';
import type { Caller } from '../contract.js';
import type { Router } from './router.js';

/** Calls one connection may have in flight; more get an `owner_busy` reply. */
export const MAX_CALLS_IN_FLIGHT = 64;
/** A string id longer than this is not echoed: the reply carries id null. */
export const MAX_ID_LENGTH = 100;

export interface EventSource {
  on(event: EventName, listener: (payload: unknown) => void): unknown;
  off(event: EventName, listener: (payload: unknown) => void): unknown;
}

export interface RpcSessionOptions {
  router: Router;
  events?: EventSource;
  eventNames?: readonly EventName[];
  /** Writes one serialized message to the client (a closed connection drops it). */
  send: (text: string) => void;
  /** Who this transport serves (the socket: the CLI; the `serve` WebSocket: the dashboard). */
  caller: Caller;
  /** Told when a call starts (+1) and when it has been answered (-1): servers drain on close. */
  onCall?: (change: 1 | -1) => void;
}

export class RpcSession {
  private inFlight = 0;
  private subscribed = false;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly options: RpcSessionOptions) {}

  /** One message, as its transport framed it. */
  receive(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.refuse('Message is not valid JSON');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.refuse('Message must be a JSON object');
    const { id: rawId, method, params } = msg as Record<string, unknown>;
    const id = (typeof rawId === 'number' && Number.isFinite(rawId)) || (typeof rawId === 'string' && rawId.length <= MAX_ID_LENGTH) ? rawId : null;
    if (method === 'subscribe') return this.subscribe(id);
    if (this.inFlight >= MAX_CALLS_IN_FLIGHT) return this.fail(id, 'owner_busy', `More than ${MAX_CALLS_IN_FLIGHT} calls in flight on this connection`);
    void this.dispatch(id, method, params);
  }

  /** Answers a message the transport refused before it could be read (too large, binary). */
  refuse(message: string): void {
    this.fail(null, 'invalid_input', message);
  }

  /** The connection is gone: its event listeners come off. */
  close(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }

  /** Every subscribe is acknowledged; only the first attaches listeners, so no event arrives twice. */
  private subscribe(id: number | string | null): void {
    const { events, eventNames = [] } = this.options;
    if (!this.subscribed) {
      this.subscribed = true;
      for (const name of eventNames) {
        const listener = (payload: unknown) => this.write({ event: name, payload });
        events?.on(name, listener);
        this.unsubscribers.push(() => events?.off(name, listener));
      }
    }
    this.write({ id, ok: true, result: { subscribed: eventNames } });
  }

  private async dispatch(id: number | string | null, method: unknown, params: unknown): Promise<void> {
    this.inFlight++;
    this.options.onCall?.(1);
    try {
      const reply = await this.options.router.handle(method, params, this.options.caller);
      this.write({ id, ...reply });
    } catch {
      // The router answers every call itself. Should it ever throw, the client hears so and the
      // owner carries on: an unhandled rejection here would end the owner's process.
      this.fail(id, 'internal', 'Internal error; the owner keeps running');
    } finally {
      this.inFlight--;
      this.options.onCall?.(-1);
    }
  }

  private fail(id: number | string | null, code: ErrorCode, message: string): void {
    this.write({ id, ok: false, error: { code, message } });
  }

  private write(msg: unknown): void {
    this.options.send(JSON.stringify(msg));
  }
}
