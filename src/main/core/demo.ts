// Demo mode (`tokendesk serve --demo`, `tokendesk daemon --demo`, `npm run demo`): the
// provider simulators run in this process on 127.0.0.1, and an owner opens a SEPARATE demo
// data dir — wiped and re-seeded at each start, never the real one — with one account per
// provider, each showing something TokenDesk does: short lifetimes so the timeline moves,
// a rotating refresh token, a rate limit, "refresh every", and a rejected refresh token
// that needs the user (reauth_required). The demo vault has a fixed passphrase: nothing in
// it is real, and the user's key is never asked for or touched.
import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddAccountInput } from '../../shared/contract.js';
import type { ProviderId } from '../../shared/domain.js';
import { startLedgerlySimulator, startSimulator, type Fault, type Simulator, type SimulatorOptions } from '../../simulators/index.js';
import ledgerlyDefinition from '../../../examples/providers/ledgerly.json' with { type: 'json' };
import { ContractError } from './contract.js';
import { Owner, type OwnerOptions } from './owner/owner.js';
import { providerSpec } from './providers/index.js';
import { PRIVATE_DIR_MODE } from './storage/atomic.js';
import { resolveDataDir } from './storage/data-dir.js';
import { acquireOwnerLock, OWNER_LOCK_FILE } from './storage/owner-lock.js';
import { PassphraseWrapper } from './vault/key-wrappers.js';

/** Marks a directory as a demo data dir: only such a dir (or an empty one) is ever wiped. */
export const DEMO_MARKER_FILE = 'TOKENDESK-DEMO';
/** The demo vault's passphrase. Public on purpose: the demo vault holds simulator tokens only. */
const DEMO_PASSPHRASE = 'tokendesk demo: simulated providers, nothing here is real';

/** `<tmp>/tokendesk-demo-<uid>`: a fixed place, so a new demo replaces the previous one. */
export function defaultDemoDir(): string {
  const who = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `tokendesk-demo-${who}`);
}

interface DemoAccount {
  providerId: ProviderId;
  name: string;
  sim: SimulatorOptions;
  /** Queued on the simulator before the first refresh. */
  fault?: { fault: Fault; times: number };
  extra?: Partial<AddAccountInput>;
  /** Added with the simulator's OAuth client but no tokens: it waits for the user to sign in. */
  signIn?: true;
}

/** What each demo account shows. Lifetimes of a few minutes so the timeline and history move. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  // Its refresh token has 6 of UPS's 60 days left: the refresh-token warning shows, with Sign in.
  { providerId: 'ups', name: 'Rotates its refresh token', sim: { accessTtlSec: 180, refreshTtlSec: 6 * 86_400 } },
  {
    providerId: 'pathstack',
    name: 'Rate-limited once',
    sim: { accessTtlSec: 240 },
    fault: { fault: { kind: 'rate_limit', retryAfterSec: 20 }, times: 1 },
  },
  {
    providerId: 'teamup',
    name: 'No expiry: every 2 min',
    sim: { accessTtlSec: 3600, expiresInNull: true, jwtAccessTokens: false },
    extra: { refreshEveryMs: 120_000 },
  },
  { providerId: 'banyan', name: 'Expiry from the JWT', sim: { accessTtlSec: 300 } },
  {
    providerId: 'vaultist',
    name: 'Refresh token rejected',
    sim: { accessTtlSec: 300 },
    fault: { fault: { kind: 'vendor_error', code: 'invalid_grant' }, times: Infinity },
  },
  { providerId: 'oauth2', name: '90-second tokens', sim: { accessTtlSec: 90 } },
  // Shares the oauth2 simulator above: Sign in opens its consent page (Approve / Deny).
  { providerId: 'oauth2', name: 'Sign in to get a token', sim: { accessTtlSec: 90 }, signIn: true },
];

export interface DemoOptions {
  /** Default defaultDemoDir(). Must not be the real data dir; wiped when it is a previous demo's. */
  dataDir?: string;
  /** The real data dir, which the demo refuses to use (default: as resolved from the environment). */
  realDataDir?: string;
  /** Who the owner's own work is recorded as: `app` in the desktop app, else `daemon`. */
  actor?: OwnerOptions['actor'];
}

export interface Demo {
  owner: Owner;
  dataDir: string;
  simulators: Record<ProviderId, Simulator>;
  close(): Promise<void>;
}

/** Removes a previous demo's files, refusing a directory that is neither a demo dir nor empty or a symlink. */
async function prepareDemoDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stat = await lstat(dir);
  if (!stat.isDirectory() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) {
    throw new ContractError('invalid_input', `The demo data dir ${dir} is not a directory of this user; remove it and try again`);
  }
  const entries = await readdir(dir);
  if (entries.length && !entries.includes(DEMO_MARKER_FILE)) {
    throw new ContractError('invalid_input', `${dir} is not empty and not a TokenDesk demo dir; the demo never wipes it. Choose another directory`);
  }
  // Held while wiping: a demo still running there makes this fail (owner_busy) before anything is removed.
  const lock = await acquireOwnerLock(dir);
  try {
    for (const entry of entries) if (entry !== OWNER_LOCK_FILE) await rm(path.join(dir, entry), { recursive: true, force: true });
    await writeFile(path.join(dir, DEMO_MARKER_FILE), 'A TokenDesk demo data dir: simulated providers, wiped at each `--demo` start.\n', { mode: 0o600 });
  } finally {
    await lock.release();
  }
}

/** A grant the simulator issued, without its access token (the first refresh gets one). */
function grantValues(sim: Simulator): Record<string, string> {
  const grant = sim.issue();
  const { access_token: _issued, ...values } = { ...grant.settings, ...grant.secrets };
  return values;
}

/**
 * Provider files in the demo, like the built-ins: Ledgerly, described only by
 * examples/providers/ledgerly.json, with its simulator and one account. Returns the simulators to close.
 */
async function seedProviderFiles(owner: Owner): Promise<Simulator[]> {
  const sim = await startLedgerlySimulator({ accessTtlSec: 240 });
  const added = await owner.router.handle('providers.add', { definition: ledgerlyDefinition });
  if (!added.ok) throw new ContractError(added.error.code, `demo: adding the Ledgerly provider file: ${added.error.message}`);
  const input: AddAccountInput = { providerId: 'ledgerly', name: 'Defined by a provider file', baseUrl: sim.url, values: grantValues(sim) };
  const reply = await owner.router.handle('accounts.add', input);
  if (!reply.ok) throw new ContractError(reply.error.code, `demo: adding ${input.name}: ${reply.error.message}`);
  return [sim];
}

/** Only the OAuth client and where the server is: the tokens come from signing in. */
function signInValues(sim: Simulator): Record<string, string> {
  const client = sim.clientCredentials();
  return { issuer: sim.url, client_id: client.clientId, client_secret: client.clientSecret };
}

/** Starts the simulators, opens the demo data dir and seeds the demo accounts (none has an access token yet: they refresh at once). */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const dataDir = path.resolve(options.dataDir ?? defaultDemoDir());
  const realDataDir = path.resolve(options.realDataDir ?? resolveDataDir({ env: process.env }));
  if (dataDir === realDataDir) throw new ContractError('invalid_input', `The demo never uses the real data dir (${realDataDir})`);
  await prepareDemoDir(dataDir);

  const simulators = {} as Record<ProviderId, Simulator>;
  let owner: Owner | undefined;
  const fileSimulators: Simulator[] = [];
  const closeSims = () => Promise.all([...Object.values(simulators), ...fileSimulators].map((s) => s.close()));
  try {
    for (const spec of DEMO_ACCOUNTS) simulators[spec.providerId] ??= await startSimulator(spec.providerId, spec.sim);
    const wrapper = new PassphraseWrapper(DEMO_PASSPHRASE);
    // Scheduling: each account, added without an access token, gets its first refresh at once.
    owner = await Owner.open({ dataDir, keyWrapper: async () => wrapper, schedule: true, demo: true, actor: options.actor });
    for (const spec of DEMO_ACCOUNTS) {
      const sim = simulators[spec.providerId];
      const values = spec.signIn ? signInValues(sim) : grantValues(sim);
      const input: AddAccountInput = {
        providerId: spec.providerId,
        name: spec.name,
        // A provider with environments takes a base URL; one whose endpoints are fields (oauth2) has them in the grant.
        ...(providerSpec(spec.providerId)?.environments.length ? { baseUrl: sim.url } : {}),
        values,
        ...spec.extra,
      };
      if (spec.fault) sim.fail(spec.fault.fault, spec.fault.times);
      const reply = await owner.router.handle('accounts.add', input);
      if (!reply.ok) throw new ContractError(reply.error.code, `demo: adding ${spec.name}: ${reply.error.message}`);
    }
    fileSimulators.push(...(await seedProviderFiles(owner)));
  } catch (err) {
    await owner?.close();
    await closeSims();
    throw err;
  }
  const opened = owner;
  return {
    owner: opened,
    dataDir,
    simulators,
    async close() {
      await opened.close();
      await closeSims();
    },
  };
}
