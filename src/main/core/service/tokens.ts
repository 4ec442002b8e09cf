// An account's tokens, through the engine: refresh now, a valid access token (plain or
// formatted for copying), revoke.
import type { Handlers } from '../contract.js';
import { formatToken } from '../token-format.js';
import { audited } from './audit.js';
import type { Shared } from './context.js';

type TokenCalls = 'accounts.refresh' | 'accounts.token' | 'accounts.copy' | 'accounts.revoke';

export function tokenHandlers(s: Shared): Pick<Handlers, TokenCalls> {
  const { engine } = s;
  return {
    'accounts.refresh': async ({ account, trigger }, caller) => {
      const view = s.resolve(account);
      const outcome = await engine.refresh(view.id, trigger ?? 'manual', caller.actor);
      return { outcome, account: engine.get(view.id) };
    },

    'accounts.token': async ({ account, minValidSeconds, trigger }, caller) => {
      const view = s.resolve(account);
      const { accessToken, view: after } = await engine.getToken(view.id, (minValidSeconds ?? 60) * 1000, trigger ?? 'cli', caller.actor);
      return { accessToken, tokenType: after.tokenType ?? 'Bearer', expiresAt: after.expiresAt, account: after };
    },

    'accounts.copy': async ({ account, format, scheme, url }, caller) => {
      const view = s.resolve(account);
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
