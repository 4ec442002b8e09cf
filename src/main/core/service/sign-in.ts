// Sign-in: start one for an account (the URL to open, or the code to enter elsewhere), wait
// for it to end, cancel it. The sessions themselves live in src/main/core/signin.
import { ContractError, type Handlers } from '../contract.js';
import type { Shared } from './context.js';

export function signInHandlers(s: Shared): Pick<Handlers, 'signin.start' | 'signin.wait' | 'signin.cancel'> {
  const { ctx } = s;
  return {
    'signin.start': async ({ account, method, timeoutSeconds, credentials }, caller) => {
      const view = s.resolve(account);
      if (!ctx.signIn) throw new ContractError('invalid_input', 'Sign-in is not available here');
      return ctx.signIn.start(view.id, method, timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined, credentials, caller.actor);
    },
    'signin.wait': async ({ sessionId }) => {
      if (!ctx.signIn) throw new ContractError('not_found', 'No such sign-in');
      return { account: await ctx.signIn.wait(sessionId) };
    },
    'signin.cancel': async ({ sessionId }) => ({ cancelled: ctx.signIn?.cancel(sessionId) ?? false }),
  };
}
