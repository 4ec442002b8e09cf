// What the service is given (its context; the storage port is in store.ts) and what every handler group
// shares: the clock and the lookups of an account by name or id.
import type { AccountView, CallOutput, StorageReport } from '../../../shared/contract.js';
import { quoteKey } from '../../../shared/provider-fields.js';
import { ContractError } from '../contract.js';
import type { Engine } from '../engine/engine.js';
import { ProviderRegistry } from '../providers/registry.js';
import type { ProviderSpec } from '../providers/types.js';
import type { ProviderStore } from '../storage/provider-store.js';
import type { SignInSessions } from '../signin/sessions.js';
import type { TeamControl } from '../team/team-control.js';
import type { KeyWrapper } from '../vault/key-wrappers.js';
import type { PendingRemovals } from './removals.js';
import type { ServiceStore } from './store.js';

export interface ServiceContext {
  engine: Engine;
  /** Sign-in sessions (src/main/core/signin); absent where nothing can sign in. */
  signIn?: SignInSessions;
  store: ServiceStore;
  /** The team vault (docs/ARCHITECTURE.md "Team vault"); absent where there is none (tests of the service alone). */
  team?: TeamControl;
  dataDir: string;
  startedAt: number;
  now?: () => number;
  /** Provider request timeout for "test now". */
  timeoutMs?: number;
  /** The system key store: the OS keyring headless, Electron safeStorage in the app. */
  systemKeyWrapper?: () => Promise<KeyWrapper>;
  /** A demo session (src/main/core/demo.ts): owner.status says so and the UI marks it. */
  demo?: boolean;
  /** Damaged files found and moved aside, at open or since (owner.status reports them). */
  storageReports?: () => readonly StorageReport[];
  /** How the host shows a demo beside this session ("Explore the demo"); absent for the CLI and daemon. */
  startDemo?: () => Promise<CallOutput<'demo.start'>>;
  /** Removals that can still be undone; the owner passes its own so it can end them at close. */
  removals?: PendingRemovals;
  /** The providers this owner knows (built-ins and provider files); the engine must read the same `specs`. Default: the built-ins. */
  providers?: ProviderRegistry;
  /** Where provider files are kept (providers.json); absent: providers.add is refused. */
  providerStore?: ProviderStore;
}

/** The context every handler group works with. */
export interface Shared {
  readonly ctx: ServiceContext;
  readonly engine: Engine;
  readonly store: ServiceStore;
  readonly now: () => number;
  readonly providers: ProviderRegistry;
  /** The spec of a provider id; `invalid_input` naming the id when nobody knows it. */
  spec(providerId: string): ProviderSpec;
  /** The account with id `ref`, else named `ref` (case-insensitive); `not_found` when there is none. */
  resolve(ref: string): AccountView;
  /** Refuses a name another account has (case-insensitive); `exceptId` is the account being renamed. */
  assertNameFree(name: string, exceptId?: string): void;
}

export function shareContext(ctx: ServiceContext): Shared {
  const { engine, store } = ctx;
  const providers = ctx.providers ?? new ProviderRegistry();
  return {
    ctx,
    engine,
    store,
    now: ctx.now ?? Date.now,
    providers,
    spec(providerId) {
      const spec = providers.spec(providerId);
      if (!spec) throw new ContractError('invalid_input', `providerId: no provider ${quoteKey(providerId)} (see \`tokendesk providers\`)`);
      return spec;
    },
    resolve(ref) {
      const view = engine.resolve(ref);
      if (!view) throw new ContractError('not_found', `No account named or with id ${quoteKey(ref)}`);
      return view;
    },
    assertNameFree(name, exceptId) {
      const clash = engine.resolve(name);
      if (clash && clash.id !== exceptId && clash.name.toLowerCase() === name.toLowerCase()) {
        throw new ContractError('conflict', `An account named ${JSON.stringify(clash.name)} already exists`);
      }
    },
  };
}
