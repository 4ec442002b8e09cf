// The dashboard's data: what the owner said, kept current by its pushed events.
// One immutable snapshot per change (useSyncExternalStore); bursts of events (a startup
// refreshing a thousand accounts) are folded into one update per frame.
import type { AccountView, AppSettings, CallOutput, ProviderInfo } from '../../../shared/contract.js';
import type { RefreshEvent } from '../../../shared/domain.js';
import { RECENT_HISTORY_LIMIT } from '../bridge/early.js';
import { registerProviders } from '../lib/providers.js';
import { call, errorText, on, startCall } from './api.js';
import { createStore, useSelector } from './external-store.js';
import { perf } from './perf.js';

export type VaultStatus = CallOutput<'vault.status'>;
export type OwnerStatus = CallOutput<'owner.status'>;

export interface RefreshProgress {
  trigger: string;
  at: number;
}

export interface Snapshot {
  phase: 'loading' | 'ready' | 'error';
  loadError?: string;
  /** In arrival order; views sort and filter. */
  accounts: readonly AccountView[];
  byId: ReadonlyMap<string, AccountView>;
  providers: readonly ProviderInfo[];
  providerById: Readonly<Record<string, ProviderInfo>>;
  settings?: AppSettings;
  vault?: VaultStatus;
  owner?: OwnerStatus;
  /** Recent refresh events of every account, newest first (the timeline's marks). */
  recentHistory: readonly RefreshEvent[];
  /** Refreshes in flight, by account id. */
  refreshing: ReadonlyMap<string, RefreshProgress>;
  pausedAll: boolean;
}

const snapshot = createStore<Snapshot>({
  phase: 'loading',
  accounts: [],
  byId: new Map(),
  providers: [],
  providerById: {},
  recentHistory: [],
  refreshing: new Map(),
  pausedAll: false,
});

class Store {
  private readonly historyListeners = new Set<(e: RefreshEvent) => void>();
  private pendingAccounts = new Map<string, AccountView | null>();
  private pendingEvents: RefreshEvent[] = [];
  /** History rows of any action, pushed as recorded (history-appended): for the history tables. */
  private pendingRows: RefreshEvent[] = [];
  private pendingRefreshing = new Map<string, RefreshProgress | null>();
  private flushTimer?: ReturnType<typeof setTimeout>;
  private unsubscribers: (() => void)[] = [];
  private loadSeq = 0;

  getSnapshot = (): Snapshot => snapshot.get();

  /** New history rows of every action as they are recorded (history tables add them live). */
  onHistory(listener: (e: RefreshEvent) => void): () => void {
    this.historyListeners.add(listener);
    return () => this.historyListeners.delete(listener);
  }

  private set(patch: Partial<Snapshot>): void {
    snapshot.set({ ...snapshot.get(), ...patch });
  }

  /** Subscribes to pushed events (once) and loads everything; again after a reconnect. */
  async load(): Promise<void> {
    if (this.unsubscribers.length === 0) {
      this.unsubscribers = [
        on('account-changed', (view) => this.queueAccount(view.id, view)),
        on('account-removed', ({ id }) => this.queueAccount(id, null)),
        on('refresh-started', ({ accountId, trigger, at }) => {
          this.pendingRefreshing.set(accountId, { trigger, at });
          this.scheduleFlush();
        }),
        // Another window or client added or removed a provider file: take the new list.
        on('providers-changed', () => {
          void call('providers.list', {}).then(
            (providers) => this.setProviders(providers),
            () => undefined,
          );
        }),
        on('refresh-finished', ({ accountId, event }) => {
          this.pendingRefreshing.set(accountId, null);
          this.pendingEvents.push(event);
          this.scheduleFlush();
        }),
        on('history-appended', (row) => {
          this.pendingRows.push(row);
          this.scheduleFlush();
        }),
      ];
    }
    const seq = ++this.loadSeq;
    try {
      // Sent by boot.ts as the page started (the same calls again on a reload); history.list
      // brings refreshes and sign-ins only: the timeline's dots (bridge/early.ts START_CALLS).
      const [providers, accounts, settings, vault, owner, history] = await Promise.all([
        startCall('providers.list'),
        startCall('accounts.list'),
        startCall('settings.get'),
        startCall('vault.status'),
        startCall('owner.status'),
        startCall('history.list'),
      ]);
      if (seq !== this.loadSeq) return;
      registerProviders(providers);
      perf.accountsLoadedAt = performance.now();
      // Events that raced the load are newer than the list: keep them queued for the next flush.
      this.set({
        phase: 'ready',
        loadError: undefined,
        providers,
        providerById: Object.fromEntries(providers.map((p) => [p.id, p])),
        accounts,
        byId: new Map(accounts.map((a) => [a.id, a])),
        settings,
        vault,
        owner,
        pausedAll: owner.pausedAll,
        recentHistory: history,
        refreshing: new Map(),
      });
      this.scheduleFlush();
    } catch (err) {
      if (seq !== this.loadSeq) return;
      this.set({ phase: snapshot.get().phase === 'ready' ? 'ready' : 'error', loadError: errorText(err) });
    }
  }

  private queueAccount(id: string, view: AccountView | null): void {
    this.pendingAccounts.set(id, view);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), 16);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (snapshot.get().phase !== 'ready') return; // the load will take everything in
    const patch: Partial<Snapshot> = {};
    if (this.pendingAccounts.size) {
      const byId = new Map(snapshot.get().byId);
      let order = snapshot.get().accounts;
      let orderChanged = false;
      for (const [id, view] of this.pendingAccounts) {
        if (view === null) {
          if (byId.delete(id)) orderChanged = true;
        } else {
          if (!byId.has(id)) orderChanged = true;
          byId.set(id, view);
        }
      }
      this.pendingAccounts.clear();
      if (orderChanged) {
        const seen = new Set<string>();
        const next: AccountView[] = [];
        for (const a of order) {
          const current = byId.get(a.id);
          if (current) {
            next.push(current);
            seen.add(a.id);
          }
        }
        for (const [id, a] of byId) if (!seen.has(id)) next.push(a);
        order = next;
      } else {
        order = order.map((a) => byId.get(a.id)!);
      }
      patch.accounts = order;
      patch.byId = byId;
    }
    if (this.pendingRefreshing.size) {
      const refreshing = new Map(snapshot.get().refreshing);
      for (const [id, p] of this.pendingRefreshing) {
        if (p) refreshing.set(id, p);
        else refreshing.delete(id);
      }
      this.pendingRefreshing.clear();
      patch.refreshing = refreshing;
    }
    if (this.pendingEvents.length) {
      const events = this.pendingEvents.splice(0).reverse();
      const known = new Set(snapshot.get().recentHistory.slice(0, 200).map((e) => e.id));
      const fresh = events.filter((e) => !known.has(e.id));
      patch.recentHistory = [...fresh, ...snapshot.get().recentHistory].slice(0, RECENT_HISTORY_LIMIT);
    }
    for (const row of this.pendingRows.splice(0)) for (const l of this.historyListeners) l(row);
    if (Object.keys(patch).length) this.set(patch);
  }

  // ── updates from call results (the events confirm them a moment later) ──

  applyAccount(view: AccountView): void {
    this.queueAccount(view.id, view);
  }

  removeAccount(id: string): void {
    this.queueAccount(id, null);
  }

  setPausedAll(pausedAll: boolean): void {
    this.set({ pausedAll });
  }

  setSettings(settings: AppSettings): void {
    this.set({ settings });
  }

  /** The owner's provider list after a provider file was added or removed. */
  setProviders(providers: readonly ProviderInfo[]): void {
    registerProviders(providers);
    this.set({ providers, providerById: Object.fromEntries(providers.map((p) => [p.id, p])) });
  }
}

export const store = new Store();

export function useStore<T>(select: (s: Snapshot) => T): T {
  return useSelector(snapshot, select);
}
