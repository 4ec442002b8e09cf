// The accounts themselves: list, look up, add, change, remove, pause. Each change is stored
// first and then handed to the engine, so the engine never schedules what is not saved.
import type { CallOutput } from '../../../shared/contract.js';
import type { Handlers } from '../contract.js';
import { tokenStateOf } from '../engine/types.js';
import { newAccount, updatedAccount, type UpdateAccountInput } from './account-input.js';
import type { Drafts } from './account-test.js';
import type { Shared } from './context.js';
import { teamOf } from './team.js';

type AccountCalls = 'accounts.list' | 'accounts.get' | 'accounts.add' | 'accounts.update' | 'accounts.remove' | 'accounts.setPaused';

export function accountHandlers(s: Shared, drafts: Drafts): Pick<Handlers, AccountCalls> {
  const { engine, store } = s;
  return {
    'accounts.list': async () => engine.list(),

    'accounts.get': async ({ account }) => s.resolve(account),

    'accounts.add': async (input) => {
      const { record, secrets } = newAccount(s, input);
      if (input.draftId) drafts.adopt(input.draftId, record, secrets);
      if (input.team) return engine.upsert(await teamOf(s).createAccount({ ...record, team: { rotating: !input.nonRotating } }, secrets), secrets);
      await store.createAccount(record, secrets);
      return engine.upsert(record, secrets);
    },

    'accounts.update': (input) => updateAccount(s, input),

    'accounts.remove': async ({ account }) => {
      const view = s.resolve(account);
      // The engine first: a refresh in flight must not save the secrets back after the store deleted them.
      await engine.remove(view.id);
      await store.removeAccount(view.id);
      return { id: view.id, removed: true as const };
    },

    'accounts.setPaused': async (input): Promise<CallOutput<'accounts.setPaused'>> => {
      if ('all' in input) engine.setAllPaused(input.paused);
      else await engine.setPaused(s.resolve(input.account).id, input.paused);
      return { pausedAll: engine.pausedAll, accounts: engine.list() };
    },
  };
}

async function updateAccount(s: Shared, input: UpdateAccountInput): Promise<CallOutput<'accounts.update'>> {
  const current = s.resolve(input.account);
  if (input.name !== undefined) s.assertNameFree(input.name, current.id);
  const oldSecrets = await s.store.readSecrets(current.id);
  const { record, secrets } = updatedAccount(current, oldSecrets, input, s.now());
  await s.store.saveTokens(current.id, secrets, tokenStateOf(record));
  await s.store.saveAccount(record);
  return s.engine.upsert(record, secrets);
}
