// Signing in from the dashboard, the pure parts (unit-tested): which fields a sign-in
// fills in, when the Add form offers it, the countdown, what a failure means in words, and
// the QR code's drawing.
import type { SignInInfo } from '../../../shared/contract.js';

export type SignInMethod = SignInInfo['method'];

/** The fields a sign-in obtains: hidden in the Add form, and never sent, when the user signs in. */
export const SIGNED_IN_FIELDS: readonly string[] = ['refresh_token', 'access_token'];

/**
 * Whether the Add form offers "Sign in with …" for a provider: it must sign in with a
 * browser, and the account must keep its token alive with a refresh token (a
 * client-credentials account has no user to sign in).
 */
export function offersSignIn(methods: readonly SignInMethod[] | undefined, values: Readonly<Record<string, string>>): boolean {
  return Boolean(methods?.includes('browser')) && (values['grant'] ?? 'refresh_token') !== 'client_credentials';
}

/**
 * Time left to finish, as a clock reads it: "4:59", "0:07"; "0:00" once it is over. Whole
 * seconds rounded down: the shared clock's `now` is up to a second old, and a 5-minute
 * sign-in must not first read "5:01".
 */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${seconds < 10 ? '0' : ''}${seconds}`;
}

/** The same for a screen reader: "4 minutes 59 seconds left". */
export function countdownWords(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [minutes ? `${minutes} minute${minutes === 1 ? '' : 's'}` : '', seconds || !minutes ? `${seconds} second${seconds === 1 ? '' : 's'}` : ''];
  return `${parts.filter(Boolean).join(' ')} left`;
}

export type FailureKind = 'declined' | 'timed_out' | 'settings' | 'credentials' | 'other';

/**
 * What kind of failure the owner's message describes. `settings` when the provider refused
 * the account's client or configuration — the account's status became config_error, or
 * signin.start itself was refused as a configuration error, or the provider's redirect said
 * so: the fix is in its settings. A decline or a timeout says so first, whatever the status.
 */
export function failureKind(message: string | undefined, settingsRejected: boolean): FailureKind {
  const text = message ?? '';
  if (/declined|access_denied/i.test(text)) return 'declined';
  if (/timed out|expired/i.test(text)) return 'timed_out';
  if (settingsRejected || /refused the sign-in|rejected|invalid_client|unauthorized_client/i.test(text)) return 'settings';
  return 'other';
}

/** The sentence under the owner's message: what happened to the account and what to do. */
export function failureAdvice(kind: FailureKind): string {
  switch (kind) {
    case 'declined':
      return 'The access was not granted, so nothing was stored. Try again and approve it if you meant to sign in.';
    case 'timed_out':
      return 'Nothing was stored. Try again, and finish signing in before the time runs out.';
    case 'settings':
      return 'The account’s client or settings did not work, so nothing was stored: check the account’s settings (client ID, secret, URLs, redirect URI, scope), then try again.';
    case 'credentials':
      return 'The user name or password was not accepted, so nothing was stored. Check them and try again, or paste a refresh token with Edit.';
    case 'other':
      return 'Nothing was stored. Try again; if it keeps failing, check the account’s settings.';
  }
}

/**
 * An SVG path of a QR code's dark modules, one unit square each, joined into horizontal
 * runs: "M0 0h3v1h-3z M5 0h1v1h-1z …". The drawing is data, so it needs no inline style
 * or markup (the served page's CSP allows neither).
 */
export function qrPath(size: number, isDark: (row: number, col: number) => boolean, margin = 0): string {
  const parts: string[] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && isDark(row, col)) col++;
      parts.push(`M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`);
    }
  }
  return parts.join('');
}
