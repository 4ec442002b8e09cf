// What the engine needs from storage, and what it tells the world.
import type { AccountStatus, ErrorClass, ExpirySource, ProviderId, RefreshEvent, RefreshTrigger } from '../../../shared/domain.js';
import type { ResolvedEndpoints } from '../providers/types.js';

/** The non-secret state of an account, as persisted in the account store. */
export interface AccountRecord {
  id: string;
  name: string;
  providerId: ProviderId;
  environment?: string;
  baseUrl?: string;
  settings: Record<string, string>;
  refreshEveryMs?: number;
  paused: boolean;
  /** Persisted only for states that need the user: reauth_required, config_error, revoked. */
  status: AccountStatus;
  statusMessage?: string;
  expiresAt?: number;
  expirySource?: ExpirySource;
  refreshTokenExpiresAt?: number;
  tokenType?: string;
  scope?: string;
  obtainedAt?: number;
  lastRefreshAt?: number;
  lastOutcome?: { at: number; outcome: 'ok' | 'error'; errorClass?: ErrorClass; message?: string };
  endpoints?: ResolvedEndpoints;
  meta?: Record<string, string | number | boolean>;
  createdAt: number;
  updatedAt: number;
}

/** The engine's port to durable storage. Every promise resolves only once the data is on disk. */
export interface EngineStore {
  listAccounts(): Promise<AccountRecord[]>;
  readSecrets(accountId: string): Promise<Record<string, string>>;
  /** Writes all the given secret fields in one atomic, fsynced write. */
  saveSecrets(accountId: string, secrets: Record<string, string>): Promise<void>;
  saveAccount(record: AccountRecord): Promise<void>;
  appendHistory(event: RefreshEvent): Promise<void>;
}

export interface RefreshOutcome {
  accountId: string;
  ok: boolean;
  event: RefreshEvent;
}

/**
 * What the UI and CLI see of an account (never a secret): the record without
 * core-only details, `status` including in-memory states (refreshing, retrying,
 * paused), the next deadline, and `notSaved` while new tokens are only in memory.
 */
export type { AccountView } from '../../../shared/contract.js';
import type { AccountView } from '../../../shared/contract.js';

export interface EngineEvents {
  'account-changed': [AccountView];
  'account-removed': [{ id: string }];
  'refresh-started': [{ accountId: string; trigger: RefreshTrigger; at: number }];
  'refresh-finished': [RefreshOutcome];
  /** Storage trouble the user should know about (history append failed, save retry…). */
  warning: [{ accountId?: string; message: string }];
}
