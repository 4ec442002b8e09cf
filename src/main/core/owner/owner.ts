// The process that owns a data dir (docs/ARCHITECTURE.md "Owner model"): holds the
// lock, opens the vault and stores, runs the engine, serves the contract on the
// local socket. The Electron app, `tokendesk daemon`/`serve` and a one-shot CLI
// command without a running owner all start one of these.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { events as contractEvents, type EventName } from '../../../shared/contract.js';
import type { HistoryActor } from '../../../shared/domain.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { createHandlers, PendingRemovals, type ServiceContext } from '../service.js';
import { SignInSessions } from '../signin/sessions.js';
import { openAccountStore } from '../storage/account-store.js';
import { PRIVATE_DIR_MODE } from '../storage/atomic.js';
import { ensureDataDir } from '../storage/data-dir.js';
import { HistoryLog } from '../storage/history-log.js';
import { acquireOwnerLock, waitForOwnerLock, type OwnerLock } from '../storage/owner-lock.js';
import type { QuarantineReport } from '../storage/quarantine.js';
import type { KeyWrapper, WrapperDescription } from '../vault/key-wrappers.js';
import { TeamControl } from '../team/team-control.js';
import { openVault, type Vault } from '../vault/vault.js';
import { DurableStore } from './durable-store.js';
import { loadProviderFiles } from './provider-files.js';
import { RoutingStore } from './routing-store.js';
import { membershipVault } from './team-membership.js';
import { Router } from './router.js';
import { OwnerSocketServer } from './socket-server.js';
import { ownerSocketPath } from './socket-path.js';

export interface OwnerOptions {
  dataDir: string;
  /** Chosen lazily: only an owner needs the vault key. */
  keyWrapper: () => Promise<KeyWrapper>;
  /** false for a one-shot CLI command: no timer, refreshes only on demand. */
  schedule: boolean;
  /** Serve the contract on the local socket (default true). */
  serveSocket?: boolean;
  /** Wait this long for another owner to release the lock (default: fail at once). */
  lockWaitMs?: number;
  /** What `vault.rewrap {to: 'system'}` uses: the OS keyring unless the app passes safeStorage. */
  systemKeyWrapper?: () => Promise<KeyWrapper>;
  engine?: Partial<Omit<EngineOptions, 'store'>>;
  /**
   * Who the owner's own work is recorded as in the history (scheduled refreshes, the demo's
   * seeding): `daemon` (default) for `tokendesk daemon`/`serve`, `app` for the desktop app,
   * `cli` for a one-shot command.
   */
  actor?: HistoryActor;
  /** A demo session (src/main/core/demo.ts): reported by owner.status. */
  demo?: boolean;
  /** The host's "Explore the demo" (serve: a second dashboard; the app: relaunch with --demo). */
  startDemo?: ServiceContext['startDemo'];
}

export class Owner {
  readonly startedAt = Date.now();

  private constructor(
    readonly dataDir: string,
    readonly engine: Engine,
    readonly router: Router,
    readonly signIn: SignInSessions,
    private readonly lock: OwnerLock,
    private readonly vault: Vault,
    private readonly history: HistoryLog,
    /**
     * Files found damaged, at open or since: moved aside (never deleted or overwritten), or a
     * torn last history line cut. owner.status carries them; the daemon and the CLI print them.
     */
    private readonly reportsNow: () => readonly QuarantineReport[],
    private readonly removals: PendingRemovals,
    /** The team vault's control: membership, the team store, its connection. */
    readonly team: TeamControl,
    private readonly socket?: OwnerSocketServer,
  ) {}

  get storageReports(): readonly QuarantineReport[] {
    return this.reportsNow();
  }

  static async open(options: OwnerOptions): Promise<Owner> {
    const dir = path.resolve(options.dataDir);
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const lock = options.lockWaitMs ? await waitForOwnerLock(dir, { timeoutMs: options.lockWaitMs }) : await acquireOwnerLock(dir);
    let vault: Vault | undefined;
    let team: TeamControl | undefined;
    try {
      // Only the owner repairs modes and sweeps dead writers' temp files.
      await ensureDataDir(dir);
      // A vault that exists but cannot be read is refused, never replaced by an empty one.
      vault = await openVault({ dir, wrapper: await options.keyWrapper(), create: true, ifUnreadable: 'refuse' });
      const accounts = await openAccountStore({ dir });
      const history = await HistoryLog.open({ dir });
      const providerFiles = await loadProviderFiles(dir);
      // Live: a file changed behind the owner's back while it runs is reported too (account-store.ts).
      const opened = vault;
      const storageReports = () => [...lock.reports, ...opened.quarantined, ...opened.repairs, ...accounts.quarantined, ...history.reports, ...providerFiles.reports];
      const local = new DurableStore(vault, accounts, history);
      // Team accounts (docs/ARCHITECTURE.md "Team vault") go to the team database, the rest to the files.
      team = new TeamControl(membershipVault(vault, dir), {
        get: async (id) => {
          const record = (await local.listAccounts()).find((r) => r.id === id);
          return record && { record, secrets: await local.readSecrets(id) };
        },
        remove: (id) => local.removeAccount(id),
      });
      const store = new RoutingStore(local, team);
      const actor = options.actor ?? 'daemon';
      const engine = new Engine({ specs: providerFiles.registry.specs, ...options.engine, store, actor, marginPolicy: options.engine?.marginPolicy ?? accounts.getSettings().refreshMarginPolicy });
      team.bind(engine);
      await team.open();
      const startedAt = Date.now();
      const signIn = new SignInSessions(engine);
      const removals = new PendingRemovals(engine, store);
      const router = new Router(
        createHandlers({
          engine,
          signIn,
          store,
          team,
          dataDir: dir,
          startedAt,
          storageReports,
          systemKeyWrapper: options.systemKeyWrapper,
          demo: options.demo,
          startDemo: options.startDemo,
          removals,
          providers: providerFiles.registry,
          providerStore: providerFiles.store,
        }),
        { actor },
      );
      if (options.schedule) await engine.start();
      else await engine.load();
      let socket: OwnerSocketServer | undefined;
      if (options.serveSocket !== false) {
        socket = new OwnerSocketServer({
          path: ownerSocketPath(dir),
          router,
          events: engine as unknown as ConstructorParameters<typeof OwnerSocketServer>[0]['events'],
          eventNames: Object.keys(contractEvents) as EventName[],
        });
        await socket.listen();
      }
      return new Owner(dir, engine, router, signIn, lock, vault, history, storageReports, removals, team, socket);
    } catch (err) {
      await team?.close().catch(() => undefined);
      vault?.close();
      await lock.release();
      throw err;
    }
  }

  /** Wraps the vault's data key with another wrapper (the desktop app's "use a passphrase instead"), atomically. */
  async rewrapVault(wrapper: KeyWrapper): Promise<WrapperDescription> {
    await this.vault.rewrap(wrapper);
    return this.vault.describe();
  }

  /** Keeps serving while clients are connected: see OwnerSocketServer.whenIdle. */
  async lingerForClients(idleMs = 200, maxMs = 30_000): Promise<void> {
    await this.socket?.whenIdle(idleMs, maxMs);
  }

  /** Stops the engine (tokens in flight are saved), closes the socket, releases the lock. */
  async close(): Promise<void> {
    this.signIn.cancelAll();
    await this.socket?.close();
    // Removals still in their undo window stay stored (see service/removals.ts).
    await this.removals.close();
    await this.engine.stop();
    await this.team.close().catch(() => undefined);
    // History events the disk refused earlier (full, read-only): a last try, then they are reported lost.
    await this.history.flush().catch(() => undefined);
    this.history.close();
    this.vault.close();
    await this.lock.release();
  }
}
