// `tokendesk list`: every account with its status, expiry and next refresh.
import type { Command } from 'commander';
import { accountsTable } from '../format.js';
import { json, out, run } from './common.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('accounts: name, provider, status, expiry, next refresh, last outcome')
    .option('--json', 'print JSON (contract: AccountView[])')
    .action(
      run(async (api, opts: { json?: boolean }) => {
        const accounts = await api.call('accounts.list');
        if (opts.json) json(accounts);
        else out(accountsTable(accounts, Date.now(), (await api.call('settings.get')).refreshTokenWarningDays));
      }),
    );
}
