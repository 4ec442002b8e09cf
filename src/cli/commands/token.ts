// `tokendesk token`: a valid access token, as itself, an Authorization header or a curl line.
import { type Command, Option } from 'commander';
import { formatToken } from '../../main/core/token-format.js';
import { json, out, parseSeconds, run } from './common.js';

interface TokenOptions {
  minValid: number;
  header?: boolean;
  curl?: string;
  scheme?: string;
  json?: boolean;
}

export function registerToken(program: Command): void {
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
      run(async (api, name: string, opts: TokenOptions) => {
        const token = await api.call('accounts.token', { account: name, minValidSeconds: opts.minValid, trigger: 'cli' });
        if (opts.json) return json(token);
        const format = opts.curl ? 'curl' : opts.header ? 'header' : 'token';
        out(`${formatToken(format, token.accessToken, { ...token.account, tokenType: token.tokenType }, { scheme: opts.scheme, url: opts.curl })}\n`);
      }),
    );
}
