// history.list: rows of the history log (every action on an account), of one account or all.
// An account is named as everywhere (name or id); a removed account by the name or id its rows keep.
import type { Handlers } from '../contract.js';
import type { Shared } from './context.js';

export function historyHandlers(s: Shared): Pick<Handlers, 'history.list'> {
  return {
    'history.list': async ({ account, outcome, actions, limit }) => {
      const accountId = account ? (s.engine.resolve(account)?.id ?? (await removedAccountId(s, account))) : undefined;
      return s.store.listHistory({ accountId, outcome, actions, limit: limit ?? 100 });
    },
  };
}

/** The id of a removed account whose rows carry `ref` as id or name (the newest such row wins); else not_found. */
async function removedAccountId(s: Shared, ref: string): Promise<string> {
  const lower = ref.toLowerCase();
  const rows = await s.store.listHistory({});
  const match = rows.find((e) => e.accountId === ref) ?? rows.find((e) => e.accountName?.toLowerCase() === lower);
  return match?.accountId ?? s.resolve(ref).id; // resolve throws the usual not_found
}
