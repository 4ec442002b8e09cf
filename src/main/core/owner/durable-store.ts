// The service's storage port over the real files: secrets and the token state of the
// last refresh in the vault (one atomic write per refresh), account records and
// settings in the account store, refresh events in the history log.
import type { AppSettings } from '../../../shared/contract.js';
import type { RefreshEvent, RefreshEventInput } from '../../../shared/domain.js';
import { TOKEN_STATE_KEYS, tokenStateOf, type AccountRecord, type TokenState } from '../engine/types.js';
import type { HistoryQuery, ServiceStore, VaultStatus } from '../service.js';
import type { AccountStore } from '../storage/account-store.js';
import type { HistoryLog } from '../storage/history-log.js';
import type { KeyWrapper } from '../vault/key-wrappers.js';
import type { Vault } from '../vault/vault.js';

/**
 * The vault field holding the token state (expiry, obtainedAt…). Not a secret, but kept
 * beside the tokens so a refresh is ONE durable write and the two never disagree.
 * The "~" keeps it apart from provider field ids.
 */
export const TOKEN_STATE_FIELD = '~token_state';

export class DurableStore implements ServiceStore {
  constructor(
    private readonly vault: Vault,
    private readonly accounts: AccountStore,
    private readonly history: HistoryLog,
  ) {}

  async listAccounts(): Promise<AccountRecord[]> {
    const records = this.accounts.list();
    const merged: AccountRecord[] = [];
    for (const record of records) {
      const raw = await this.vault.getPassword(record.id, TOKEN_STATE_FIELD);
      merged.push(raw ? withTokenState(record, JSON.parse(raw) as TokenState) : record);
    }
    return merged;
  }

  async readSecrets(accountId: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const { account, password } of await this.vault.findCredentials(accountId)) {
      if (account !== TOKEN_STATE_FIELD) out[account] = password;
    }
    return out;
  }

  async saveTokens(accountId: string, secrets: Record<string, string>, state: TokenState): Promise<void> {
    await this.vault.replaceService(accountId, { ...secrets, [TOKEN_STATE_FIELD]: JSON.stringify(state) });
  }

  async saveAccount(record: AccountRecord): Promise<void> {
    const { id, createdAt: _c, updatedAt: _u, ...patch } = record;
    // Explicit undefineds clear optional fields (e.g. statusMessage after a success).
    this.accounts.update(id, patch);
  }

  async createAccount(record: AccountRecord, secrets: Record<string, string>): Promise<void> {
    const { id, createdAt: _c, updatedAt: _u, ...fields } = record;
    // Secrets first: a record without its secrets would be an account that cannot refresh.
    await this.saveTokens(id, secrets, tokenStateOf(record));
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

  async appendHistory(event: RefreshEventInput): Promise<void> {
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

  async rewrapVault(wrapper: KeyWrapper): Promise<VaultStatus> {
    await this.vault.rewrap(wrapper);
    return this.vault.describe();
  }
}

/**
 * Every change of tokens writes their state to the vault in the same write, so the
 * vault is the truth about expiry; the record keeps status, settings and failures.
 */
function withTokenState(record: AccountRecord, state: TokenState): AccountRecord {
  const merged: AccountRecord = { ...record };
  for (const key of TOKEN_STATE_KEYS) delete merged[key];
  Object.assign(merged, state);
  if (state.obtainedAt !== undefined && (record.lastOutcome?.at ?? 0) < state.obtainedAt) {
    merged.lastOutcome = { at: state.obtainedAt, outcome: 'ok' };
  }
  return merged;
}
