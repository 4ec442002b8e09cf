// Electron safeStorage as a vault key wrapper (docs/ARCHITECTURE.md "Key wrappers"). It takes the
// safeStorage object rather than importing it, so tests use a stand-in and the vault
// stays in core. On Linux without a keyring, safeStorage "encrypts" with a hard-coded
// key (backend basic_text): we say so plainly instead of pretending it protects anything.
import type { SafeStorage } from 'electron';
import { KeyWrapperUnavailableError, VaultLockedError } from '../core/vault/errors.js';
import type { KeyWrapper, WrappedKey, WrapperDescription } from '../core/vault/key-wrappers.js';

// Electron 45's async API (isAsyncEncryptionAvailable, encryptStringAsync,
// decryptStringAsync) is used where present; the sync one is the fallback.
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend' | 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>>;

export class SafeStorageWrapper implements KeyWrapper {
  readonly kind = 'safeStorage';

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Linux only; undefined elsewhere (Keychain / DPAPI are always real). */
  #backend(): string | undefined {
    return this.platform === 'linux' ? this.safeStorage.getSelectedStorageBackend?.() : undefined;
  }

  describe(): WrapperDescription {
    if (!this.safeStorage.isEncryptionAvailable()) {
      return { kind: this.kind, protection: 'unavailable', explanation: 'The system cannot encrypt for TokenDesk right now. Choose a passphrase instead.' };
    }
    if (this.#backend() === 'basic_text') {
      return {
        kind: this.kind,
        protection: 'weak',
        explanation: 'No OS keyring was found, so Electron encrypts with a fixed key anyone can read — choose a passphrase instead.',
      };
    }
    return { kind: this.kind, protection: 'strong', explanation: "Secrets are encrypted with a key your system's keychain keeps for TokenDesk, unlocked by your login." };
  }

  async #available(): Promise<boolean> {
    const s = this.safeStorage;
    return s.isAsyncEncryptionAvailable && s.encryptStringAsync && s.decryptStringAsync ? s.isAsyncEncryptionAvailable() : s.isEncryptionAvailable();
  }

  async #encrypt(text: string): Promise<Buffer> {
    const s = this.safeStorage;
    return s.encryptStringAsync && s.decryptStringAsync ? s.encryptStringAsync(text) : s.encryptString(text);
  }

  async #decrypt(encrypted: Buffer): Promise<string> {
    const s = this.safeStorage;
    // Data the sync API encrypted decrypts with the async one too.
    return s.decryptStringAsync && s.encryptStringAsync ? (await s.decryptStringAsync(encrypted)).result : s.decryptString(encrypted);
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    if (!(await this.#available())) throw new KeyWrapperUnavailableError(this.describe().explanation);
    const encrypted = await this.#encrypt(dataKey.toString('base64'));
    // The backend is recorded so a later switch (keyring gone → basic_text) can be explained.
    return { wrapper: { kind: this.kind, backend: this.#backend() ?? this.platform }, wrappedKey: encrypted.toString('base64') };
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    if (!(await this.#available())) throw new VaultLockedError(`${this.describe().explanation} The vault stays locked.`);
    try {
      // The vault's key check catches a wrong key that decrypts "successfully" (basic_text has no integrity).
      return Buffer.from(await this.#decrypt(Buffer.from(wrapped.wrappedKey, 'base64')), 'base64');
    } catch {
      throw new VaultLockedError(
        `The system keychain could not decrypt the vault key (it was made with "${String(wrapped.wrapper['backend'])}"; the keyring may have changed). The vault stays locked.`,
      );
    }
  }
}
