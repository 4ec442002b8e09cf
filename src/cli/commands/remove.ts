// `tokendesk remove`: delete an account and its secrets.
import type { Command } from 'commander';
import { json, out, run } from './common.js';

export function registerRemove(program: Command): void {
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
}
