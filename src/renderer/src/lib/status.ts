// What an account's state means, in words. Pure (unit-tested).
import type { AccountView } from '../../../shared/contract.js';
import type { AccountStatus, ErrorClass } from '../../../shared/domain.js';

export type StatusColor = 'green' | 'blue' | 'amber' | 'red' | 'orange' | 'gray' | 'violet';

export interface StatusInfo {
  /** Short label for the badge. */
  label: string;
  color: StatusColor;
  /** One or two sentences for humans: what happened and what to do. */
  explanation: string;
  /** Needs the user (or at least their attention). */
  attention: boolean;
  /** Sort rank: lower = more urgent. */
  rank: number;
}

const LABELS: Record<AccountStatus, string> = {
  active: 'Active',
  refreshing: 'Refreshing',
  retrying: 'Retrying',
  reauth_required: 'Sign in again',
  config_error: 'Fix settings',
  revoked: 'Revoked',
  paused: 'Paused',
};

export const STATUS_LABELS: Readonly<Record<AccountStatus, string>> = LABELS;

const ERROR_CLASS_WORDS: Record<ErrorClass, string> = {
  reauth_required: 'the provider no longer accepts the refresh token',
  config_error: 'the provider rejected the account’s settings',
  rate_limited: 'the provider is rate-limiting requests',
  transient: 'a temporary problem (network, timeout or server error)',
};

const ERROR_CLASS_SHORT: Record<ErrorClass, string> = {
  reauth_required: 'sign-in needed',
  config_error: 'config error',
  rate_limited: 'rate limited',
  transient: 'temporary error',
};

/** A failed refresh in two words, for badges and table cells. */
export function errorClassShort(errorClass: ErrorClass | undefined): string {
  return errorClass ? ERROR_CLASS_SHORT[errorClass] : 'error';
}

/** `httpStatus`: the provider answered; without it a configuration error is TokenDesk's own refusal, not the provider's. */
export function errorClassWords(errorClass: ErrorClass | undefined, httpStatus?: number): string {
  if (errorClass === 'config_error' && httpStatus === undefined) return 'TokenDesk cannot send a request with the account’s settings';
  return errorClass ? ERROR_CLASS_WORDS[errorClass] : 'an error';
}

type Outcome = AccountView['lastOutcome'];

/**
 * A failure's message, attributed honestly: the provider's words only when it answered (the
 * outcome has its HTTP status); otherwise TokenDesk failed or refused before any answer and the
 * message is its own.
 */
function quoted(message: string | undefined, outcome: Outcome): string {
  if (!message) return '';
  if (outcome?.httpStatus !== undefined) return ` The provider answered (HTTP ${outcome.httpStatus}): “${message}”.`;
  return ` Details: “${message}”.`;
}

/** When the next try comes, in words that fit the account: without an access token there is no validity to retry within. */
function retryWords(account: Pick<AccountView, 'retryAttempt' | 'hasAccessToken'>): string {
  const attempt = account.retryAttempt ? ` (attempt ${account.retryAttempt})` : '';
  return account.hasAccessToken
    ? `TokenDesk retries with backoff${attempt} while the current token is still valid.`
    : `TokenDesk retries with backoff${attempt}; the account has no access token until a try succeeds.`;
}

/**
 * `canSignIn`: TokenDesk can sign in to the account's provider, so the way out of "Sign in
 * again" is its Sign in button rather than pasting a token with Edit.
 */
export function statusInfo(
  account: Pick<AccountView, 'status' | 'statusMessage' | 'notSaved' | 'lastOutcome' | 'retryAttempt' | 'hasAccessToken' | 'paused' | 'obtainedAt'>,
  canSignIn = false,
): StatusInfo {
  const label = LABELS[account.status];
  if (account.notSaved) {
    return {
      label: 'Not saved',
      color: 'amber',
      explanation: 'The last refresh worked, but the new tokens are only in memory: writing them to disk failed. TokenDesk keeps retrying the save; keep it running until this clears.',
      attention: true,
      rank: 2,
    };
  }
  switch (account.status) {
    case 'active':
      return {
        label,
        color: 'green',
        explanation: account.hasAccessToken
          ? 'Healthy. TokenDesk refreshes the token before it expires.'
          : 'Waiting for the first refresh to fetch an access token.',
        attention: false,
        rank: 6,
      };
    case 'refreshing':
      return { label, color: 'blue', explanation: 'Asking the provider for a new token now…', attention: false, rank: 5 };
    case 'retrying': {
      const what = errorClassWords(account.lastOutcome?.errorClass, account.lastOutcome?.httpStatus);
      return {
        label,
        color: 'amber',
        explanation: `The last refresh failed: ${what}.${quoted(account.lastOutcome?.message, account.lastOutcome)} ${retryWords(account)}`,
        attention: true,
        rank: 3,
      };
    }
    case 'reauth_required': {
      // Added without a refresh token, to be signed in: the message is TokenDesk's own
      // ("no refresh token yet"), not the provider's, so it is not quoted as theirs.
      const fresh = account.obtainedAt === undefined && !account.hasAccessToken && /no refresh token/i.test(account.statusMessage ?? account.lastOutcome?.message ?? '');
      const explanation = fresh
        ? canSignIn
          ? 'This account has no tokens yet. Sign in to get them; TokenDesk keeps them alive from then on.'
          : 'This account has no refresh token yet. Paste one with Edit.'
        : `The provider no longer accepts this account’s refresh token (it expired, was revoked or was already used).${quoted(account.statusMessage, account.lastOutcome)} ${
            canSignIn ? 'Sign in again to get new tokens.' : 'Sign in at the provider again and paste the new refresh token with Edit.'
          }`;
      return { label, color: 'red', explanation, attention: true, rank: 0 };
    }
    case 'config_error':
      return {
        label,
        color: 'orange',
        explanation: `${
          account.lastOutcome?.httpStatus !== undefined
            ? 'The provider rejected the account’s configuration (client id, secret, URL or scope).'
            : 'TokenDesk cannot send a refresh with the account’s settings; nothing reached the provider.'
        }${quoted(account.statusMessage, account.lastOutcome)} Fix it with Edit; TokenDesk stopped refreshing until then.`,
        attention: true,
        rank: 1,
      };
    case 'revoked':
      return {
        label,
        color: 'gray',
        explanation: `The tokens were deleted from this computer and refreshing stopped. ${canSignIn ? 'Sign in' : 'Paste new tokens with Edit'} to use this account again, or remove it.`,
        attention: false,
        rank: 8,
      };
    case 'paused':
      return {
        label,
        color: 'gray',
        explanation: account.paused
          ? 'Automatic refresh is paused for this account; the token expires on its own. Refresh now still works.'
          : 'Automatic refresh is paused for every account; the tokens expire on their own.',
        attention: false,
        rank: 7,
      };
  }
}

export type PrimaryAction = 'refresh' | 'signIn' | 'edit';

/** Whether "Refresh now" can work: not once the refresh token is refused or gone (only a sign-in or new settings help). */
export function canRefreshNow(account: Pick<AccountView, 'status'>): boolean {
  return account.status !== 'reauth_required' && account.status !== 'revoked';
}

/**
 * The account's first button: what can help it now. A refresh cannot work without an accepted
 * refresh token ("Sign in again", revoked) — signing in can, where TokenDesk can sign in to the
 * provider, else Edit (paste new tokens); rejected settings are fixed with Edit.
 */
export function primaryAction(account: Pick<AccountView, 'status'>, canSignIn: boolean): PrimaryAction {
  switch (account.status) {
    case 'reauth_required':
    case 'revoked':
      return canSignIn ? 'signIn' : 'edit';
    case 'config_error':
      return 'edit';
    default:
      return 'refresh';
  }
}
