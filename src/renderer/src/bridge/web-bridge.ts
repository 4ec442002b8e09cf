// In a browser (`tokendesk serve`) there is no preload: this builds the same
// `window.tokendesk` over the server's WebSocket. The page lives at /<secret>/, so the
// socket is the relative URL "ws" (/<secret>/ws): the secret is never handled here.
// Protocol (as the owner's local socket): {id, method, params} → {id, ok, result|error};
// {method: "subscribe"} starts the pushed {event, payload} stream.
import type { CallName, EventName, WireError } from '../../../shared/contract.js';
import { createBridge, type BridgeReply, type TokenDeskBridge } from '../../../shared/bridge.js';
import { RpcClient } from '../../../shared/rpc-client.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Times the connection was (re)opened; the app reloads its state when this grows. */
  opens: number;
  /** Next reconnect attempt while closed. */
  retryAt?: number;
}

const CALL_TIMEOUT_MS = 60_000;

export class WebSocketTransport {
  private ws?: WebSocket;
  private readonly queue: string[] = [];
  private readonly rpc = new RpcClient({
    send: (text) => this.send(text),
    timeout: {
      ms: CALL_TIMEOUT_MS,
      error: (method) => ({ code: 'transient', message: `${method} got no answer within ${CALL_TIMEOUT_MS / 1000} s` }) satisfies WireError,
    },
  });
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
    // The error is the owner's {code, message}; createBridge checks it before the page sees it.
    return this.rpc.call(name, input) as Promise<BridgeReply>;
  }

  subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    return this.rpc.onEvent((name, payload) => {
      if (name === event) listener(payload);
    });
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
      // Subscribe first, then send the calls made while connecting. The acknowledgement
      // carries nothing the page needs; a lost connection fails it like any call.
      this.rpc.call('subscribe').catch(() => undefined);
      for (const text of this.queue.splice(0)) ws.send(text);
      this.setStatus({ state: 'open', opens: this.statusValue.opens + 1 });
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') this.rpc.receive(e.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      // Calls in flight are lost with the connection: fail them rather than hang.
      this.rpc.failAll({ code: 'transient', message: 'Lost the connection to TokenDesk; reconnecting' } satisfies WireError);
      const delay = this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, 5_000);
      this.setStatus({ ...this.statusValue, state: 'closed', retryAt: Date.now() + delay });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
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
