// `tokendesk vault status|rewrap`: how the vault key is protected, and changing that.
import { type Command, Option } from 'commander';
import { ContractError } from '../../main/core/contract.js';
import { promptHidden } from '../../main/core/vault/prompt.js';
import { json, out, run } from './common.js';

export function registerVault(program: Command): void {
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
}

async function newPassphraseFromTerminal(): Promise<string> {
  if (!process.stdin.isTTY) throw new ContractError('invalid_input', 'Set TOKENDESK_NEW_PASSPHRASE, or run on a terminal to be asked');
  const first = await promptHidden('New vault passphrase: ');
  if (first !== (await promptHidden('Repeat it: '))) throw new ContractError('invalid_input', 'The passphrases differ; nothing was changed');
  return first;
}
