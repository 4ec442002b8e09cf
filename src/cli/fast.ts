// The lean entry of the hottest call, `tokendesk token NAME` while an owner runs (scripts call
// it many times a minute). bin/tokendesk.js loads this small bundle first: it reads the
// arguments with node:util's parseArgs, asks the owner over its socket and prints the token —
// without commander, the contract's zod schemas or any owner code. Whatever it is not sure to
// do exactly as the full CLI would (another command, an unknown or invalid option, --help, no
// owner answering) returns `undefined` before anything is asked, and the full CLI runs instead.
import { parseArgs } from 'node:util';
import { ContractError } from '../main/core/contract.js';
import { OwnerClient } from '../main/core/owner/socket-client.js';
import { ownerSocketPath } from '../main/core/owner/socket-path.js';
import { resolveDataDir } from '../main/core/storage/data-dir.js';
import { formatToken } from '../main/core/token-format.js';
import { exitCodeFor } from './exit-codes.js';
import { printable } from './format.js';
import { describeRequester } from './requester.js';

const OPTIONS = {
  'data-dir': { type: 'string' },
  'min-valid': { type: 'string' },
  header: { type: 'boolean' },
  curl: { type: 'string' },
  scheme: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The same defaults and checks as src/cli/commands/token.ts (test/integration/cli-fast.test.ts compares them). */
const DEFAULT_MIN_VALID = 60;
const SCHEMES = new Set(['Bearer', 'Token']);

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
    minValid: minValid === undefined ? DEFAULT_MIN_VALID : Number(minValid),
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
  let client: OwnerClient;
  try {
    client = await OwnerClient.connect(ownerSocketPath(request.dataDir));
  } catch {
    return undefined; // no owner: the full CLI opens the data dir itself (the one-shot path)
  }
  // As src/cli/main.ts: a closed pipe is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    const token = await client.call('accounts.token', { account: request.name, minValidSeconds: request.minValid, trigger: 'cli', requester: describeRequester('token') });
    if (request.json) {
      process.stdout.write(`${JSON.stringify(token, null, 2)}\n`);
    } else {
      const format = request.curl ? 'curl' : request.header ? 'header' : 'token';
      process.stdout.write(`${formatToken(format, token.accessToken, { ...token.account, tokenType: token.tokenType }, { scheme: request.scheme, url: request.curl })}\n`);
    }
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
