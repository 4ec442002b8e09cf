// Quitting and the end of the OS session. Teardown (clear a copied token, stop the engine
// so in-flight refreshes save, flush history, close the socket, release the lock) is
// async, so `before-quit` is held until it ends — up to QUIT_TEARDOWN_MS for a quit the
// user asked for. When the OS session ends (shutdown, restart, log-off) the same teardown
// gets SESSION_END_TEARDOWN_MS and is never allowed to hold the OS up longer:
// - macOS / Linux: powerMonitor `shutdown` (its preventDefault asks the OS to wait for us);
//   SIGTERM (how systemd and most session managers stop a process) is treated the same;
// - Windows: `query-session-end` / `session-end` on a window (`before-quit` never fires at
//   session end there), which start the teardown without delaying the OS.
export const QUIT_TEARDOWN_MS = 30_000;
export const SESSION_END_TEARDOWN_MS = 2_000;

export interface QuitDeps {
  /** The teardown; resolves when done. Runs at most once. */
  teardown(): Promise<void>;
  /** app.quit(): called once teardown ends or its time is up; `before-quit` then passes. */
  quit(): void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export type QuitPhase = 'running' | 'tearing-down' | 'done';

export class QuitController {
  #phase: QuitPhase = 'running';
  #deadline = Infinity;
  #timer: unknown;
  #finished?: Promise<void>;
  readonly #setTimeout: (fn: () => void, ms: number) => unknown;
  readonly #clearTimeout: (handle: unknown) => void;

  constructor(private readonly deps: QuitDeps) {
    this.#setTimeout = deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimeout = deps.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  get phase(): QuitPhase {
    return this.#phase;
  }

  /** app `before-quit`: held until the teardown ends (bounded); passes once it has. */
  onBeforeQuit = (event: PreventableEvent): void => {
    if (this.#phase === 'done') return;
    event.preventDefault();
    void this.#start(QUIT_TEARDOWN_MS);
  };

  /** powerMonitor `shutdown` (macOS, Linux) and SIGTERM: the OS is going down. */
  onSystemShutdown = (event?: PreventableEvent): void => {
    // Asks the OS to wait for our quit — which comes within SESSION_END_TEARDOWN_MS.
    if (this.#phase !== 'done') event?.preventDefault();
    void this.#start(SESSION_END_TEARDOWN_MS);
  };

  /** Windows `query-session-end` and `session-end`: start the bounded teardown, never delay the OS. */
  onSessionEnd = (): void => {
    void this.#start(SESSION_END_TEARDOWN_MS);
  };

  /** Starts the teardown, or shortens the running one's limit to `limitMs` from now. */
  #start(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    if (this.#phase === 'done') return Promise.resolve();
    if (deadline < this.#deadline) {
      this.#deadline = deadline;
      if (this.#timer !== undefined) this.#clearTimeout(this.#timer);
      this.#timer = this.#setTimeout(() => this.#finish(), limitMs);
    }
    if (this.#phase === 'running') {
      this.#phase = 'tearing-down';
      this.#finished = this.deps
        .teardown()
        .catch((err: unknown) => console.error('TokenDesk: shutdown error', err))
        .finally(() => this.#finish());
    }
    return this.#finished!;
  }

  #finish(): void {
    if (this.#phase === 'done') return;
    this.#phase = 'done';
    if (this.#timer !== undefined) this.#clearTimeout(this.#timer);
    this.deps.quit();
  }
}
