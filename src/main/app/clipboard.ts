// "Copy token" happens in main (docs/ARCHITECTURE.md "Secrets in logs and errors"): the text goes to the
// system clipboard and never to the page. After N seconds the clipboard is cleared,
// but only if it still holds what we put there — the user may have copied something
// else meanwhile. Only a hash of the copied text is kept, not the token.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Electron's clipboard (promise-based in Electron 45; plain values in older versions work too). */
export interface ClipboardLike {
  writeText(text: string): Promise<void> | void;
  readText(): Promise<string> | string;
  clear(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export class ClipboardGuard {
  #held?: Buffer;
  #timer?: unknown;

  constructor(
    private readonly clipboard: ClipboardLike,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Writes `text`; clears it after `clearAfterSeconds` (0 = never) if it is still there. */
  async copy(text: string, clearAfterSeconds: number): Promise<void> {
    this.#cancel();
    this.#held = undefined;
    await this.clipboard.writeText(text);
    const held = digest(text);
    this.#held = held;
    if (clearAfterSeconds > 0) {
      this.#timer = this.timers.setTimeout(() => {
        this.#timer = undefined;
        void this.#clearIf(held).catch(() => undefined);
      }, clearAfterSeconds * 1000);
    }
  }

  /** True while the clipboard still holds the last text we wrote. */
  async holdsOurs(): Promise<boolean> {
    const held = this.#held;
    return held !== undefined && (await this.#holds(held));
  }

  /** Clears the clipboard if it still holds our text (the timer, and quitting). Returns whether it did. */
  async clearIfHeld(): Promise<boolean> {
    this.#cancel();
    const held = this.#held;
    return held !== undefined && this.#clearIf(held);
  }

  async #holds(held: Buffer): Promise<boolean> {
    const now = digest(String(await this.clipboard.readText()));
    return timingSafeEqual(now, held);
  }

  async #clearIf(held: Buffer): Promise<boolean> {
    const ours = await this.#holds(held);
    // A newer copy replaced what this timer was for: leave its state alone.
    if (this.#held === held) this.#held = undefined;
    if (ours) this.clipboard.clear();
    return ours;
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
