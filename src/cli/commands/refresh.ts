// `tokendesk refresh`: refresh one account now; a failed refresh exits with its error class's code.
import type { Command } from 'commander';
import { ContractError } from '../../main/core/contract.js';
import { printable, relative } from '../format.js';
import { json, out, run } from './common.js';

export function registerRefresh(program: Command): void {
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
}
