// history.list: rows of the history log (every action on an account), of one account or all.
import type { Handlers } from '../contract.js';
import type { Shared } from './context.js';

export function historyHandlers(s: Shared): Pick<Handlers, 'history.list'> {
  return {
    'history.list': async ({ account, outcome, actions, limit }) => {
      const accountId = account ? s.resolve(account).id : undefined;
      return s.store.listHistory({ accountId, outcome, actions, limit: limit ?? 100 });
    },
  };
}
