// How a token is handed to a human: the bare token, an `Authorization:` line, or a
// curl command. Shared by the CLI and the dashboard's copy buttons.
import type { AccountView } from '../../shared/contract.js';

export type CopyFormat = 'token' | 'header' | 'curl';

export function authorizationValue(accessToken: string, tokenType: string | undefined, scheme?: string): string {
  const type = scheme ?? (!tokenType || /^bearer$/i.test(tokenType) ? 'Bearer' : tokenType);
  return `${type} ${accessToken}`;
}

/** Extra headers a vendor needs on API calls made with the token (TeamUp's request mode). */
export function vendorHeaders(account: Pick<AccountView, 'providerId' | 'settings'>): string[] {
  if (account.providerId !== 'teamup') return [];
  const headers = [`TeamUp-Request-Mode: ${account.settings['new_access_token_type'] || 'customer'}`];
  if (account.settings['provider_id']) headers.push(`TeamUp-Provider-ID: ${account.settings['provider_id']}`);
  return headers;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function formatToken(
  format: CopyFormat,
  accessToken: string,
  account: Pick<AccountView, 'providerId' | 'settings' | 'tokenType'>,
  options: { scheme?: string; url?: string } = {},
): string {
  const header = `Authorization: ${authorizationValue(accessToken, account.tokenType, options.scheme)}`;
  switch (format) {
    case 'token':
      return accessToken;
    case 'header':
      return header;
    case 'curl': {
      const headers = [header, ...vendorHeaders(account)];
      return `curl ${headers.map((h) => `-H ${shellQuote(h)}`).join(' ')} ${shellQuote(options.url || 'https://example.invalid/')}`;
    }
  }
}
