// Domain types shared by every layer (docs/ARCHITECTURE.md "Domain"). Pure TS + zod: no Node, no DOM.
// The plain values (id lists, default settings) live in domain-values.ts, which the
// dashboard's first screen imports without zod.
import { z } from 'zod';
import { ACCOUNT_STATUSES, DEFAULT_SETTING_VALUES, ERROR_CLASSES, EXPIRY_SOURCES, HISTORY_ACTIONS, HISTORY_ACTORS, PROVIDER_IDS, REFRESH_TRIGGERS } from './domain-values.js';

export { ACCOUNT_STATUSES, ERROR_CLASSES, EXPIRY_SOURCES, HISTORY_ACTIONS, HISTORY_ACTORS, PROVIDER_IDS, REFRESH_TRIGGERS } from './domain-values.js';

export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof ProviderIdSchema>;
/**
 * Any provider an account may use: a built-in one, or one a provider file defines
 * (src/shared/provider-definition.ts; its id is lower-case and never a built-in's).
 */
export const AnyProviderIdSchema = z.union([ProviderIdSchema, z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'Provider id must be lower-case letters, digits and dashes')]);

export const AccountStatusSchema = z.enum(ACCOUNT_STATUSES);
export type AccountStatus = z.infer<typeof AccountStatusSchema>;

export const ErrorClassSchema = z.enum(ERROR_CLASSES);
export type ErrorClass = z.infer<typeof ErrorClassSchema>;

export const RefreshTriggerSchema = z.enum(REFRESH_TRIGGERS);
export type RefreshTrigger = z.infer<typeof RefreshTriggerSchema>;

export const ExpirySourceSchema = z.enum(EXPIRY_SOURCES);
export type ExpirySource = z.infer<typeof ExpirySourceSchema>;

/** Epoch milliseconds. */
const EpochMs = z.number().int().nonnegative();

/**
 * The result of a refresh. Secrets (accessToken, refreshToken) are only ever
 * persisted in the vault; `meta` holds non-secret provider details (e.g. UPS
 * refresh_count) and must never contain a token.
 */
export const TokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** An OpenID Connect ID token, when the answer carried one (a secret like the others). */
  idToken: z.string().min(1).optional(),
  /** True when the response carried a refresh token different from the one sent. */
  rotated: z.boolean(),
  tokenType: z.string().min(1),
  expiresAt: EpochMs.optional(),
  expirySource: ExpirySourceSchema,
  refreshTokenExpiresAt: EpochMs.optional(),
  scope: z.string().optional(),
  obtainedAt: EpochMs,
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type TokenSet = z.infer<typeof TokenSetSchema>;

export const HistoryActionSchema = z.enum(HISTORY_ACTIONS);
export type HistoryAction = z.infer<typeof HistoryActionSchema>;

export const HistoryActorSchema = z.enum(HISTORY_ACTORS);
export type HistoryActor = z.infer<typeof HistoryActorSchema>;

/**
 * One history row (history.jsonl). Named for its first use; it records every action now.
 * `trigger` says why a refresh ran; for other actions it is `cli` or `manual`.
 */
export const RefreshEventSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  /** The account's name when it happened: rows of a renamed or removed account keep it. Absent in rows written before names were recorded. */
  accountName: z.string().optional(),
  at: EpochMs,
  action: HistoryActionSchema.default('refreshed'),
  /** Absent in rows written before the actor was recorded. */
  actor: HistoryActorSchema.optional(),
  trigger: RefreshTriggerSchema,
  outcome: z.enum(['ok', 'error']),
  errorClass: ErrorClassSchema.optional(),
  httpStatus: z.number().int().optional(),
  durationMs: z.number().nonnegative(),
  newExpiresAt: EpochMs.optional(),
  rotated: z.boolean().optional(),
  message: z.string().optional(),
  /** Team accounts: the member whose TokenDesk made this refresh (docs/ARCHITECTURE.md "Team vault"). */
  member: z.string().optional(),
});
export type RefreshEvent = z.infer<typeof RefreshEventSchema>;
/** A row as handed to the history log: `action` may be left out (a refresh). */
export type RefreshEventInput = z.input<typeof RefreshEventSchema>;
export type HistoryEvent = RefreshEvent;

/** An account's non-secret state, as stored (docs/ARCHITECTURE.md "Domain"). Secrets live in the vault. */
export const AccountRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1).max(100),
  providerId: AnyProviderIdSchema,
  environment: z.string().optional(),
  baseUrl: z.string().optional(),
  /** Non-secret field values (client_id, sub…). */
  settings: z.record(z.string(), z.string()),
  refreshEveryMs: EpochMs.optional(),
  paused: z.boolean(),
  /** Persisted only for states that need the user: reauth_required, config_error, revoked. */
  status: AccountStatusSchema,
  statusMessage: z.string().optional(),
  // What the last refresh learned (also kept beside the tokens in the vault).
  expiresAt: EpochMs.optional(),
  expirySource: ExpirySourceSchema.optional(),
  refreshTokenExpiresAt: EpochMs.optional(),
  tokenType: z.string().optional(),
  scope: z.string().optional(),
  obtainedAt: EpochMs.optional(),
  lastRefreshAt: EpochMs.optional(),
  lastOutcome: z
    .object({
      at: EpochMs,
      outcome: z.enum(['ok', 'error']),
      errorClass: ErrorClassSchema.optional(),
      message: z.string().optional(),
      /** Set when the provider answered (its HTTP status); absent when TokenDesk failed or refused before any answer, so the message is TokenDesk's own. */
      httpStatus: z.number().int().optional(),
    })
    .optional(),
  /** Endpoints found by discovery (oauth2), cached. */
  endpoints: z.object({ tokenUrl: z.string(), revocationUrl: z.string().optional() }).optional(),
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** A team account (docs/ARCHITECTURE.md "Team vault"): shared through the team database, never in accounts.json. */
  team: z
    .object({
      /** false: the vendor does not rotate refresh tokens, so members may refresh it while the team store is offline. */
      rotating: z.boolean(),
      refreshedBy: z.string().optional(),
      refreshedAt: EpochMs.optional(),
    })
    .optional(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});
export type AccountRecord = z.infer<typeof AccountRecordSchema>;

export const AppSettingsSchema = z.object({
  /** Refresh at expiry − clamp(fraction × lifetime, minMs, maxMs), never more than half the lifetime. */
  refreshMarginPolicy: z.object({
    fraction: z.number().positive().max(0.5),
    minMs: z.number().int().nonnegative().max(3_600_000),
    maxMs: z.number().int().nonnegative().max(86_400_000),
  }),
  /** 0 = never clear the clipboard. */
  clipboardClearSeconds: z.number().int().min(0).max(3600),
  launchAtLogin: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Warn this many days before a refresh token with a known expiry dies (0 = never). */
  refreshTokenWarningDays: z.number().int().min(0).max(365),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

export const DEFAULT_SETTINGS: AppSettings = DEFAULT_SETTING_VALUES;
