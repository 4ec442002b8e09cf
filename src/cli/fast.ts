// The lean entry of the hottest call, `tokendesk token NAME` while an owner runs (scripts call
// it many times a minute). bin/tokendesk.js loads this small bundle first: it reads the
// arguments with node:util's parseArgs, asks the owner over its socket and prints the token —
// without commander, the contract's zod schemas or any owner code. Whatever it is not sure to
// do exactly as the full CLI would (another command, an unknown or invalid option, --help, no
// owner answering) returns `undefined` before anything is asked, and the full CLI runs instead.
// An owner that holds the data dir but is not answering yet (starting, or a one-shot command
// of another process) is waited for here, as the full CLI would: a burst of concurrent calls
// then costs one owner start, not one full CLI per call.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ContractError } from '../main/core/contract.js';
import { OwnerClient } from '../main/core/owner/socket-client.js';
import { ownerSocketPath } from '../main/core/owner/socket-path.js';
import { resolveDataDir } from '../main/core/storage/data-dir.js';
import { ownerLockHeld } from '../main/core/storage/owner-lock.js';
import { OWNER_WAIT_MS, recordOwnerWaited, retryDelayMs } from './owner-wait.js';
import { exitCodeFor } from './exit-codes.js';
import { printable } from './format.js';
import { describeRequester } from './requester.js';
import { renderToken, TOKEN_MIN_VALID_DEFAULT, TOKEN_SCHEMES } from './token-render.js';

const OPTIONS = {
  'data-dir': { type: 'string' },
  'min-valid': { type: 'string' },
  header: { type: 'boolean' },
  curl: { type: 'string' },
  scheme: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The schemes commands/token.ts accepts (test/integration/cli-fast.test.ts compares the two paths). */
const SCHEMES = new Set<string>(TOKEN_SCHEMES);

interface TokenRequest {
  dataDir: string;
  name: string;
  minValid: number;
  header: boolean;
  curl?: string;
  scheme?: string;
  json: boolean;
}

/** The request, or undefined when the full CLI must read these arguments. */
export function parseTokenArgs(args: string[], env: NodeJS.ProcessEnv = process.env): TokenRequest | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2 || positionals[0] !== 'token' || args.includes('--')) return undefined;
  const minValid = values['min-valid'];
  if (minValid !== undefined && !/^\d+$/.test(minValid)) return undefined;
  if (values.scheme !== undefined && !SCHEMES.has(values.scheme)) return undefined;
  if (values['data-dir'] === '' || values.curl === '') return undefined;
  return {
    dataDir: resolveDataDir({ dataDir: values['data-dir'], env }),
    name: positionals[1]!,
    minValid: minValid === undefined ? TOKEN_MIN_VALID_DEFAULT : Number(minValid),
    header: values.header ?? false,
    curl: values.curl,
    scheme: values.scheme,
    json: values.json ?? false,
  };
}

/** Runs `token` against a running owner; undefined when the full CLI must run it instead. */
export async function runFastToken(args: string[]): Promise<number | undefined> {
  const request = parseTokenArgs(args);
  if (!request) return undefined;
  const client = await connectOwner(request.dataDir);
  if (!client) return undefined; // no owner: the full CLI opens the data dir itself (the one-shot path)
  // As src/cli/main.ts: a closed pipe is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    const token = await client.call('accounts.token', { account: request.name, minValidSeconds: request.minValid, trigger: 'cli', requester: describeRequester('token') });
    const format = request.json ? 'json' : request.curl ? 'curl' : request.header ? 'header' : 'token';
    process.stdout.write(renderToken(format, token, { scheme: request.scheme, url: request.curl, variable: 'ACCESS_TOKEN', toFile: false }));
    return 0;
  } catch (err) {
    // The owner hung up before answering (it is shutting down): the full CLI retries or opens the data dir.
    if (!(err instanceof ContractError) || err.code === 'owner_busy') return undefined;
    process.stderr.write(`tokendesk: ${printable(err.message)}\n`);
    return exitCodeFor(err.code);
  } finally {
    client.close();
  }
}

/**
 * The owner's socket; waits while a live process holds the lock without answering yet.
 * Undefined: nobody to wait for, or the holder did not answer within OWNER_WAIT_MS — then the
 * full CLI, which reports owner_busy, waits only what is left of that.
 */
export async function connectOwner(dataDir: string): Promise<OwnerClient | undefined> {
  const socketPath = ownerSocketPath(dataDir);
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await OwnerClient.connect(socketPath);
    } catch {
      // not answering (yet)
    }
    if (!(await ownerLockHeld(dataDir).catch(() => false))) return undefined;
    const waited = Date.now() - started;
    if (waited > OWNER_WAIT_MS) {
      recordOwnerWaited(waited);
      return undefined;
    }
    await sleep(retryDelayMs(attempt));
  }
}
