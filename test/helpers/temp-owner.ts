// A real owner over real files in a temp dir, with a fast passphrase KDF for tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallName, CallOutput } from '../../src/shared/contract.js';
import { RemoteError } from '../../src/main/core/owner/errors.js';
import { Owner, type OwnerOptions } from '../../src/main/core/owner/owner.js';
import { PassphraseWrapper } from '../../src/main/core/vault/key-wrappers.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';
/** scrypt at N=2^10: the format is the same, the tests stay fast. */
export const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export async function tempDir(prefix = 'tokendesk-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  // `npm test` keeps them for its closing leak scan (scripts/test-all.sh removes them after).
  if (process.env['TOKENDESK_KEEP_TEST_DIRS'] === '1') return { dir, cleanup: async () => undefined };
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function openTestOwner(dataDir: string, options: Partial<OwnerOptions> = {}): Promise<Owner> {
  return Owner.open({
    dataDir,
    keyWrapper: async () => new PassphraseWrapper(TEST_PASSPHRASE, FAST_SCRYPT),
    schedule: true,
    serveSocket: false,
    ...options,
  });
}

/** Calls the owner's router like a transport would; throws RemoteError on an error reply. */
export async function call<N extends CallName>(owner: Owner, method: N, params: unknown = {}): Promise<CallOutput<N>> {
  const reply = await owner.router.handle(method, params);
  if (!reply.ok) throw new RemoteError(reply.error.code, reply.error.message);
  return reply.result as CallOutput<N>;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
