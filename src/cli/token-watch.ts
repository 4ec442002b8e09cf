// `tokendesk token NAME --out FILE --watch`: keeps FILE holding the account's current token for
// processes that cannot be restarted. It follows a running owner's refreshes (the desktop app,
// `daemon`, `serve`) over the socket's event subscription and never becomes an owner itself: an
// owner that only watches would hold the data dir against the app and the daemon. Every write is
// an atomic replace of a 0600 file (storage/atomic.ts). README "Running a command with tokens".
import type { CallOutput, EventName } from '../shared/contract.js';
import { ContractError } from '../main/core/contract.js';
import { CONNECTION_LOST, RemoteError } from '../main/core/owner/errors.js';
import { toWireError } from '../main/core/owner/router.js';
import { OwnerClient } from '../main/core/owner/socket-client.js';
import { ownerSocketPath } from '../main/core/owner/socket-path.js';
import { writeFileAtomic } from '../main/core/storage/atomic.js';
import { printable } from './format.js';

type Token = CallOutput<'accounts.token'>;

export interface WatchOptions {
  dataDir: string;
  account: string;
  minValidSeconds: number;
  file: string;
  requester: string;
  /** The file's content for a token. */
  render: (token: Token) => string;
  log: (line: string) => void;
  /** Resolves when the watch should end (SIGINT/SIGTERM). */
  stop: Promise<void>;
}

const NO_OWNER = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ETIMEDOUT']);

async function connectClient(socketPath: string): Promise<OwnerClient | undefined> {
  try {
    return await OwnerClient.connect(socketPath);
  } catch (err) {
    if (NO_OWNER.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
}

export async function watchTokenFile(o: WatchOptions): Promise<void> {
  const socketPath = ownerSocketPath(o.dataDir);
  let client = await connectClient(socketPath);
  if (!client) {
    throw new ContractError(
      'owner_busy',
      `--watch follows the refreshes of a running TokenDesk, and none runs for ${o.dataDir}: start \`tokendesk daemon\` (or the desktop app, or \`tokendesk serve\`) first`,
    );
  }
  let stopped = false;
  void o.stop.then(() => (stopped = true));
  let written: string | undefined;
  let lastProblem: string | undefined;

  /** Fetches the token and replaces the file when it changed; throws only when the account is gone. */
  const update = async (api: OwnerClient, minValidSeconds: number) => {
    let token: Token;
    try {
      token = await api.call('accounts.token', { account: o.account, minValidSeconds, trigger: 'cli', requester: o.requester });
    } catch (err) {
      if (err instanceof RemoteError && err.message === CONNECTION_LOST) return; // the loop reconnects
      const wire = toWireError(err);
      if (wire.code === 'not_found' || written === undefined) throw err; // nothing to keep current
      if (wire.message !== lastProblem) o.log(`${o.account}: ${wire.message}; ${o.file} keeps the token it has`);
      lastProblem = wire.message;
      return;
    }
    lastProblem = undefined;
    const content = o.render(token);
    if (content === written || stopped) return;
    await writeFileAtomic(o.file, content, 0o600);
    written = content;
    o.log(`${o.file} updated${token.expiresAt !== undefined ? `; the token expires at ${new Date(token.expiresAt).toISOString()}` : ''}`);
  };

  while (!stopped) {
    const api = client;
    const lost = new Promise<void>((resolve) => api.onClose(resolve));
    // Updates run one at a time; events that come meanwhile queue one more each.
    let queue = Promise.resolve();
    let failure: unknown;
    let failed!: () => void;
    const failedSignal = new Promise<void>((resolve) => (failed = resolve));
    const fail = (err: unknown) => {
      if (!(err instanceof RemoteError && err.message === CONNECTION_LOST)) failure ??= err;
      failed();
    };
    const schedule = (minValidSeconds: number) => {
      queue = queue.then(() => update(api, minValidSeconds)).catch(fail);
    };
    try {
      const accountId = (await api.call('accounts.get', { account: o.account })).id;
      await api.subscribe((event: EventName, payload: unknown) => {
        if ((event === 'account-changed' || event === 'account-removed') && (payload as { id?: string } | undefined)?.id === accountId) schedule(0);
      });
      schedule(o.minValidSeconds); // after subscribing: no refresh falls between the two
      // Until stopped, the owner gone, or the account with it (an error that ends the watch).
      await Promise.race([lost, o.stop, failedSignal]);
    } catch (err) {
      fail(err);
    }
    await queue; // a write under way finishes: no temp file is left behind
    api.close();
    if (failure) throw failure;
    if (stopped) break;
    o.log(`the TokenDesk owner stopped; ${printable(o.file)} keeps its token while waiting for one to come back`);
    client = await waitForOwner(socketPath, o.stop);
    if (!client) break;
  }
}

/** Polls for an owner's socket (with backoff up to 2 s) until one answers or the watch is stopped. */
async function waitForOwner(socketPath: string, stop: Promise<void>): Promise<OwnerClient | undefined> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let delay = 100; !stopped; delay = Math.min(delay * 2, 2_000)) {
    const client = await connectClient(socketPath);
    if (client) return client;
    await Promise.race([stop, new Promise((r) => setTimeout(r, delay))]);
  }
  return undefined;
}
