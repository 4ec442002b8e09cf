// The accounts themselves: list, look up, add, change, remove, pause. Each change is stored
// first and then handed to the engine, so the engine never schedules what is not saved.
import type { AccountView, CallOutput } from '../../../shared/contract.js';
import type { Caller, Handlers } from '../contract.js';
import { tokenStateOf, type AccountRecord } from '../engine/types.js';
import { newAccount, updatedAccount, type UpdateAccountInput } from './account-input.js';
import type { Drafts } from './account-test.js';
import { audited } from './audit.js';
import type { Shared } from './context.js';
import type { PendingRemovals } from './removals.js';
import { teamOf } from './team.js';

type AccountCalls = 'accounts.list' | 'accounts.get' | 'accounts.add' | 'accounts.update' | 'accounts.remove' | 'accounts.restore' | 'accounts.setPaused';

export function accountHandlers(s: Shared, drafts: Drafts, removals: PendingRemovals): Pick<Handlers, AccountCalls> {
  const { engine, store } = s;
  return {
    'accounts.list': async () => engine.list(),

    'accounts.get': async ({ account }) => s.resolve(account),

    'accounts.add': async (input, caller) => {
      const { record, secrets } = newAccount(s, input);
      return audited(s, caller, 'added', record, async () => {
        if (input.draftId) drafts.adopt(input.draftId, record, secrets);
        if (input.team) return engine.upsert(await teamOf(s).createAccount({ ...record, team: { rotating: !input.nonRotating } }, secrets), secrets);
        await store.createAccount(record, secrets);
        return engine.upsert(record, secrets);
      });
    },

    'accounts.update': (input, caller) => updateAccount(s, input, caller),

    'accounts.remove': async ({ account, undoSeconds }, caller) => {
      const view = s.resolve(account);
      // The row keeps the account's name: its history stays in the log after it is gone.
      return audited(s, caller, 'removed', view, () => removals.remove(view, undoSeconds));
    },

    'accounts.restore': async ({ id }, caller) => {
      const restored = await removals.restore(id);
      await audited(s, caller, 'restored', restored, async () => undefined);
      return restored;
    },

    'accounts.setPaused': async (input, caller): Promise<CallOutput<'accounts.setPaused'>> => {
      const action = input.paused ? 'paused' : 'resumed';
      if ('all' in input) {
        engine.setAllPaused(input.paused);
        // One row per account: each account's history shows when it stopped and started refreshing.
        const message = input.paused ? 'Paused all accounts' : 'Resumed all accounts';
        await Promise.all(engine.list().map((view) => audited(s, caller, action, view, async () => undefined, () => ({ message }))));
      } else {
        const view = s.resolve(input.account);
        await audited(s, caller, action, view, () => engine.setPaused(view.id, input.paused));
      }
      return { pausedAll: engine.pausedAll, accounts: engine.list() };
    },
  };
}

async function updateAccount(s: Shared, input: UpdateAccountInput, caller: Caller): Promise<CallOutput<'accounts.update'>> {
  const current = s.resolve(input.account);
  if (input.name !== undefined) s.assertNameFree(input.name, current.id);
  const oldSecrets = await s.store.readSecrets(current.id);
  const { record, secrets } = updatedAccount(s.spec(current.providerId), current, oldSecrets, input, s.now());
  const message = changeSummary(current, oldSecrets, record, secrets);
  return audited(
    s,
    caller,
    'edited',
    record,
    async () => {
      await s.store.saveTokens(current.id, secrets, tokenStateOf(record));
      await s.store.saveAccount(record);
      return s.engine.upsert(record, secrets);
    },
    () => ({ message }),
  );
}

/** What an edit changed, by field id: never a value of a secret (only that it changed). */
function changeSummary(before: AccountView, oldSecrets: Record<string, string>, after: AccountRecord, secrets: Record<string, string>): string {
  const changed: string[] = [];
  if (after.name !== before.name) changed.push(`name (was ${JSON.stringify(before.name)})`);
  if (after.environment !== before.environment) changed.push('environment');
  if (after.baseUrl !== before.baseUrl) changed.push('base URL');
  if (after.refreshEveryMs !== before.refreshEveryMs) changed.push('refresh every');
  for (const key of new Set([...Object.keys(before.settings), ...Object.keys(after.settings)])) if (before.settings[key] !== after.settings[key]) changed.push(key);
  for (const key of new Set([...Object.keys(oldSecrets), ...Object.keys(secrets)])) if (oldSecrets[key] !== secrets[key]) changed.push(key);
  return changed.length ? `Changed ${changed.join(', ')}` : 'Saved without changes';
}
