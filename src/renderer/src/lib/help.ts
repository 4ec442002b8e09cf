// What the Help dialog says: every status and failure the dashboard shows, with what TokenDesk
// does about it and what the user does, and where to read more. Keyed by the domain's own lists
// (ACCOUNT_STATUSES, ERROR_CLASSES) and labelled by the same words the list uses, so a new
// status cannot go unexplained and a renamed label cannot drift. Pure (unit-tested).
import type { AccountStatus, ErrorClass } from '../../../shared/domain.js';
import { ACCOUNT_STATUSES, ERROR_CLASSES } from '../../../shared/domain-values.js';
import { errorClassShort, STATUS_LABELS } from './status.js';

export interface GlossaryEntry {
  /** The words the dashboard shows (badge, history cell). */
  label: string;
  /** What TokenDesk does while an account is in this state. */
  tokenDesk: string;
  /** What the user does about it. */
  you: string;
}

const STATUS_WORDS: Record<AccountStatus, Omit<GlossaryEntry, 'label'>> = {
  active: {
    tokenDesk: 'Refreshes the access token before it expires (by the refresh margin in Settings). Without a token yet, the first refresh fetches one.',
    you: 'Nothing. Copy the token or header when you need it.',
  },
  refreshing: { tokenDesk: 'Is asking the provider for a new token right now.', you: 'Nothing; it takes a moment.' },
  retrying: {
    tokenDesk:
      'The last refresh failed for a reason that may pass (network, timeout, server error, rate limit). Tries again with growing gaps, within the current token’s validity when there is one; a rate limit waits as long as the provider asks.',
    you: 'Usually nothing. If it keeps failing, read the reason in the account’s details and check the network, the URL or the provider’s status.',
  },
  reauth_required: {
    tokenDesk: 'Stopped refreshing: the provider no longer accepts the refresh token (expired, revoked or already used), or the account has none yet.',
    you: 'Sign in (where TokenDesk can), or paste a new refresh token with Edit.',
  },
  config_error: {
    tokenDesk: 'Stopped refreshing: the provider refused the account’s settings (client ID, secret, URL, scope), or TokenDesk cannot send the request with them (a blocked port, a bad URL).',
    you: 'Fix the settings with Edit; saving them tries again.',
  },
  revoked: {
    tokenDesk: 'Deleted the tokens from this computer (and revoked them at the provider where it can); refreshes nothing.',
    you: 'Sign in or paste new tokens to use the account again, or remove it.',
  },
  paused: {
    tokenDesk: 'Does not refresh automatically (this account, or all of them); the token expires on its own. Refresh now still works.',
    you: 'Resume when TokenDesk should keep the token alive again.',
  },
};

const NOT_SAVED: GlossaryEntry = {
  label: 'Not saved',
  tokenDesk: 'A refresh worked, but writing the new tokens to disk failed: they are kept in memory and the save is retried.',
  you: 'Keep TokenDesk running until it clears; free disk space or fix the data folder’s permissions.',
};

const ERROR_CLASS_WORDS: Record<ErrorClass, Omit<GlossaryEntry, 'label'>> = {
  transient: { tokenDesk: 'Retries with backoff: a network error, a timeout, a server error or a malformed answer.', you: 'Nothing, unless it lasts.' },
  rate_limited: { tokenDesk: 'Waits as long as the provider asked (Retry-After), else a minute, then retries.', you: 'Nothing; refresh less often if it is frequent.' },
  reauth_required: { tokenDesk: 'Stops: the refresh token is no good any more.', you: 'Sign in again.' },
  config_error: { tokenDesk: 'Stops: the settings cannot work as they are.', you: 'Fix them with Edit.' },
};

/** One entry per account status (in the domain's order), then "Not saved". */
export function statusGlossary(): GlossaryEntry[] {
  return [...ACCOUNT_STATUSES.map((s) => ({ label: STATUS_LABELS[s], ...STATUS_WORDS[s] })), NOT_SAVED];
}

/** One entry per kind of failed refresh, labelled as the history shows it. */
export function failureGlossary(): GlossaryEntry[] {
  return ERROR_CLASSES.map((c) => ({ label: errorClassShort(c), ...ERROR_CLASS_WORDS[c] }));
}

export interface DocLink {
  label: string;
  url: string;
}

/** Documentation on the web. Each host is one the desktop app opens in the browser (app/external-links.ts). */
export const DOC_LINKS: readonly DocLink[] = [
  { label: 'OAuth 2.0 (RFC 6749): refresh tokens, client authentication', url: 'https://datatracker.ietf.org/doc/html/rfc6749' },
  { label: 'Token revocation (RFC 7009)', url: 'https://datatracker.ietf.org/doc/html/rfc7009' },
  { label: 'Device sign-in (RFC 8628)', url: 'https://datatracker.ietf.org/doc/html/rfc8628' },
  { label: 'PKCE (RFC 7636)', url: 'https://datatracker.ietf.org/doc/html/rfc7636' },
  { label: 'Issuer discovery (RFC 8414)', url: 'https://datatracker.ietf.org/doc/html/rfc8414' },
  { label: 'UPS Developer Portal', url: 'https://developer.ups.com/' },
  { label: 'Banyan documentation', url: 'https://docs.banyanops.com/' },
];

/** Documentation that comes with TokenDesk (in its folder or package): the file, the sections to read (their headings, as written), what it tells. */
export const BUNDLED_DOCS: readonly { file: string; sections: readonly string[]; about: string }[] = [
  { file: 'README.md', sections: ['The dashboard', 'Signing in', 'The `tokendesk` CLI', '`tokendesk serve`: the dashboard in a browser'], about: 'using the app, the CLI and the browser dashboard' },
  { file: 'docs/PROVIDERS.md', sections: [], about: 'what each provider’s token endpoint does and what TokenDesk relies on' },
  { file: 'docs/ARCHITECTURE.md', sections: ['Failures and backoff'], about: 'which failures stop an account and which are retried' },
];
