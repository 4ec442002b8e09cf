// Vault errors. None ever carries a secret: messages name accounts and fields only.
import type { QuarantineReport } from '../storage/quarantine.js';

export class VaultError extends Error {
  override name = 'VaultError';
}

/** The data key could not be unwrapped (wrong passphrase, keyring entry missing…): nothing was read or written. */
export class VaultLockedError extends VaultError {
  override name = 'VaultLockedError';
}

/** A stored value failed authentication: the file was damaged or edited. */
export class VaultCorruptError extends VaultError {
  override name = 'VaultCorruptError';
}

export class VaultNotFoundError extends VaultError {
  override name = 'VaultNotFoundError';
  /** Set when the vault existed but was unreadable and has been moved aside. */
  constructor(
    message: string,
    readonly quarantined?: QuarantineReport,
  ) {
    super(message);
  }
}

/** The chosen key wrapper cannot work here (no OS keyring, safeStorage unavailable…). */
export class KeyWrapperUnavailableError extends VaultError {
  override name = 'KeyWrapperUnavailableError';
}
