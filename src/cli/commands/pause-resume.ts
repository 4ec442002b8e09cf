// `tokendesk pause` and `tokendesk resume`: one command each, the same code with the flag flipped.
import type { Command } from 'commander';
import { ContractError } from '../../main/core/contract.js';
import { printable } from '../format.js';
import { json, out, run } from './common.js';

export function registerPauseResume(program: Command): void {
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
}
