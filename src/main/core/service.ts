// The contract's handlers: what every transport serves. Validates domain rules
// (provider fields, unique names, URLs), keeps the store and the engine in step.
// One module per area in service/; this file assembles them into the full set.
import type { Handlers } from './contract.js';
import { accountHandlers } from './service/accounts.js';
import { accountTestHandlers, Drafts } from './service/account-test.js';
import { shareContext, type ServiceContext } from './service/context.js';
import { historyHandlers } from './service/history.js';
import { providerHandlers } from './service/providers.js';
import { PendingRemovals } from './service/removals.js';
import { sessionHandlers } from './service/session.js';
import { settingsHandlers } from './service/settings.js';
import { signInHandlers } from './service/sign-in.js';
import { teamHandlers } from './service/team.js';
import { tokenHandlers } from './service/tokens.js';
import { vaultHandlers } from './service/vault.js';

export type { ServiceContext } from './service/context.js';
export type { HistoryQuery, ServiceStore, VaultStatus } from './service/store.js';
export { PendingRemovals } from './service/removals.js';

export function createHandlers(ctx: ServiceContext): Handlers {
  const shared = shareContext(ctx);
  const drafts = new Drafts(shared.now);
  const removals = ctx.removals ?? new PendingRemovals(ctx.engine, ctx.store, shared.now);
  return {
    ...sessionHandlers(shared),
    ...accountHandlers(shared, drafts, removals),
    ...accountTestHandlers(shared, drafts),
    ...tokenHandlers(shared),
    ...historyHandlers(shared),
    ...settingsHandlers(shared),
    ...vaultHandlers(shared),
    ...signInHandlers(shared),
    ...providerHandlers(shared),
    ...teamHandlers(shared),
  };
}
