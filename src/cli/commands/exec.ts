// `tokendesk exec --env VAR=ACCOUNT… -- COMMAND [ARGS…]`: runs COMMAND with fresh access tokens
// in its environment — never on a command line, in a log or in the history — and exits with
// its exit code. Tokens are fetched first (refreshing any that expire within --min-valid);
// then tokendesk lets go of the data dir and stays a thin parent (run-child.ts).
import { type Command, InvalidArgumentError } from 'commander';
import type { CallOutput } from '../../shared/contract.js';
import { ContractError } from '../../main/core/contract.js';
import { toWireError } from '../../main/core/owner/router.js';
import { withApi, type Api } from '../connect.js';
import { printable } from '../format.js';
import { execRequester } from '../requester.js';
import { runChild } from '../run-child.js';
import { dataDirOf, parseSeconds } from './common.js';

export interface EnvBinding {
  variable: string;
  account: string;
}

/** A portable environment variable name: what POSIX shells accept. */
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Never handed to the command: it asked for some tokens, not for the key to every token in the vault. */
export const WITHHELD_VARIABLES = ['TOKENDESK_PASSPHRASE', 'TOKENDESK_NEW_PASSPHRASE'];

const sameVariable = (a: string, b: string) => (process.platform === 'win32' ? a.toUpperCase() === b.toUpperCase() : a === b);

/** Commander's collector for repeated `--env VAR=ACCOUNT`. */
export function parseEnvBinding(value: string, previous: EnvBinding[] = []): EnvBinding[] {
  const eq = value.indexOf('=');
  if (eq < 0) throw new InvalidArgumentError(`expected VAR=ACCOUNT, e.g. GITHUB_TOKEN=github-ci`);
  const variable = value.slice(0, eq);
  const account = value.slice(eq + 1).trim();
  if (!VARIABLE.test(variable)) {
    throw new InvalidArgumentError(`"${printable(variable)}" is not a variable name (letters, digits and _, not starting with a digit)`);
  }
  if (!account) throw new InvalidArgumentError(`no account after ${variable}=`);
  if (previous.some((b) => sameVariable(b.variable, variable))) throw new InvalidArgumentError(`${variable} is given twice`);
  return [...previous, { variable, account }];
}

/** What to do about an account that could not give a token, said next to the error itself. */
function fixFor(code: string, account: string): string {
  switch (code) {
    case 'not_found':
      return ' — `tokendesk list` shows the accounts';
    case 'reauth_required':
      return ` — sign in again with \`tokendesk login ${account}\` (or give it a new refresh token with Edit in the dashboard)`;
    case 'config_error':
      return ' — fix the account (`tokendesk list` shows its status), then try again';
    default:
      return '';
  }
}

type Token = CallOutput<'accounts.token'>;

/** Every binding's token, or the first failure (in --env order) naming the variable, the account and the fix. */
export async function fetchTokens(api: Api, bindings: readonly EnvBinding[], minValidSeconds: number, requester: string): Promise<Map<string, Token>> {
  const accounts = [...new Set(bindings.map((b) => b.account))];
  const settled = await Promise.allSettled(
    accounts.map((account) => api.call('accounts.token', { account, minValidSeconds, trigger: 'cli', requester })),
  );
  const tokens = new Map<string, Token>();
  for (const [i, result] of settled.entries()) {
    const account = accounts[i]!;
    if (result.status === 'fulfilled') {
      tokens.set(account, result.value);
      continue;
    }
    const wire = toWireError(result.reason);
    const binding = bindings.find((b) => b.account === account)!;
    throw new ContractError(wire.code, `--env ${binding.variable}=${account}: ${wire.message}${fixFor(wire.code, account)}; the command was not started`);
  }
  return tokens;
}

/** The child's environment: tokendesk's own, minus the vault key, plus the tokens (which win). */
export function childEnvironment(base: NodeJS.ProcessEnv, bindings: readonly EnvBinding[], tokens: ReadonlyMap<string, Token>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!WITHHELD_VARIABLES.some((w) => sameVariable(w, key)) && !bindings.some((b) => sameVariable(b.variable, key))) env[key] = value;
  }
  for (const b of bindings) env[b.variable] = tokens.get(b.account)!.accessToken;
  return env;
}

interface ExecOptions {
  env: EnvBinding[];
  minValid: number;
}

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('run COMMAND with fresh access tokens in its environment, never on a command line or in a log')
    .usage('--env VAR=ACCOUNT [--env …] [--min-valid SECONDS] -- COMMAND [ARGS…]')
    .requiredOption('--env <VAR=ACCOUNT>', "put ACCOUNT's access token in the variable VAR (repeatable)", parseEnvBinding)
    .option('--min-valid <seconds>', 'refresh first each token that expires within this many seconds (capped at what the provider grants)', parseSeconds, 60)
    .argument('<command>', 'the command to run, after --')
    .argument('[args...]', 'its arguments')
    .action(async (command: string, args: string[], opts: ExecOptions, cmd: Command) => {
      // Commander keeps what it parsed in rawArgs (not in its typings).
      if (!(cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs?.includes('--')) {
        throw new ContractError('invalid_input', 'put -- before the command: tokendesk exec --env VAR=ACCOUNT -- COMMAND [ARGS…]');
      }
      const tokens = await withApi(dataDirOf(cmd), (api) => fetchTokens(api, opts.env, opts.minValid, execRequester(command)));
      // The data dir is let go before the command starts: a long-running command holds no lock.
      const code = await runChild(command, args, childEnvironment(process.env, opts.env, tokens), ({ message }) => {
        process.stderr.write(`tokendesk: ${printable(message)}\n`);
      });
      process.exitCode = code; // main() exits with it
    });
}
