// `tokendesk add`: a new account from FIELD=VALUE pairs, secrets optionally read from stdin.
import { type Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { parseDuration as readDuration } from '../../shared/duration.js';
import { ContractError } from '../../main/core/contract.js';
import { printable } from '../format.js';
import { json, out, parseSeconds, run } from './common.js';
import { addLoginOptions, signIn, type LoginOptions } from './login.js';

interface AddOptions extends LoginOptions {
  name: string;
  login?: boolean;
  env?: string;
  baseUrl?: string;
  set?: string[];
  refreshEvery?: number;
  expiresIn?: number;
  json?: boolean;
  team?: boolean;
  nonRotating?: boolean;
}

export function registerAdd(program: Command): void {
  const command = program
    .command('add')
    .description('add an account; prints its id')
    .argument('<provider>', 'provider id (see `tokendesk providers`)')
    .requiredOption('--name <name>', 'a unique name for the account')
    .option('--env <environment>', "the provider's environment (e.g. production, test)")
    .option('--base-url <url>', "override the environment's base URL (https, or http on loopback)")
    .option('--set <field=value>', 'a field value; FIELD=- reads it from stdin (repeatable)', collectSet)
    .option('--refresh-every <duration>', 'refresh interval when the token has no known expiry (e.g. 30m)', parseDuration)
    .option('--expires-in <seconds>', 'lifetime of a supplied access_token', parseSeconds)
    .option('--json', 'print the account as JSON (contract: AccountView); with --login, the sign-in events')
    .option('--login', 'sign the account in right away (see `tokendesk login`)')
    .option('--team', 'store it in the team vault, shared with the team (see `tokendesk team`)')
    .option('--non-rotating', 'with --team: the vendor does not rotate refresh tokens (members may refresh it while the team store is offline)');
  addLoginOptions(command).action(
      run(async (api, providerId: string, opts: AddOptions) => {
        const account = await api.call('accounts.add', {
          providerId,
          name: opts.name,
          environment: opts.env,
          baseUrl: opts.baseUrl,
          values: fieldValues(opts.set ?? []),
          refreshEveryMs: opts.refreshEvery,
          accessTokenExpiresInSeconds: opts.expiresIn,
          ...(opts.team ? { team: true, nonRotating: opts.nonRotating } : {}),
        });
        if (opts.login) {
          if (!opts.json) out(`${account.id}\n`);
          return signIn(api, account.id, opts);
        }
        if (opts.json) json(account);
        else out(`${account.id}\n`);
      }),
  );
}

function parseDuration(value: string): number {
  const parsed = readDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error);
  return parsed.ms;
}

function collectSet(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z0-9_]+=/.test(value)) throw new InvalidArgumentError(`expected FIELD=VALUE (or FIELD=- to read it from stdin), got "${printable(value.split('=')[0] ?? '')}…"`);
  return [...previous, value];
}

/** FIELD=VALUE pairs; `FIELD=-` takes the next line of stdin, so secrets stay out of shell history. */
function fieldValues(pairs: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  let stdinLines: string[] | undefined;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    if (value === '-') {
      stdinLines ??= readFileSync(0, 'utf8').split(/\r?\n/);
      const line = stdinLines.shift();
      if (line === undefined || line === '') throw new ContractError('invalid_input', `${field}: expected a value on stdin (one line per FIELD=-)`);
      value = line;
    }
    values[field] = value;
  }
  return values;
}
