// An account's tokens, through the engine: refresh now, a valid access token (plain or
// formatted for copying), the refresh token or ID token for the inspector, revoke.
import type { TokenKind } from '../../../shared/contract.js';
import { ContractError, type Handlers } from '../contract.js';
import { formatToken } from '../token-format.js';
import { audited } from './audit.js';
import type { Shared } from './context.js';

type TokenCalls = 'accounts.refresh' | 'accounts.token' | 'accounts.reveal' | 'accounts.copy' | 'accounts.revoke';

const STORED_TOKENS = {
  refresh: { field: 'refresh_token', words: 'refresh token' },
  id: { field: 'id_token', words: 'ID token' },
} as const satisfies Record<Exclude<TokenKind, 'access'>, { field: string; words: string }>;

export function tokenHandlers(s: Shared): Pick<Handlers, TokenCalls> {
  const { engine } = s;
  /** The stored refresh token or ID token, as it is (no refresh): `not_found` when there is none. */
  const storedToken = (id: string, name: string, kind: Exclude<TokenKind, 'access'>): string => {
    const { field, words } = STORED_TOKENS[kind];
    const token = engine.peekSecret(id, field);
    if (!token) throw new ContractError('not_found', `${name} has no ${words}`);
    return token;
  };
  return {
    'accounts.refresh': async ({ account, trigger }, caller) => {
      const view = s.resolve(account);
      const outcome = await engine.refresh(view.id, trigger ?? 'manual', caller.actor);
      return { outcome, account: engine.get(view.id) };
    },

    'accounts.token': async ({ account, minValidSeconds, trigger, requester }, caller) => {
      const view = s.resolve(account);
      const { accessToken, view: after } = await engine.getToken(view.id, (minValidSeconds ?? 60) * 1000, trigger ?? 'cli', caller.actor, requester);
      return { accessToken, tokenType: after.tokenType ?? 'Bearer', expiresAt: after.expiresAt, account: after };
    },

    'accounts.reveal': async ({ account, token }) => {
      const view = s.resolve(account);
      return { token: storedToken(view.id, view.name, token) };
    },

    'accounts.copy': async ({ account, format, scheme, url, token }, caller) => {
      const view = s.resolve(account);
      if (token && token !== 'access') {
        if (format !== 'token') throw new ContractError('invalid_input', `Only the access token makes an Authorization header or a curl line; the ${STORED_TOKENS[token].words} is copied as it is`);
        return { copied: false, text: storedToken(view.id, view.name, token) };
      }
      const { accessToken, view: after } = await engine.getToken(view.id, 0, 'manual', caller.actor);
      return { copied: false, text: formatToken(format, accessToken, after, { scheme, url }) };
    },

    'accounts.revoke': async ({ account }, caller) => {
      const view = s.resolve(account);
      const result = await audited(s, caller, 'revoked', view, () => engine.revoke(view.id), (r) => ({ httpStatus: r.httpStatus, message: r.message }));
      return { ...result, account: engine.get(view.id) };
    },
  };
}
