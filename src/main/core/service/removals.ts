// Remove with undo (docs/ARCHITECTURE.md "Remove and undo"). An undoable removal takes the
// account out of the engine at once — no refresh, no rotation, gone from every list — but
// leaves its record and vault secrets stored until the undo window closes; only then are
// they deleted. Undo puts the stored account back into the engine. If the owner stops
// inside the window the account is still stored and loads again at the next start: a
// removal that was never confirmed by its window closing cannot lose a token.
import type { AccountView } from '../../../shared/contract.js';
import { ContractError } from '../contract.js';
import type { Engine } from '../engine/engine.js';
import type { ServiceStore } from './store.js';

interface Pending {
  name: string;
  until: number;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingRemovals {
  readonly #pending = new Map<string, Pending>();
  /** Deletions under way, awaited by close() so no write follows the owner's end. */
  readonly #finishing = new Set<Promise<void>>();
  #closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly store: ServiceStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Removes the account; with `undoSeconds`, keeps it restorable for that long. */
  async remove(view: AccountView, undoSeconds?: number): Promise<{ id: string; removed: true; undoUntil?: number }> {
    // The engine first: a refresh in flight must not save the secrets back after the store deleted them.
    await this.engine.remove(view.id);
    if (!undoSeconds || this.#closed) {
      await this.store.removeAccount(view.id);
      return { id: view.id, removed: true };
    }
    const until = this.now() + undoSeconds * 1000;
    const timer = setTimeout(() => this.#finish(view.id), undoSeconds * 1000);
    timer.unref?.();
    this.#pending.set(view.id, { name: view.name, until, timer });
    return { id: view.id, removed: true, undoUntil: until };
  }

  /** Undo: the stored account goes back into the engine, scheduled as before. */
  async restore(id: string): Promise<AccountView> {
    const pending = this.#pending.get(id);
    if (!pending) throw new ContractError('not_found', 'That removal can no longer be undone: its undo window has closed');
    const record = (await this.store.listAccounts()).find((r) => r.id === id);
    if (!record) throw new ContractError('not_found', `${pending.name} is no longer stored`);
    const existing = this.engine.resolve(record.name);
    if (existing) throw new ContractError('conflict', `An account named ${JSON.stringify(existing.name)} was added meanwhile; rename it to restore ${pending.name}`);
    const secrets = await this.store.readSecrets(id);
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    return this.engine.upsert(record, secrets);
  }

  /** The owner is closing: open windows end without deleting (their accounts load again at the next start). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    await Promise.all(this.#finishing);
  }

  #finish(id: string): void {
    if (!this.#pending.delete(id)) return;
    const done = this.store
      .removeAccount(id)
      // A failed delete leaves the account stored: it loads again at the next start, nothing is lost.
      .catch(() => undefined)
      .finally(() => this.#finishing.delete(done));
    this.#finishing.add(done);
  }
}
