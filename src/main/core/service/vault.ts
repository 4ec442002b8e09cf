// vault.status and vault.rewrap: how the vault's data key is protected, and re-wrapping it
// with a passphrase or the system key store (the host's, else the OS keyring).
import { ContractError, type Handlers } from '../contract.js';
import { keyringWorks, KeyringWrapper, PassphraseWrapper, type KeyWrapper } from '../vault/key-wrappers.js';
import type { Shared } from './context.js';

export function vaultHandlers(s: Shared): Pick<Handlers, 'vault.status' | 'vault.rewrap'> {
  return {
    'vault.status': async () => s.store.vaultStatus(),

    'vault.rewrap': async (input) => {
      const wrapper = input.to === 'passphrase' ? new PassphraseWrapper(input.passphrase) : await (s.ctx.systemKeyWrapper ?? defaultSystemKeyWrapper)();
      return s.store.rewrapVault(wrapper);
    },
  };
}

async function defaultSystemKeyWrapper(): Promise<KeyWrapper> {
  if (!(await keyringWorks())) {
    throw new ContractError('config_error', 'No OS keyring (Secret Service) is available here: keep the passphrase');
  }
  return new KeyringWrapper();
}
