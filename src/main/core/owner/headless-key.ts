// Which key wrapper a headless owner uses (docs/ARCHITECTURE.md "Key wrappers"): TOKENDESK_PASSPHRASE
// when set; else whatever the existing vault was locked with (the OS keyring, or a
// passphrase asked on the terminal); for a new vault the OS keyring, else a prompt.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VaultLockedError } from '../vault/errors.js';
import { keyringWorks, KeyringWrapper, PassphraseWrapper, type KeyWrapper } from '../vault/key-wrappers.js';
import { promptHidden } from '../vault/prompt.js';
import { VAULT_FILE } from '../vault/vault.js';

/** The wrapper kind recorded in the vault file, without unlocking anything. */
export async function vaultWrapperKind(dataDir: string): Promise<string | undefined> {
  try {
    const doc = JSON.parse(await readFile(path.join(dataDir, VAULT_FILE), 'utf8')) as { wrapper?: { kind?: unknown } };
    return typeof doc.wrapper?.kind === 'string' ? doc.wrapper.kind : undefined;
  } catch {
    return undefined; // missing or unreadable: openVault reports (and quarantines) it properly
  }
}

export interface HeadlessKeyOptions {
  env?: NodeJS.ProcessEnv;
  /** Probe for a usable OS keyring (Secret Service on Linux). */
  keyringAvailable?: () => Promise<boolean>;
  prompt?: (question: string) => Promise<string>;
}

export async function headlessKeyWrapper(dataDir: string, options: HeadlessKeyOptions = {}): Promise<KeyWrapper> {
  const env = options.env ?? process.env;
  const prompt = options.prompt ?? ((q: string) => promptHidden(q));
  const passphrase = env['TOKENDESK_PASSPHRASE'];
  const kind = await vaultWrapperKind(dataDir);
  if (passphrase) {
    if (kind && kind !== 'passphrase') {
      throw new VaultLockedError(`TOKENDESK_PASSPHRASE is set, but this vault is locked with "${kind}"; unset it to use ${kind}.`);
    }
    return new PassphraseWrapper(passphrase);
  }
  if (kind === 'keyring') return new KeyringWrapper();
  if (kind === 'passphrase') return new PassphraseWrapper(await prompt('Vault passphrase: '));
  if (kind) {
    throw new VaultLockedError(`This vault is locked with "${kind}" (the desktop app's key store); open it with the app, or set a passphrase there.`);
  }
  // A new vault.
  if (await (options.keyringAvailable ?? keyringWorks)()) return new KeyringWrapper();
  if (!process.stdin.isTTY) {
    throw new VaultLockedError('No vault key: set TOKENDESK_PASSPHRASE, or run where an OS keyring (Secret Service) is available.');
  }
  const first = await prompt('New vault passphrase: ');
  const again = await prompt('Repeat the passphrase: ');
  if (first !== again) throw new VaultLockedError('The passphrases differ; nothing was created.');
  return new PassphraseWrapper(first);
}
