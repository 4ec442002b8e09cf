// The store the engine and the service see when a data dir belongs to a team (docs/ARCHITECTURE.md
// "Team vault"): each call goes to the team store for a team account and to the local files for
// every other one, so the engine, the contract and the UI stay the same for both.
import type { AppSettings } from '../../../shared/contract.js';
import type { RefreshEvent, RefreshEventInput } from '../../../shared/domain.js';
import type { AccountRecord, RefreshLease, TokenState } from '../engine/types.js';
import type { HistoryQuery, ServiceStore, VaultStatus } from '../service.js';
import type { TeamControl } from '../team/team-control.js';
import type { TeamStore } from '../team/team-store.js';
import type { KeyWrapper } from '../vault/key-wrappers.js';
import type { DurableStore } from './durable-store.js';

export class RoutingStore implements ServiceStore {
  constructor(
    private readonly local: DurableStore,
    private readonly team: TeamControl,
  ) {}

  private teamFor(id: string): TeamStore | undefined {
    const store = this.team.store;
    return store?.has(id) ? store : undefined;
  }

  async listAccounts(): Promise<AccountRecord[]> {
    const shared = (await this.team.store?.listAccounts()) ?? [];
    const ids = new Set(shared.map((r) => r.id));
    // An account shared while its local copy was being removed: the team's copy is in charge.
    const local = (await this.local.listAccounts()).filter((r) => !ids.has(r.id));
    return [...local, ...shared];
  }

  readSecrets(id: string): Promise<Record<string, string>> {
    return (this.teamFor(id) ?? this.local).readSecrets(id);
  }

  saveTokens(id: string, secrets: Record<string, string>, state: TokenState): Promise<void> {
    return (this.teamFor(id) ?? this.local).saveTokens(id, secrets, state);
  }

  saveAccount(record: AccountRecord): Promise<void> {
    return (this.teamFor(record.id) ?? this.local).saveAccount(record);
  }

  async createAccount(record: AccountRecord, secrets: Record<string, string>): Promise<void> {
    if (record.team) await this.team.createAccount(record, secrets);
    else await this.local.createAccount(record, secrets);
  }

  removeAccount(id: string): Promise<void> {
    return (this.teamFor(id) ?? this.local).removeAccount(id);
  }

  appendHistory(event: RefreshEventInput): Promise<void> {
    return (this.teamFor(event.accountId) ?? this.local).appendHistory(event);
  }

  async listHistory(query: HistoryQuery): Promise<RefreshEvent[]> {
    const team = this.team.store;
    if (query.accountId) return (this.teamFor(query.accountId) ?? this.local).listHistory(query);
    if (!team) return this.local.listHistory(query);
    const [local, shared] = await Promise.all([this.local.listHistory(query), team.listHistory(query).catch(() => [])]);
    const merged = [...local, ...shared].sort((a, b) => b.at - a.at);
    return query.limit ? merged.slice(0, query.limit) : merged;
  }

  async beginRefresh(id: string, options?: { signIn?: boolean }): Promise<RefreshLease | undefined> {
    return this.teamFor(id)?.beginRefresh(id, options);
  }

  getSettings(): Promise<AppSettings> {
    return this.local.getSettings();
  }

  setSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
    return this.local.setSettings(patch);
  }

  vaultStatus(): VaultStatus {
    return this.local.vaultStatus();
  }

  rewrapVault(wrapper: KeyWrapper): Promise<VaultStatus> {
    return this.local.rewrapVault(wrapper);
  }
}
