// `tokendesk history`: refresh events of one account or all, newest first.
import { type Command, Option } from 'commander';
import { historyTable } from '../format.js';
import { json, out, parseSeconds, run } from './common.js';

export function registerHistory(program: Command): void {
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
}
