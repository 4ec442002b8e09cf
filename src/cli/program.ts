// The `tokendesk` command line: the headless CLI (plain Node, never Electron). One-shot commands talk
// to the data dir's owner; `daemon` is an owner with no UI.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { parseDuration as readDuration } from '../shared/duration.js';
import { TOKENDESK_VERSION } from '../shared/version.js';
import { ContractError } from '../main/core/contract.js';
import { toWireError } from '../main/core/owner/router.js';
import { listProviderInfo } from '../main/core/providers/index.js';
import { resolveDataDir } from '../main/core/storage/data-dir.js';
import { formatToken } from '../main/core/token-format.js';
import { promptHidden } from '../main/core/vault/key-wrappers.js';
import { withApi, type Api } from './connect.js';
import { runDaemon } from './daemon.js';
import { runServe } from './serve.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { accountsTable, historyTable, printable, relative, table } from './format.js';

interface GlobalOptions {
  dataDir?: string;
}

const out = (text: string): void => {
  process.stdout.write(text);
};
const json = (value: unknown): void => out(`${JSON.stringify(value, null, 2)}\n`);

function dataDirOf(cmd: Command): string {
  const { dataDir } = cmd.optsWithGlobals<GlobalOptions>();
  return resolveDataDir({ dataDir, env: process.env });
}

function run<T extends unknown[]>(work: (api: Api, ...args: T) => Promise<void>) {
  return async (...args: T) => {
    const cmd = args[args.length - 1] as Command;
    await withApi(dataDirOf(cmd), (api) => work(api, ...args));
  };
}

function parseDuration(value: string): number {
  const parsed = readDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error);
  return parsed.ms;
}

function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of seconds');
  return Number(value);
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

async function newPassphraseFromTerminal(): Promise<string> {
  if (!process.stdin.isTTY) throw new ContractError('invalid_input', 'Set TOKENDESK_NEW_PASSPHRASE, or run on a terminal to be asked');
  const first = await promptHidden('New vault passphrase: ');
  if (first !== (await promptHidden('Repeat it: '))) throw new ContractError('invalid_input', 'The passphrases differ; nothing was changed');
  return first;
}

export function buildProgram(): Command {
  const program = new Command('tokendesk')
    .description('Keeps API access tokens alive. Docs: README.md')
    .version(TOKENDESK_VERSION)
    .option('--data-dir <dir>', 'data directory (default: $TOKENDESK_HOME, else the per-user config dir)')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('providers')
    .description('list provider ids and their fields')
    .option('--json', 'print JSON (contract: ProviderInfo[])')
    .action(
      // Listing what TokenDesk supports needs no owner and no vault key.
      (opts: { json?: boolean }) => {
        const providers = listProviderInfo();
        if (opts.json) return json(providers);
        for (const p of providers) {
          out(`${p.id} — ${p.name}: ${p.summary}\n`);
          out(table(['  FIELD', 'SECRET', 'REQUIRED', 'HELP'], p.fields.map((f) => [`  ${f.id}`, f.secret ? 'yes' : 'no', f.required ? 'yes' : 'no', f.help])));
          if (p.environments.length) out(`  environments: ${p.environments.map((e) => `${e.id} (${e.baseUrl})`).join(', ')}\n`);
          out('\n');
        }
      },
    );

  program
    .command('add')
    .description('add an account; prints its id')
    .argument('<provider>', 'provider id (see `tokendesk providers`)')
    .requiredOption('--name <name>', 'a unique name for the account')
    .option('--env <environment>', "the provider's environment (e.g. production, test)")
    .option('--base-url <url>', "override the environment's base URL (https, or http on loopback)")
    .option('--set <field=value>', 'a field value; FIELD=- reads it from stdin (repeatable)', collectSet)
    .option('--refresh-every <duration>', 'refresh interval when the token has no known expiry (e.g. 30m)', parseDuration)
    .option('--expires-in <seconds>', 'lifetime of a supplied access_token', parseSeconds)
    .option('--json', 'print the account as JSON (contract: AccountView)')
    .action(
      run(async (api, providerId: string, opts: { name: string; env?: string; baseUrl?: string; set?: string[]; refreshEvery?: number; expiresIn?: number; json?: boolean }) => {
        const account = await api.call('accounts.add', {
          providerId,
          name: opts.name,
          environment: opts.env,
          baseUrl: opts.baseUrl,
          values: fieldValues(opts.set ?? []),
          refreshEveryMs: opts.refreshEvery,
          accessTokenExpiresInSeconds: opts.expiresIn,
        });
        if (opts.json) json(account);
        else out(`${account.id}\n`);
      }),
    );

  program
    .command('list')
    .description('accounts: name, provider, status, expiry, next refresh, last outcome')
    .option('--json', 'print JSON (contract: AccountView[])')
    .action(
      run(async (api, opts: { json?: boolean }) => {
        const accounts = await api.call('accounts.list');
        if (opts.json) json(accounts);
        else out(accountsTable(accounts));
      }),
    );

  program
    .command('refresh')
    .description('refresh an account now')
    .argument('<name>', 'account name or id')
    .option('--json', 'print JSON ({outcome, account})')
    .action(
      run(async (api, name: string, opts: { json?: boolean }) => {
        const result = await api.call('accounts.refresh', { account: name, trigger: 'cli' });
        if (opts.json) json(result);
        const { event } = result.outcome;
        if (!result.outcome.ok) {
          throw new ContractError(event.errorClass ?? 'transient', `${result.account.name}: ${event.message ?? 'refresh failed'}`);
        }
        if (!opts.json) {
          const expiry = result.account.expiresAt !== undefined ? `expires ${relative(result.account.expiresAt)}` : 'no known expiry';
          out(`${printable(result.account.name)}: refreshed (${expiry}${event.rotated ? ', refresh token rotated' : ''})${result.account.notSaved ? ' — NOT SAVED yet, retrying' : ''}\n`);
        }
      }),
    );

  program
    .command('token')
    .description('print a valid access token, refreshing first when it expires within --min-valid')
    .argument('<name>', 'account name or id')
    .option('--min-valid <seconds>', 'refresh first if the token expires within this many seconds (capped at what the provider grants)', parseSeconds, 60)
    .option('--header', 'print the Authorization header line instead')
    .option('--curl <url>', 'print a curl command line for URL')
    .addOption(new Option('--scheme <scheme>', 'Authorization scheme for --header/--curl (TeamUp documents Token, samples use Bearer)').choices(['Bearer', 'Token']))
    .option('--json', 'print JSON (contract: TokenResult)')
    .action(
      run(async (api, name: string, opts: { minValid: number; header?: boolean; curl?: string; scheme?: string; json?: boolean }) => {
        const token = await api.call('accounts.token', { account: name, minValidSeconds: opts.minValid, trigger: 'cli' });
        if (opts.json) return json(token);
        const format = opts.curl ? 'curl' : opts.header ? 'header' : 'token';
        out(`${formatToken(format, token.accessToken, { ...token.account, tokenType: token.tokenType }, { scheme: opts.scheme, url: opts.curl })}\n`);
      }),
    );

  program
    .command('history')
    .description('refresh events, newest first')
    .argument('[name]', 'account name or id (all accounts when omitted)')
    .option('--limit <n>', 'how many events', parseSeconds, 20)
    .addOption(new Option('--outcome <outcome>', 'only ok or error events').choices(['ok', 'error']))
    .option('--json', 'print JSON (contract: RefreshEvent[])')
    .action(
      run(async (api, name: string | undefined, opts: { limit: number; outcome?: 'ok' | 'error'; json?: boolean }) => {
        const events = await api.call('history.list', { account: name, limit: opts.limit, outcome: opts.outcome });
        if (opts.json) json(events);
        else out(historyTable(events));
      }),
    );

  program
    .command('revoke')
    .description('revoke at the provider where it can (RFC 7009), delete the tokens locally, mark the account revoked')
    .argument('<name>', 'account name or id')
    .option('--json', 'print JSON (contract: RevokeResult)')
    .action(
      run(async (api, name: string, opts: { json?: boolean }) => {
        const result = await api.call('accounts.revoke', { account: name });
        if (opts.json) json(result);
        else out(`${printable(result.account.name)}: revoked${result.kind === 'remote' ? ' at the server' : ' locally'}. ${result.message}\n`);
      }),
    );

  program
    .command('remove')
    .description('delete an account and its secrets')
    .argument('<name>', 'account name or id')
    .option('--json', 'print JSON')
    .action(
      run(async (api, name: string, opts: { json?: boolean }) => {
        const result = await api.call('accounts.remove', { account: name });
        if (opts.json) json(result);
        else out(`removed ${result.id}\n`);
      }),
    );

  for (const [verb, paused] of [['pause', true], ['resume', false]] as const) {
    program
      .command(verb)
      .description(`${verb} automatic refresh for one account or all`)
      .argument('[name]', 'account name or id')
      .option('--all', 'every account')
      .option('--json', 'print JSON')
      .action(
        run(async (api, name: string | undefined, opts: { all?: boolean; json?: boolean }) => {
          if (!name === !opts.all) throw new ContractError('invalid_input', `${verb}: give an account name or --all (not both)`);
          const result = await api.call('accounts.setPaused', opts.all ? { all: true, paused } : { account: name, paused });
          if (opts.json) json(result);
          else out(opts.all ? `automatic refresh ${paused ? 'paused' : 'resumed'} for all accounts\n` : `${printable(name!)}: ${paused ? 'paused' : 'resumed'}\n`);
        }),
      );
  }

  const vault = program.command('vault').description('how the vault key is protected');
  vault
    .command('status')
    .description('the key wrapper (passphrase, OS keyring, safeStorage) and how strong it is')
    .option('--json', 'print JSON')
    .action(
      run(async (api, opts: { json?: boolean }) => {
        const status = await api.call('vault.status');
        if (opts.json) json(status);
        else out(`${status.kind} (${status.protection}): ${status.explanation}\n`);
      }),
    );
  vault
    .command('rewrap')
    .description('re-wrap the vault key with a passphrase or the system key store; the secrets stay as they are')
    .addOption(new Option('--to <wrapper>', 'passphrase, or system (the OS keyring)').choices(['passphrase', 'system']).makeOptionMandatory())
    .action(
      run(async (api, opts: { to: 'passphrase' | 'system' }) => {
        let input: { to: 'passphrase'; passphrase: string } | { to: 'system' } = { to: 'system' };
        if (opts.to === 'passphrase') {
          const passphrase = process.env['TOKENDESK_NEW_PASSPHRASE'] ?? (await newPassphraseFromTerminal());
          input = { to: 'passphrase', passphrase };
        }
        const status = await api.call('vault.rewrap', input);
        out(`vault key now protected by ${status.kind} (${status.protection})\n`);
      }),
    );

  program
    .command('daemon')
    .description('own the data dir and refresh in the background until SIGTERM/SIGINT')
    .option('--demo', 'simulated providers and a separate demo data dir (not --data-dir): see TokenDesk work with no credentials')
    .option('--log-saves', 'log one line per durable token save to stderr (time, account id, sha256 prefix of the saved refresh token; no secret)')
    .action(async (opts: { demo?: boolean; logSaves?: boolean }, cmd: Command) => {
      await runDaemon(dataDirOf(cmd), undefined, { demo: opts.demo, logSaves: opts.logSaves });
    });

  program
    .command('serve')
    .description('own the data dir like daemon and serve the dashboard to a browser on this machine; prints its URL')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', parsePort, 0)
    .addOption(new Option('--host <host>', 'address to bind: loopback only, so the dashboard never leaves this machine').choices(['127.0.0.1']).default('127.0.0.1'))
    .option('--demo', 'simulated providers and a separate demo data dir (not --data-dir): see TokenDesk work with no credentials')
    .action(async (opts: { port: number; host: '127.0.0.1'; demo?: boolean }, cmd: Command) => {
      await runServe(dataDirOf(cmd), { port: opts.port, host: opts.host, demo: opts.demo });
    });

  return program;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return Number(value);
}

export async function main(argv = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; every other parse problem is a usage error (already printed).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const wire = toWireError(err);
    process.stderr.write(`tokendesk: ${printable(wire.message)}\n`);
    return exitCodeFor(wire.code);
  }
}
