// The domain's plain values (docs/ARCHITECTURE.md "Domain"), without zod: domain.ts builds its
// schemas from them and re-exports them; the dashboard's first screen imports them from here
// so that it loads no schema library (src/renderer/src/zod-config.ts).
export const PROVIDER_IDS = ['ups', 'pathstack', 'teamup', 'banyan', 'vaultist', 'oauth2'] as const;

export const ACCOUNT_STATUSES = [
  'active',
  'refreshing',
  'retrying',
  'reauth_required',
  'config_error',
  'revoked',
  'paused',
] as const;

/** How a failed refresh is handled (docs/ARCHITECTURE.md "Failures and backoff"). */
export const ERROR_CLASSES = ['reauth_required', 'config_error', 'rate_limited', 'transient'] as const;

export const REFRESH_TRIGGERS = ['scheduled', 'manual', 'startup', 'resume', 'retry', 'cli', 'sign_in'] as const;

/** Where an access token's expiry came from, so the UI can say how sure it is. */
export const EXPIRY_SOURCES = ['expires_in', 'jwt_exp', 'refresh_every', 'unknown'] as const;

/** What a history row records (docs/ARCHITECTURE.md "Domain"): every action on an account, not only refreshes. */
export const HISTORY_ACTIONS = ['added', 'edited', 'signed_in', 'refreshed', 'revoked', 'paused', 'resumed', 'removed', 'restored'] as const;

/**
 * Who asked for it: the dashboard (desktop window or `serve` page), the CLI, the tray, or the
 * owner's own scheduler — `daemon` for `tokendesk daemon`/`serve`, `app` for the desktop app.
 */
export const HISTORY_ACTORS = ['dashboard', 'cli', 'tray', 'daemon', 'app'] as const;

/** The settings' defaults; domain.ts exports them typed as AppSettings (DEFAULT_SETTINGS), which checks them. */
export const DEFAULT_SETTING_VALUES = {
  refreshMarginPolicy: { fraction: 0.2, minMs: 30_000, maxMs: 15 * 60_000 },
  clipboardClearSeconds: 30,
  launchAtLogin: false,
  theme: 'system' as const,
  refreshTokenWarningDays: 7,
};
