// `tokendesk revoke`: revoke an account's grant at the provider where it can, and locally.
import type { Command } from 'commander';
import { printable } from '../format.js';
import { json, out, run } from './common.js';

export function registerRevoke(program: Command): void {
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
}
