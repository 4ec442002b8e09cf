// The only way out of the app to the web: a checked shell.openExternal. https only,
// no credentials in the URL, and an exact host from a short list of vendor and
// standards documentation sites (no suffix matching: "docs.ups.com.evil.test" is not ups).
import type { Shell } from 'electron';

export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set([
  // Vendors (docs/PROVIDERS.md)
  'developer.ups.com',
  'www.ups.com',
  'goteamup.com',
  'www.goteamup.com',
  'help.goteamup.com',
  'pathstack.io',
  'www.pathstack.io',
  'docs.pathstack.io',
  'banyanops.com',
  'www.banyanops.com',
  'docs.banyanops.com',
  'vault.ist',
  'www.vault.ist',
  // Standards and platform docs the UI links to (OAuth RFCs, safeStorage)
  'datatracker.ietf.org',
  'www.rfc-editor.org',
  'oauth.net',
  'www.electronjs.org',
]);

/** The URL, normalised, when it may be opened in the user's browser; otherwise undefined. */
export function allowedExternalUrl(raw: unknown, hosts: ReadonlySet<string> = EXTERNAL_LINK_HOSTS): string | undefined {
  if (typeof raw !== 'string' || raw.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return undefined;
  if (!hosts.has(url.hostname.toLowerCase())) return undefined;
  return url.href;
}

/** Opens the URL externally if it passes the allowlist. Returns whether it did. */
export function openExternalChecked(shell: Pick<Shell, 'openExternal'>, raw: unknown, hosts?: ReadonlySet<string>): boolean {
  const url = allowedExternalUrl(raw, hosts);
  if (!url) return false;
  void shell.openExternal(url).catch(() => undefined);
  return true;
}

/**
 * A sign-in's authorization URL, which the owner built for one account (signin.start): opened
 * as it is, and only that URL — https, or http on a loopback host (a local authorization
 * server), no credentials in it, at most 8 KiB. The provider's login page never opens inside
 * TokenDesk: it is the system browser's.
 */
export function openSignInUrl(shell: Pick<Shell, 'openExternal'>, raw: string): boolean {
  if (raw.length > 8192) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.username || url.password) return false;
  void shell.openExternal(url.href).catch(() => undefined);
  return true;
}
