// What the engine needs from storage, and what it tells the world.
import type { AccountRecord, RefreshEvent, RefreshTrigger } from '../../../shared/domain.js';

export type { AccountRecord };

/** What a refresh learns about its tokens: saved in the same atomic write as the tokens. */
export type TokenState = Pick<
  AccountRecord,
  'expiresAt' | 'expirySource' | 'refreshTokenExpiresAt' | 'tokenType' | 'scope' | 'obtainedAt' | 'lastRefreshAt' | 'meta' | 'endpoints'
>;

export const TOKEN_STATE_KEYS = [
  'expiresAt', 'expirySource', 'refreshTokenExpiresAt', 'tokenType', 'scope', 'obtainedAt', 'lastRefreshAt', 'meta', 'endpoints',
] as const satisfies readonly (keyof TokenState)[];

export function tokenStateOf(record: AccountRecord): TokenState {
  const state: TokenState = {};
  for (const key of TOKEN_STATE_KEYS) if (record[key] !== undefined) (state as Record<string, unknown>)[key] = record[key];
  return state;
}

/** The engine's port to durable storage. Every promise resolves only once the data is on disk. */
export interface EngineStore {
  /** Every account, with the token state of its last saved refresh. */
  listAccounts(): Promise<AccountRecord[]>;
  readSecrets(accountId: string): Promise<Record<string, string>>;
  /**
   * The result of a refresh: the account's secret fields (exactly these) and the
   * token state, in ONE atomic, fsynced write — the tokens and their expiry can
   * never disagree after a crash.
   */
  saveTokens(accountId: string, secrets: Record<string, string>, state: TokenState): Promise<void>;
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
