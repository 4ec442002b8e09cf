// `tokendesk providers`: the provider ids and the fields each one asks for, and the provider
// files of the data dir (README "Provider files"): add, show, remove.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CallOutput, ProviderInfo } from '../../shared/contract.js';
import { ContractError } from '../../main/core/contract.js';
import { printable, table } from '../format.js';
import { dataDirOf, json, out, run } from './common.js';

function printProviders(providers: readonly ProviderInfo[]): void {
  for (const p of providers) {
    out(`${p.id} — ${p.name}${p.definition ? ' (provider file)' : ''}: ${p.summary}\n`);
    out(table(['  FIELD', 'SECRET', 'REQUIRED', 'HELP'], p.fields.map((f) => [`  ${f.id}`, f.secret ? 'yes' : 'no', f.required ? 'yes' : 'no', f.help])));
    if (p.environments.length) out(`  environments: ${p.environments.map((e) => `${e.id} (${e.baseUrl})`).join(', ')}\n`);
    out('\n');
  }
}

/** An error the CLI reports as a usage problem (exit code 2). */
function usageError(message: string): Error {
  return new ContractError('invalid_input', message);
}

/** `--json` given to the subcommand, or to `providers` before it. */
function wantsJson(opts: { json?: boolean }, cmd: Command): boolean {
  return Boolean(opts.json || cmd.parent?.opts<{ json?: boolean }>().json);
}

/** The JSON of a provider file, or a message naming the file and what is wrong with it. */
function readDefinition(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw usageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw usageError(`${file} is not JSON: ${(err as Error).message}`);
  }
}

function printPreview(preview: CallOutput<'providers.preview'>): void {
  if (!preview.ok) return;
  const req = preview.request;
  if (req) {
    out(`It will send (secrets masked):\n  ${req.method} ${req.url}\n`);
    for (const [k, v] of Object.entries(req.headers)) out(`  ${k}: ${v}\n`);
    if (req.body !== undefined) out(`\n  ${req.body}\n`);
  }
  if (preview.answer) {
    const a = preview.answer;
    const expiry = a.expiresAt !== undefined ? `expires ${new Date(a.expiresAt).toISOString()} (${a.expirySource})` : `no expiry (${a.expirySource})`;
    out(`From its sample answer: access token ${a.accessToken}, ${a.refreshToken ? `refresh token ${a.refreshToken}${a.rotated ? ' (rotated)' : ''}, ` : ''}${expiry}\n`);
  }
  if (preview.answerError) out(`Warning: ${preview.answerError}\n`);
}

export function registerProviders(program: Command): void {
  const providers = program
    .command('providers')
    .description('list provider ids and their fields; add, show or remove provider files')
    .option('--json', 'print JSON (contract: ProviderInfo[])')
    .action(
      // Listing what TokenDesk supports needs no owner and no vault key: provider files are read as they are.
      async (opts: { json?: boolean }, cmd: Command) => {
        // Loaded when run: the other commands' start-up never pays for the providers' code.
        const { readProviderFiles } = await import('../../main/core/owner/provider-files.js');
        const list = (await readProviderFiles(dataDirOf(cmd))).infos();
        if (opts.json) return json(list);
        printProviders(list);
      },
    );

  providers
    .command('add')
    .description('check a provider file, show what it will send, and add it to the data dir')
    .argument('<file>', 'a provider definition (JSON)')
    .option('--replace', 'replace the stored provider file with the same id')
    .option('--dry-run', 'check and show what it will send; store nothing')
    .option('--json', 'print JSON')
    .action(
      run(async (api, file: string, options: { replace?: boolean; dryRun?: boolean; json?: boolean }, cmd: Command) => {
        const opts = { ...options, json: wantsJson(options, cmd) };
        const definition = readDefinition(file);
        const preview = await api.call('providers.preview', { definition });
        if (!preview.ok) {
          if (opts.json) json(preview);
          for (const p of preview.problems) process.stderr.write(`  ${printable(p.path || '/')}: ${printable(p.message)}\n`);
          throw usageError(`${file} was refused (${preview.problems.length} problem${preview.problems.length === 1 ? '' : 's'} above); nothing was stored`);
        }
        if (opts.dryRun) return opts.json ? json(preview) : printPreview(preview);
        const added = await api.call('providers.add', { definition, replace: opts.replace });
        if (opts.json) return json({ ...added, preview });
        printPreview(preview);
        out(`${added.replaced ? 'replaced' : 'added'} ${added.provider.id} (${added.provider.name}), revision ${added.revision}\n`);
      }),
    );

  providers
    .command('show')
    .description('show one provider (a provider file: its definition)')
    .argument('<id>', 'provider id')
    .option('--json', 'print JSON')
    .action(
      run(async (api, id: string, options: { json?: boolean }, cmd: Command) => {
        const opts = { json: wantsJson(options, cmd) };
        const shown = await api.call('providers.show', { id });
        if (opts.json) return json(shown);
        printProviders([shown.provider]);
        out(`${shown.builtIn ? 'built in' : `provider file, revision ${shown.revision ?? '?'}`}; ${shown.accounts} account${shown.accounts === 1 ? '' : 's'}\n`);
        if (shown.provider.definition) out(`${JSON.stringify(shown.provider.definition, null, 2)}\n`);
      }),
    );

  providers
    .command('remove')
    .description('remove a provider file (refused while accounts use it)')
    .argument('<id>', 'provider id')
    .option('--json', 'print JSON')
    .action(
      run(async (api, id: string, options: { json?: boolean }, cmd: Command) => {
        const opts = { json: wantsJson(options, cmd) };
        const result = await api.call('providers.remove', { id });
        if (opts.json) json(result);
        else out(`removed provider ${result.id}\n`);
      }),
    );
}
