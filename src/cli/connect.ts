// How a CLI command reaches the data dir's owner: as a client when one runs; else
// it becomes the owner itself for the command's duration (serving the socket, so
// concurrent commands become its clients). Never fails merely because of the lock.
// The owner's code (stores, vault, engine, providers, zod schemas) is imported only on the
// one-shot path: a client of a running owner loads just the socket client (docs/PERFORMANCE.md "CLI").
import type { CallName, CallOutput } from '../shared/contract.js';
import { ContractError } from '../main/core/contract.js';
import { CONNECTION_LOST, RemoteError } from '../main/core/owner/errors.js';
import type { OwnerCalls } from '../main/core/owner/local-client.js';
import type { Owner } from '../main/core/owner/owner.js';
import { OwnerClient } from '../main/core/owner/socket-client.js';
import { ownerSocketPath } from '../main/core/owner/socket-path.js';
import { OWNER_WAIT_MS, retryDelayMs, takeOwnerWaitBudget } from './owner-wait.js';

export interface Api {
  readonly mode: 'client' | 'owner';
  call<N extends CallName>(method: N, params?: unknown): Promise<CallOutput<N>>;
  close(): Promise<void>;
}

class ClientApi implements Api {
  readonly mode = 'client';
  constructor(private readonly client: OwnerClient) {}
  call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
    return this.client.call(method, params);
  }
  async close(): Promise<void> {
    this.client.close();
  }
}

class OwnerApi implements Api {
  readonly mode = 'owner';
  constructor(
    private readonly owner: Owner,
    private readonly client: OwnerCalls,
  ) {}
  call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
    return this.client.call(method, params);
  }
  async close(): Promise<void> {
    await this.owner.lingerForClients();
    await this.owner.close();
  }
}

const NO_OWNER = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ETIMEDOUT']);

export async function connectApi(dataDir: string): Promise<Api> {
  const socketPath = ownerSocketPath(dataDir);
  const deadline = Date.now() + takeOwnerWaitBudget();
  let lastHolder: Error | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return new ClientApi(await OwnerClient.connect(socketPath));
    } catch (err) {
      if (!NO_OWNER.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
    const oneShot = await import('./one-shot.js');
    try {
      const { owner, client } = await oneShot.openOneShot(dataDir);
      return new OwnerApi(owner, client);
    } catch (err) {
      if (!(err instanceof oneShot.OwnerLockedError)) throw err;
      lastHolder = err; // an owner is starting or a one-shot is finishing: try again shortly
    }
    if (Date.now() > deadline) {
      throw new ContractError('owner_busy', `${lastHolder?.message ?? 'Another TokenDesk process holds the data dir'} — and it did not answer on ${socketPath} within ${Math.round(OWNER_WAIT_MS / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, retryDelayMs(attempt)));
  }
}

/** Runs `work` against the owner, starting over if a finishing one-shot owner hung up on us. */
export async function withApi<T>(dataDir: string, work: (api: Api) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const api = await connectApi(dataDir);
    try {
      return await work(api);
    } catch (err) {
      if (attempt < 20 && err instanceof RemoteError && err.message === CONNECTION_LOST) continue;
      throw err;
    } finally {
      await api.close();
    }
  }
}
