// `tokendesk history`: the audit log — every action on the accounts (added, edited, signed in,
// refreshed, revoked, paused, resumed, removed), who did it and how it ended, newest first.
// `--format csv|json` exports the same rows (src/shared/history-export.ts, as the dashboard does).
import { type Command, Option } from 'commander';
import { HISTORY_ACTIONS, type ErrorClass, type HistoryAction } from '../../shared/domain.js';
import { historyCsv, historyJson, OUTCOME_CLASSES } from '../../shared/history-export.js';
import { historyTable } from '../format.js';
import { out, parseSeconds, run } from './common.js';

interface HistoryOptions {
  limit: number;
  outcome?: 'ok' | 'error' | ErrorClass;
  action?: HistoryAction[];
  format?: 'table' | 'csv' | 'json';
  json?: boolean;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('the history of every action on the accounts (who, what, outcome), newest first')
    .argument('[name]', 'account name or id (all accounts when omitted)')
    .option('--limit <n>', 'how many rows', parseSeconds, 20)
    .addOption(new Option('--outcome <outcome>', 'only rows with this outcome (error: every failure)').choices(['error', ...OUTCOME_CLASSES]))
    .addOption(new Option('--action <action...>', 'only rows of these actions').choices([...HISTORY_ACTIONS]))
    .addOption(new Option('--format <format>', 'table, or csv (RFC 4180) or json (contract: RefreshEvent[]) to export').choices(['table', 'csv', 'json']).default('table'))
    .option('--json', 'the same as --format json')
    .action(
      run(async (api, name: string | undefined, opts: HistoryOptions) => {
        const events = await api.call('history.list', { account: name, limit: opts.limit, outcome: opts.outcome, actions: opts.action });
        const format = opts.json ? 'json' : opts.format;
        if (format === 'json') out(historyJson(events));
        else if (format === 'csv') out(historyCsv(events));
        else out(historyTable(events));
      }),
    );
}
