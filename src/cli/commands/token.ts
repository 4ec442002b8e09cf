// `tokendesk token`: a valid access token, as itself, an Authorization header, a curl line, an
// env line or JSON — on stdout, or in a 0600 file replaced atomically (`--out`), kept current
// at every refresh with `--watch` (../token-watch.ts).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ContractError } from '../../main/core/contract.js';
import { writeFileAtomic } from '../../main/core/storage/atomic.js';
import { printable } from '../format.js';
import { renderToken, TOKEN_MIN_VALID_DEFAULT, TOKEN_SCHEMES, type Token, type TokenOutputFormat } from '../token-render.js';
import { describeRequester } from '../requester.js';
import { watchTokenFile } from '../token-watch.js';
import { withApi } from '../connect.js';
import { dataDirOf, json, out, parseSeconds } from './common.js';

interface TokenOptions {
  minValid: number;
  header?: boolean;
  curl?: string;
  scheme?: string;
  json?: boolean;
  format?: 'token' | 'env' | 'json' | 'header';
  var: string;
  out?: string;
  watch?: boolean;
}

function parseVariable(value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new InvalidArgumentError('expected a variable name (letters, digits and _, not starting with a digit)');
  return value;
}

/** `--out` must name a file in a directory that exists: a missing one is a typo, not something to create. */
async function checkOutPath(file: string): Promise<string> {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new ContractError('invalid_input', `--out ${printable(file)}: the directory ${printable(dir)} does not exist`);
  if ((await stat(resolved).catch(() => undefined))?.isDirectory()) throw new ContractError('invalid_input', `--out ${printable(file)} is a directory; name a file`);
  return resolved;
}

/** Resolves at the first SIGINT or SIGTERM (and stops listening for them). */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('print a valid access token, refreshing first when it expires within --min-valid')
    .argument('<name>', 'account name or id')
    .option('--min-valid <seconds>', 'refresh first if the token expires within this many seconds (capped at what the provider grants)', parseSeconds, TOKEN_MIN_VALID_DEFAULT)
    .option('--header', 'print the Authorization header line instead')
    .option('--curl <url>', 'print a curl command line for URL')
    .addOption(new Option('--scheme <scheme>', 'Authorization scheme for --header/--curl (TeamUp documents Token, samples use Bearer)').choices(TOKEN_SCHEMES))
    .option('--json', 'print JSON (contract: TokenResult)')
    .addOption(new Option('--format <format>', 'token (default), env (VAR=token), json (TokenResult) or header').choices(['token', 'env', 'json', 'header']).conflicts(['header', 'curl', 'json']))
    .option('--var <name>', 'the variable name of --format env', parseVariable, 'ACCESS_TOKEN')
    .option('--out <file>', 'write to FILE (mode 0600, replaced atomically) instead of stdout; its directory must exist')
    .addOption(new Option('--watch', 'with --out: keep FILE current, rewriting it at every refresh, until SIGINT or SIGTERM (needs a running owner: the desktop app, daemon or serve)'))
    .action(async (name: string, opts: TokenOptions, cmd: Command) => {
      const format: TokenOutputFormat = opts.format ?? (opts.json ? 'json' : opts.curl ? 'curl' : opts.header ? 'header' : 'token');
      const render = (token: Token, toFile: boolean) => renderToken(format, token, { scheme: opts.scheme, url: opts.curl, variable: opts.var, toFile });
      if (opts.watch && !opts.out) throw new ContractError('invalid_input', '--watch needs --out FILE: it keeps a file current');
      const file = opts.out === undefined ? undefined : await checkOutPath(opts.out);
      if (opts.watch && file) {
        const requester = describeRequester('token --watch');
        const log = (line: string) => process.stderr.write(`tokendesk: ${printable(line)}\n`);
        await watchTokenFile({ dataDir: dataDirOf(cmd), account: name, minValidSeconds: opts.minValid, file, requester, render: (t) => render(t, true), log, stop: stopSignal() });
        return;
      }
      await withApi(dataDirOf(cmd), async (api) => {
        const token = await api.call('accounts.token', { account: name, minValidSeconds: opts.minValid, trigger: 'cli', requester: describeRequester('token') });
        if (file) return writeFileAtomic(file, render(token, true), 0o600);
        if (format === 'json') return json(token);
        out(render(token, false));
      });
    });
}
