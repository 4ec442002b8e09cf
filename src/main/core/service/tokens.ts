// An account's tokens, through the engine: refresh now, a valid access token (plain or
// formatted for copying), revoke.
import type { Handlers } from '../contract.js';
import { formatToken } from '../token-format.js';
import type { Shared } from './context.js';

type TokenCalls = 'accounts.refresh' | 'accounts.token' | 'accounts.copy' | 'accounts.revoke';

export function tokenHandlers(s: Shared): Pick<Handlers, TokenCalls> {
  const { engine } = s;
  return {
    'accounts.refresh': async ({ account, trigger }) => {
      const view = s.resolve(account);
      const outcome = await engine.refresh(view.id, trigger ?? 'manual');
      return { outcome, account: engine.get(view.id) };
    },

    'accounts.token': async ({ account, minValidSeconds, trigger, requester }) => {
      const view = s.resolve(account);
      const { accessToken, view: after } = await engine.getToken(view.id, (minValidSeconds ?? 60) * 1000, trigger ?? 'cli', requester);
      return { accessToken, tokenType: after.tokenType ?? 'Bearer', expiresAt: after.expiresAt, account: after };
    },

    'accounts.copy': async ({ account, format, scheme, url }) => {
      const view = s.resolve(account);
      const { accessToken, view: after } = await engine.getToken(view.id, 0, 'manual');
      return { copied: false, text: formatToken(format, accessToken, after, { scheme, url }) };
    },

    'accounts.revoke': async ({ account }) => {
      const view = s.resolve(account);
      const result = await engine.revoke(view.id);
      return { ...result, account: engine.get(view.id) };
    },
  };
}
