// How `tokendesk token` prints a token, and its option defaults: shared by the full command
// (commands/token.ts) and the lean client path (fast.ts), so the two cannot drift.
import type { CallOutput } from '../shared/contract.js';
import { formatToken, shellQuote } from '../main/core/token-format.js';

export const TOKEN_MIN_VALID_DEFAULT = 60;
export const TOKEN_SCHEMES = ['Bearer', 'Token'] as const;

export type Token = CallOutput<'accounts.token'>;
export type TokenOutputFormat = 'token' | 'header' | 'curl' | 'env' | 'json';

/** RFC 6750's b64token characters: such a value needs no quoting in an env file. */
const PLAIN_VALUE = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The text for a token in `format`. Every format ends with a newline except a bare token
 * written to a file, which holds exactly the token (as Kubernetes token files do).
 */
export function renderToken(format: TokenOutputFormat, token: Token, opts: { scheme?: string; url?: string; variable: string; toFile: boolean }): string {
  const account = { ...token.account, tokenType: token.tokenType };
  switch (format) {
    case 'json':
      return `${JSON.stringify(token, null, 2)}\n`;
    case 'env':
      // One VAR=value line: what `set -a; . FILE`, systemd's EnvironmentFile= and docker --env-file read.
      return `${opts.variable}=${PLAIN_VALUE.test(token.accessToken) ? token.accessToken : shellQuote(token.accessToken)}\n`;
    case 'token':
      return opts.toFile ? token.accessToken : `${token.accessToken}\n`;
    default:
      return `${formatToken(format, token.accessToken, account, { scheme: opts.scheme, url: opts.url })}\n`;
  }
}

