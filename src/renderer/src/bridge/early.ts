// The dashboard's start, before its bundle runs (src/renderer/src/boot.ts calls it from a
// small script of its own that the page runs as soon as it arrives): it makes
// `window.tokendesk` (the web bridge in a browser; the preload made it in the desktop app),
// sends the calls the first screen needs, and holds every pushed event until the app has
// subscribed. The owner answers while the stylesheet and the bundle still load and evaluate,
// and an event pushed meanwhile reaches the app's listeners in order, as if they had been
// there from the start.
import type { CallInput, CallOutput, EventName } from '../../../shared/contract.js';
import type { TokenDeskBridge, TokenDeskListener } from '../../../shared/bridge.js';
import { EVENT_NAMES } from '../../../shared/ipc.js';
import { createWebBridge, type WebSocketTransport } from './web-bridge.js';

/** Recent refreshes the store keeps (the timeline's dots). */
export const RECENT_HISTORY_LIMIT = 5000;

/** What the dashboard loads on start (state/store.ts, the team banner), with the inputs it loads them with. */
export type StartCallName = 'providers.list' | 'accounts.list' | 'settings.get' | 'vault.status' | 'owner.status' | 'history.list' | 'team.status';
export const START_CALLS: { [N in StartCallName]: CallInput<N> } = {
  'providers.list': {},
  'accounts.list': {},
  'settings.get': {},
  'vault.status': {},
  'owner.status': {},
  // Refreshes and sign-ins only: the timeline's dots (the History tab loads every action itself).
  'history.list': { limit: RECENT_HISTORY_LIMIT, actions: ['refreshed', 'signed_in'] },
  'team.status': {},
};

type Held = { event: EventName; payload: unknown };

/** How long the page waits at most for its WebSocket to open before its bundle runs anyway. */
const SEND_WAIT_MS = 300;

/** Resolves once the socket has opened (its queued calls are sent then) or closed, or after `ms`. */
function opened(transport: WebSocketTransport, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = transport.onStatus(() => {
      if (transport.status.state !== 'connecting') done();
    });
    if (transport.status.state !== 'connecting') done();
  });
}

export class EarlyStart {
  private held: Held[] | undefined = [];
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly started = new Map<StartCallName, Promise<unknown>>();
  /** The start calls are on their way to the owner (or the connection failed, or took too long): see boot.ts. */
  readonly sent: Promise<void>;

  constructor(
    readonly bridge: TokenDeskBridge,
    /** The WebSocket under the web bridge (its status feeds the connection banner); none in the desktop app. */
    readonly transport?: WebSocketTransport,
  ) {
    // Events first: anything pushed after a call's answer must reach the app.
    for (const event of EVENT_NAMES) bridge.on(event, (payload) => this.deliver(event, payload));
    for (const name of Object.keys(START_CALLS) as StartCallName[]) {
      const reply = bridge.call(name, START_CALLS[name]);
      reply.catch(() => undefined); // taken (and its failure shown) by the app
      this.started.set(name, reply);
    }
    this.sent = transport ? opened(transport, SEND_WAIT_MS) : Promise.resolve();
  }

  /** A start call's answer: the one sent at start the first time it is asked for, a new call after (a reload). */
  startCall<N extends StartCallName>(name: N): Promise<CallOutput<N>> {
    const early = this.started.get(name);
    this.started.delete(name);
    return (early ?? this.bridge.call(name, START_CALLS[name])) as Promise<CallOutput<N>>;
  }

  /** Every pushed `event` to `listener` until the returned function runs (held ones come on `release`). */
  on<E extends EventName>(event: E, listener: TokenDeskListener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** The app has subscribed (its first screen is mounted): the events held so far go out, in order, and no more are held. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const { event, payload } of held ?? []) this.dispatch(event, payload);
  }

  private deliver(event: EventName, payload: unknown): void {
    if (this.held) this.held.push({ event, payload });
    else this.dispatch(event, payload);
  }

  private dispatch(event: EventName, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        // One broken listener must not starve the others.
        console.error('TokenDesk event listener failed', err);
      }
    }
  }
}

/** Starts the dashboard's connection and first calls in this page: over the preload's bridge when there is one, else over the WebSocket. */
export function startEarly(win: { tokendesk?: TokenDeskBridge; location: { href: string } }): EarlyStart {
  if (win.tokendesk) return new EarlyStart(win.tokendesk);
  const { bridge, transport } = createWebBridge(win.location.href);
  win.tokendesk = bridge;
  return new EarlyStart(bridge, transport);
}
