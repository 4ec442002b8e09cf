// The renderer's only way out: `window.tokendesk` (the preload's or the web bridge's), whose
// events come through boot.ts (held there until the first screen has subscribed).
import type { CallInput, CallName, CallOutput, ErrorCode, EventName } from '../../../shared/contract.js';
import { toWireError, type TokenDeskBridge, type TokenDeskListener } from '../../../shared/bridge.js';
import type { StartCallName } from '../bridge/early.js';
import { early } from '../boot.js';

declare global {
  interface Window {
    tokendesk?: TokenDeskBridge;
  }
}

/** A failed call, as an Error (for try/catch) carrying the contract's code. */
export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

function bridge(): TokenDeskBridge {
  const b = window.tokendesk;
  if (!b) throw new CallError('internal', 'TokenDesk’s bridge is missing: this page must be opened by the app or by `tokendesk serve`');
  return b;
}

export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  try {
    return await bridge().call(name, input);
  } catch (err) {
    const wire = toWireError(err);
    throw new CallError(wire.code, wire.message);
  }
}

/** A call the dashboard makes on start: the answer to the one boot.ts sent the first time, a new call after. */
export async function startCall<N extends StartCallName>(name: N): Promise<CallOutput<N>> {
  try {
    return await early.startCall(name);
  } catch (err) {
    const wire = toWireError(err);
    throw new CallError(wire.code, wire.message);
  }
}

export function on<E extends EventName>(event: E, listener: TokenDeskListener<E>): () => void {
  return early.on(event, listener);
}

/** The first screen has subscribed: events pushed since the start reach the listeners now. */
export function releaseEvents(): void {
  early.release();
}

export function host(): TokenDeskBridge['host'] {
  return window.tokendesk?.host ?? 'web';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : toWireError(err).message;
}
