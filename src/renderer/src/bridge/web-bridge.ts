// In a browser (`tokendesk serve`) there is no preload: this builds the same
// `window.tokendesk` over the server's WebSocket. The page lives at /<secret>/, so the
// socket is the relative URL "ws" (/<secret>/ws): the secret is never handled here.
// Protocol (as the owner's local socket): {id, method, params} → {id, ok, result|error};
// {method: "subscribe"} starts the pushed {event, payload} stream.
import type { CallName, EventName, WireError } from '../../../shared/contract.js';
import { createBridge, type BridgeReply, type TokenDeskBridge } from '../../../shared/bridge.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Times the connection was (re)opened; the app reloads its state when this grows. */
  opens: number;
  /** Next reconnect attempt while closed. */
  retryAt?: number;
}

type Listener = (payload: unknown) => void;

interface Pending {
  resolve: (reply: BridgeReply) => void;
  reject: (err: WireError) => void;
}

const CALL_TIMEOUT_MS = 60_000;

export class WebSocketTransport {
  private ws?: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: string[] = [];
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly statusListeners = new Set<() => void>();
  private statusValue: ConnectionStatus = { state: 'connecting', opens: 0 };
  private retryDelay = 500;
  private reconnectTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly url: string,
    private readonly WebSocketImpl: typeof WebSocket = WebSocket,
  ) {
    this.connect();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  invoke(name: CallName, input: unknown): Promise<BridgeReply> {
    return new Promise<BridgeReply>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) reject({ code: 'transient', message: `${name} got no answer within ${CALL_TIMEOUT_MS / 1000} s` } satisfies WireError);
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send(JSON.stringify({ id, method: name, params: input }));
    });
  }

  subscribe(event: EventName, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private setStatus(status: ConnectionStatus): void {
    this.statusValue = status;
    for (const l of this.statusListeners) l();
  }

  private send(text: string): void {
    if (this.ws?.readyState === this.WebSocketImpl.OPEN) this.ws.send(text);
    else this.queue.push(text);
  }

  private connect(): void {
    clearTimeout(this.reconnectTimer);
    const ws = new this.WebSocketImpl(this.url);
    this.ws = ws;
    this.setStatus({ ...this.statusValue, state: 'connecting', retryAt: undefined });
    ws.onopen = () => {
      this.retryDelay = 500;
      ws.send(JSON.stringify({ id: 0, method: 'subscribe' }));
      for (const text of this.queue.splice(0)) ws.send(text);
      this.setStatus({ state: 'open', opens: this.statusValue.opens + 1 });
    };
    ws.onmessage = (e: MessageEvent) => this.onMessage(e.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      // Calls in flight are lost with the connection: fail them rather than hang.
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject({ code: 'transient', message: 'Lost the connection to TokenDesk; reconnecting' });
      }
      const delay = this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, 5_000);
      this.setStatus({ ...this.statusValue, state: 'closed', retryAt: Date.now() + delay });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: { id?: unknown; ok?: unknown; result?: unknown; error?: unknown; event?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(data) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      for (const l of this.listeners.get(msg.event as EventName) ?? []) {
        try {
          l(msg.payload);
        } catch (err) {
          console.error('TokenDesk event listener failed', err);
        }
      }
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.resolve(msg.ok === true ? { ok: true, result: msg.result } : { ok: false, error: msg.error as WireError });
  }
}

/** `window.tokendesk` for the browser, plus the connection status for the banner. */
export function createWebBridge(pageUrl: string): { bridge: TokenDeskBridge; transport: WebSocketTransport } {
  const url = new URL('ws', pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  const transport = new WebSocketTransport(url.href);
  const bridge = createBridge({
    host: 'web',
    invoke: (name, input) => transport.invoke(name, input),
    subscribe: (event, listener) => transport.subscribe(event, listener),
  });
  return { bridge, transport };
}
