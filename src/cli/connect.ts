// How a CLI command reaches the data dir's owner: as a client when one runs; else
// it becomes the owner itself for the command's duration (serving the socket, so
// concurrent commands become its clients). Never fails merely because of the lock.
import type { CallName, CallOutput } from '../shared/contract.js';
import { ContractError } from '../main/core/contract.js';
import { CONNECTION_LOST, RemoteError } from '../main/core/owner/errors.js';
import { headlessKeyWrapper } from '../main/core/owner/headless-key.js';
import { localClient, type OwnerCalls } from '../main/core/owner/local-client.js';
import { Owner } from '../main/core/owner/owner.js';
import { OwnerClient } from '../main/core/owner/socket-client.js';
import { ownerSocketPath } from '../main/core/owner/socket-path.js';
import { OwnerLockedError } from '../main/core/storage/owner-lock.js';
import { storageReportLines } from './format.js';

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
  readonly #client: OwnerCalls;
  constructor(private readonly owner: Owner) {
    this.#client = localClient(owner.router, { actor: 'cli' });
  }
  call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
    return this.#client.call(method, params);
  }
  async close(): Promise<void> {
    await this.owner.lingerForClients();
    await this.owner.close();
  }
}

const NO_OWNER = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ETIMEDOUT']);

export async function connectApi(dataDir: string, timeoutMs = 20_000): Promise<Api> {
  const socketPath = ownerSocketPath(dataDir);
  const deadline = Date.now() + timeoutMs;
  let lastHolder: OwnerLockedError | undefined;
  for (;;) {
    try {
      return new ClientApi(await OwnerClient.connect(socketPath));
    } catch (err) {
      if (!NO_OWNER.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
    try {
      const owner = await Owner.open({ dataDir, keyWrapper: () => headlessKeyWrapper(dataDir), schedule: false, actor: 'cli' });
      // A one-shot owner is the only one to see what it found damaged: say so where a human looks.
      for (const line of storageReportLines(owner.storageReports)) process.stderr.write(`tokendesk: ${line}\n`);
      return new OwnerApi(owner);
    } catch (err) {
      if (!(err instanceof OwnerLockedError)) throw err;
      lastHolder = err; // an owner is starting or a one-shot is finishing: try again shortly
    }
    if (Date.now() > deadline) {
      throw new ContractError('owner_busy', `${lastHolder?.message ?? 'Another TokenDesk process holds the data dir'} — and it did not answer on ${socketPath} within ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
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
