// The object the dashboard talks to: `window.tokendesk`. Built by the Electron preload
// (contextBridge over IPC) and, in a browser, by the renderer's web bridge (WebSocket to
// `tokendesk serve`). Both build it with `createBridge` from a raw transport, so the
// renderer sees one shape whatever carries the calls (docs/ARCHITECTURE.md
// "Contract and transports"). Pure TS: no Node, no DOM, no Electron.
import type { CallInput, CallName, CallOutput, ErrorCode, EventName, EventPayload, WireError } from './contract.js';

/** Every contract call as a function (for documentation and exhaustive typing). */
export type TokenDeskCalls = { [N in CallName]: (input: CallInput<N>) => Promise<CallOutput<N>> };

/** A listener for one pushed event. */
export type TokenDeskListener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * `window.tokendesk`: a plain, frozen object of functions (contextBridge copies it).
 * - `call` resolves with the call's output, or rejects with a plain `{code, message}`
 *   (a WireError: plain objects survive contextBridge, custom Error fields do not).
 * - `on` subscribes to one pushed event and returns the function that unsubscribes.
 */
export interface TokenDeskBridge {
  /** Version of this shape; bumped on an incompatible change. */
  readonly version: 1;
  /** Which transport built it: the renderer adapts a few things (clipboard, launch at login). */
  readonly host: 'electron' | 'web';
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: TokenDeskListener<E>): () => void;
}

/** A router reply as every transport carries it (see src/main/core/owner/router.ts). */
export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: WireError };

/** What a transport must provide; `createBridge` does the rest. */
export interface BridgeTransport {
  host: TokenDeskBridge['host'];
  /** Sends one call; resolves with the router's reply (transport failures may reject). */
  invoke(name: CallName, input: unknown): Promise<BridgeReply>;
  /** Delivers every pushed event of `event` to `listener` until the returned function runs. */
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

// Spelled out rather than imported from contract.ts (which pulls zod into the preload);
// `Record<ErrorCode, true>` makes the compiler flag a code added to the contract but not here.
const WIRE_CODE_TABLE: Record<ErrorCode, true> = {
  invalid_input: true, forbidden: true, not_found: true, conflict: true, reauth_required: true, config_error: true, rate_limited: true,
  transient: true, vault_locked: true, owner_busy: true, storage_error: true, internal: true,
};
const WIRE_CODES: ReadonlySet<string> = new Set(Object.keys(WIRE_CODE_TABLE));

/** Any thrown or rejected value as a WireError (transport errors become `transient`). */
export function toWireError(err: unknown): WireError {
  if (typeof err === 'object' && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && WIRE_CODES.has(code) && typeof message === 'string') return { code: code as ErrorCode, message };
    if (typeof message === 'string' && message) return { code: 'transient', message };
  }
  return { code: 'transient', message: typeof err === 'string' && err ? err : 'The call failed' };
}

/** Builds `window.tokendesk` from a transport. */
export function createBridge(transport: BridgeTransport): TokenDeskBridge {
  const bridge: TokenDeskBridge = {
    version: 1,
    host: transport.host,
    async call(name, input) {
      let reply: BridgeReply;
      try {
        reply = await transport.invoke(name, input ?? {});
      } catch (err) {
        throw toWireError(err);
      }
      if (!reply || typeof reply !== 'object') throw { code: 'internal', message: `${name}: the transport gave no reply` } satisfies WireError;
      if (!reply.ok) throw toWireError(reply.error);
      return reply.result as never;
    },
    on(event, listener) {
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  };
  return Object.freeze(bridge);
}
