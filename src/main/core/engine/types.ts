// What the engine needs from storage, and what it tells the world.
import type { AccountRecord, RefreshEvent, RefreshEventInput, RefreshTrigger } from '../../../shared/domain.js';

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
  appendHistory(event: RefreshEventInput): Promise<void>;
  /**
   * A store shared by several machines (the team vault) holds the account for the refresh:
   * undefined for an account only this process refreshes. May throw a ProviderError (the
   * shared store is unreachable, another member's refresh is unfinished): the refresh fails
   * with that class and nothing is sent to the vendor.
   */
  beginRefresh?(accountId: string, options?: { signIn?: boolean }): Promise<RefreshLease | undefined>;
}

/** A shared store's hold on one account for one refresh (docs/ARCHITECTURE.md "Team vault"). */
export interface RefreshLease {
  /** Another member refreshed since this process last read the account: take these instead of calling the vendor. */
  readonly adopt?: { record: AccountRecord; secrets: Record<string, string> };
  /** The durable save of the refresh's result (compare-and-swap under the hold); ends the hold. */
  save(secrets: Record<string, string>, state: TokenState): Promise<void>;
  /** Ends the hold without new tokens (the request failed). Idempotent; a no-op after save. */
  release(): Promise<void>;
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
import type { AccountView, EventPayload } from '../../../shared/contract.js';

/**
 * A refresh's tokens reached the disk: emitted right after the durable (fsynced) write
 * resolves, before memory, history or any other event. Secret-free by construction, so
 * it can be logged (`tokendesk daemon --log-saves`): with the vendor's rotation log it
 * tells "killed between the vendor's rotation and our save" apart from a lost save.
 */
export interface TokensSaved {
  accountId: string;
  /** Wall clock (ms) when the write was durable. */
  at: number;
  /** tokenFingerprint() of the refresh token now on disk; absent when the account has none. */
  refreshTokenHash?: string;
  /** The provider issued a new refresh token in this refresh (absent for a retried save). */
  rotated?: boolean;
  /** How long the durable write took (waiting for a group commit in flight, write, fsync). */
  saveMs: number;
  /** From the provider's answer being in hand to durable (absent for a retried save). */
  sinceResponseMs?: number;
  /** A retried save of tokens whose first save had failed (they were kept in memory meanwhile). */
  retry?: true;
}

export interface EngineEvents {
  'account-changed': [AccountView];
  'account-removed': [{ id: string }];
  'refresh-started': [{ accountId: string; trigger: RefreshTrigger; at: number }];
  'refresh-finished': [RefreshOutcome];
  /** A history row was recorded (any action: refresh, add, edit, pause…). */
  'history-appended': [RefreshEvent];
  /** A sign-in started, ended or was cancelled (src/main/core/signin emits it here, where every transport listens). */
  'signin-changed': [EventPayload<'signin-changed'>];
  /** A provider file came or went (src/main/core/service/providers.ts emits it here, where every transport listens). */
  'providers-changed': [EventPayload<'providers-changed'>];
  /** The team store's connection changed (src/main/core/team emits it here, where every transport listens). */
  'team-changed': [EventPayload<'team-changed'>];
  /** Not a contract event: for logs and crash tests (see TokensSaved). */
  'tokens-saved': [TokensSaved];
  /** Storage trouble the user should know about (history append failed, save retry…). */
  warning: [{ accountId?: string; message: string }];
}
