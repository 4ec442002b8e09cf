// What the service needs from storage beyond the engine's port (its own module so that
// context.ts and removals.ts both take it without importing each other).
import type { AppSettings } from '../../../shared/contract.js';
import type { RefreshEvent } from '../../../shared/domain.js';
import type { AccountRecord, EngineStore } from '../engine/types.js';
import type { HistoryQuery } from '../storage/history-log.js';
import type { KeyWrapper } from '../vault/key-wrappers.js';

export interface VaultStatus {
  kind: string;
  protection: 'strong' | 'weak' | 'unavailable';
  explanation: string;
}

export type { HistoryQuery };

/** What the service needs from storage beyond the engine's port. */
export interface ServiceStore extends EngineStore {
  getSettings(): Promise<AppSettings>;
  setSettings(patch: Partial<AppSettings>): Promise<AppSettings>;
  vaultStatus(): VaultStatus;
  rewrapVault(wrapper: KeyWrapper): Promise<VaultStatus>;
  /** Stores a new account's record and secrets; rejects a duplicate name. */
  createAccount(record: AccountRecord, secrets: Record<string, string>): Promise<void>;
  /** Deletes the record and every secret of the account. */
  removeAccount(id: string): Promise<void>;
  listHistory(query: HistoryQuery): Promise<RefreshEvent[]>;
}
