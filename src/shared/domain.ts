// Domain types shared by every layer (DESIGN.md "Domain"). Pure TS + zod: no Node, no DOM.
import { z } from 'zod';

export const PROVIDER_IDS = ['ups', 'pathstack', 'teamup', 'banyan', 'vaultist', 'oauth2'] as const;
export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof ProviderIdSchema>;

export const ACCOUNT_STATUSES = [
  'active',
  'refreshing',
  'retrying',
  'reauth_required',
  'config_error',
  'revoked',
  'paused',
] as const;
export const AccountStatusSchema = z.enum(ACCOUNT_STATUSES);
export type AccountStatus = z.infer<typeof AccountStatusSchema>;

/** How a failed refresh is handled (DESIGN.md "Refresh engine"). */
export const ERROR_CLASSES = ['reauth_required', 'config_error', 'rate_limited', 'transient'] as const;
export const ErrorClassSchema = z.enum(ERROR_CLASSES);
export type ErrorClass = z.infer<typeof ErrorClassSchema>;

export const REFRESH_TRIGGERS = ['scheduled', 'manual', 'startup', 'resume', 'retry', 'cli'] as const;
export const RefreshTriggerSchema = z.enum(REFRESH_TRIGGERS);
export type RefreshTrigger = z.infer<typeof RefreshTriggerSchema>;

/** Where an access token's expiry came from, so the UI can say how sure it is. */
export const EXPIRY_SOURCES = ['expires_in', 'jwt_exp', 'refresh_every', 'unknown'] as const;
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

export const RefreshEventSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  at: EpochMs,
  trigger: RefreshTriggerSchema,
  outcome: z.enum(['ok', 'error']),
  errorClass: ErrorClassSchema.optional(),
  httpStatus: z.number().int().optional(),
  durationMs: z.number().nonnegative(),
  newExpiresAt: EpochMs.optional(),
  rotated: z.boolean().optional(),
  message: z.string().optional(),
});
export type RefreshEvent = z.infer<typeof RefreshEventSchema>;
