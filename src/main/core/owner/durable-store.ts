// The service's storage port over the real files: secrets in the vault, account
// records in the account store, refresh events in the history log.
import type { RefreshEvent } from '../../../shared/domain.js';
import type { AccountRecord } from '../engine/types.js';
import type { AppSettings } from '../../../shared/contract.js';
import type { HistoryQuery, ServiceStore, VaultStatus } from '../service.js';
import type { AccountStore } from '../storage/account-store.js';
import type { HistoryLog } from '../storage/history-log.js';
import type { Vault } from '../vault/vault.js';

export class DurableStore implements ServiceStore {
  constructor(
    private readonly vault: Vault,
    private readonly accounts: AccountStore,
    private readonly history: HistoryLog,
  ) {}

  async listAccounts(): Promise<AccountRecord[]> {
    return this.accounts.list();
  }

  async readSecrets(accountId: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const { account, password } of await this.vault.findCredentials(accountId)) out[account] = password;
    return out;
  }

  /** Replaces the account's secrets with exactly these fields, in one atomic write. */
  async saveSecrets(accountId: string, secrets: Record<string, string>): Promise<void> {
    await this.vault.replaceService(accountId, secrets);
  }

  async saveAccount(record: AccountRecord): Promise<void> {
    const { id, createdAt: _c, updatedAt: _u, ...patch } = record;
    // Explicit undefineds clear optional fields (e.g. statusMessage after a success).
    this.accounts.update(id, patch);
  }

  async createAccount(record: AccountRecord, secrets: Record<string, string>): Promise<void> {
    const { id, createdAt: _c, updatedAt: _u, ...fields } = record;
    // Secrets first: a record without its secrets would be an account that cannot refresh.
    await this.vault.replaceService(id, secrets);
    try {
      this.accounts.create(fields, id);
    } catch (err) {
      await this.vault.deleteService(id);
      throw err;
    }
  }

  async removeAccount(id: string): Promise<void> {
    this.accounts.remove(id);
    await this.vault.deleteService(id);
  }

  async appendHistory(event: RefreshEvent): Promise<void> {
    await this.history.append(event);
  }

  async listHistory(query: HistoryQuery): Promise<RefreshEvent[]> {
    return this.history.list(query);
  }

  async getSettings(): Promise<AppSettings> {
    return this.accounts.getSettings();
  }

  async setSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
    return this.accounts.setSettings(patch);
  }

  vaultStatus(): VaultStatus {
    return this.vault.describe();
  }
}
