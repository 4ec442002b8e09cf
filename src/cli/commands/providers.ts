// `tokendesk providers`: the provider ids and the fields each one asks for.
import type { Command } from 'commander';
import { table } from '../format.js';
import { json, out } from './common.js';

export function registerProviders(program: Command): void {
  program
    .command('providers')
    .description('list provider ids and their fields')
    .option('--json', 'print JSON (contract: ProviderInfo[])')
    .action(
      // Listing what TokenDesk supports needs no owner and no vault key.
      async (opts: { json?: boolean }) => {
        const { listProviderInfo } = await import('../../main/core/providers/index.js');
        const providers = listProviderInfo();
        if (opts.json) return json(providers);
        for (const p of providers) {
          out(`${p.id} — ${p.name}: ${p.summary}\n`);
          out(table(['  FIELD', 'SECRET', 'REQUIRED', 'HELP'], p.fields.map((f) => [`  ${f.id}`, f.secret ? 'yes' : 'no', f.required ? 'yes' : 'no', f.help])));
          if (p.environments.length) out(`  environments: ${p.environments.map((e) => `${e.id} (${e.baseUrl})`).join(', ')}\n`);
          out('\n');
        }
      },
    );
}
