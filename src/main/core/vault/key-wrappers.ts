// Key wrappers protect the vault's one data key (docs/ARCHITECTURE.md "Key wrappers"): passphrase
// (scrypt) and the OS keyring here; Electron safeStorage in src/main/app. Each one
// stores its public parameters in the vault file and fails *authentication* when the
// key is wrong, so a wrong passphrase can never decrypt to a garbage key.
import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { z } from 'zod';
import { sealPacked, unsealPacked, KEY_BYTES } from './aead.js';
import { KeyWrapperUnavailableError, VaultLockedError } from './errors.js';

export interface WrapperDescription {
  kind: string;
  /** 'weak': the key is wrapped, but by something anyone on the machine can undo. */
  protection: 'strong' | 'weak' | 'unavailable';
  /** One or two plain sentences for the settings screen. */
  explanation: string;
}

/** What a wrapper writes into the vault file: `wrapper` (kind + public params) and the wrapped key. */
export interface WrappedKey {
  wrapper: { kind: string } & Record<string, unknown>;
  /** base64 */
  wrappedKey: string;
}

export interface KeyWrapper {
  readonly kind: string;
  describe(): WrapperDescription;
  wrap(dataKey: Buffer): Promise<WrappedKey>;
  /** Throws VaultLockedError when the key cannot be recovered. */
  unwrap(wrapped: WrappedKey): Promise<Buffer>;
  /** Deletes anything wrap() stored outside the vault file; called after a rewrap replaced it. */
  discard?(wrapped: WrappedKey): Promise<void>;
}

// Binds a wrapped key to its purpose: a wrapped key is not interchangeable with anything else sealed by the same KEK.
const WRAP_AAD = 'tokendesk:vault-data-key:v1';

function unwrapWith(kek: Buffer, wrappedKey: string, lockedMessage: string): Buffer {
  let key: Buffer;
  try {
    key = unsealPacked(kek, wrappedKey, WRAP_AAD);
  } catch {
    throw new VaultLockedError(lockedMessage);
  }
  if (key.length !== KEY_BYTES) throw new VaultLockedError(lockedMessage);
  return key;
}

// ── Passphrase ────────────────────────────────────────────────────────────────

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × r=8: 32 MiB and ~0.1 s per attempt (OWASP's scrypt floor is N=2^17 r=8 for passwords *stored on servers*; here each guess also needs the file). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const isPowerOfTwo = (n: number) => (n & (n - 1)) === 0;
const PassphraseParams = z.object({
  kind: z.literal('passphrase'),
  kdf: z.literal('scrypt'),
  salt: z.base64(),
  // Bounds also stop a tampered file from asking for gigabytes of memory.
  N: z.number().int().min(2 ** 10).max(2 ** 20).refine(isPowerOfTwo),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
});

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * cost.N * cost.r * cost.p; // Node's default cap (32 MiB) is exactly 2^15·r=8: leave headroom
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export class PassphraseWrapper implements KeyWrapper {
  readonly kind = 'passphrase';

  constructor(
    private readonly passphrase: string,
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {
    if (!passphrase) throw new VaultLockedError('The vault passphrase is empty.');
  }

  describe(): WrapperDescription {
    return {
      kind: this.kind,
      protection: 'strong',
      explanation: 'Secrets are encrypted with a key derived from your passphrase. Nobody can read them without it, and TokenDesk asks for it each time it starts.',
    };
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const salt = randomBytes(16);
    const kek = await deriveKey(this.passphrase, salt, this.cost);
    return { wrapper: { kind: this.kind, kdf: 'scrypt', salt: salt.toString('base64'), ...this.cost }, wrappedKey: sealPacked(kek, dataKey, WRAP_AAD) };
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    const params = PassphraseParams.safeParse(wrapped.wrapper);
    if (!params.success) throw new VaultLockedError("The vault's passphrase settings are damaged, so it cannot be unlocked.");
    const { salt, N, r, p } = params.data;
    const kek = await deriveKey(this.passphrase, Buffer.from(salt, 'base64'), { N, r, p });
    return unwrapWith(kek, wrapped.wrappedKey, 'Wrong passphrase: the vault stays locked. (If the passphrase is right, the key section of vault.json is damaged.)');
  }
}


// ── OS keyring ────────────────────────────────────────────────────────────────
// The keyring holds a random key-encryption key (KEK), not the data key itself:
// the vault file then says, by authentication, whether an entry belongs to it (a stale
// entry or one from another vault fails cleanly instead of decrypting nothing), and every
// wrapper has the same shape (a KEK sealing the data key) so rewrap is uniform.

export const KEYRING_SERVICE = 'TokenDesk';

export interface KeyringEntry {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
  deletePassword(): Promise<boolean>;
}

// On Linux the library silently falls back to the kernel keyring, which forgets
// everything at logout: that would lock the vault for good. Secret Service or nothing.
// Loaded on first use: a platform without a native build must still start (with a passphrase).
export function defaultEntry(service: string, account: string): KeyringEntry {
  const entry = import('@napi-rs/keyring').then(
    ({ AsyncEntry }) => new AsyncEntry(service, account, process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined),
  );
  return {
    getPassword: async () => (await (await entry).getPassword()) ?? null,
    setPassword: async (password) => (await entry).setPassword(password),
    deletePassword: async () => (await entry).deletePassword(),
  };
}

/** True when the OS keyring accepts and returns a value (and forgets it again). */
export async function keyringWorks(): Promise<boolean> {
  try {
    const entry = defaultEntry(KEYRING_SERVICE, `probe-${process.pid}`);
    await entry.setPassword('probe');
    const ok = (await entry.getPassword()) === 'probe';
    await entry.deletePassword();
    return ok;
  } catch {
    return false;
  }
}

const KeyringParams = z.object({ kind: z.literal('keyring'), service: z.string().min(1), account: z.string().min(1) });

export class KeyringWrapper implements KeyWrapper {
  readonly kind = 'keyring';

  constructor(private readonly openEntry: (service: string, account: string) => KeyringEntry = defaultEntry) {}

  describe(): WrapperDescription {
    return {
      kind: this.kind,
      protection: 'strong',
      explanation: "Secrets are encrypted with a key kept in your system's keyring, which your login unlocks.",
    };
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const kek = randomBytes(KEY_BYTES);
    const account = `vault-${randomUUID()}`; // a fresh entry per wrap: a rewrap never clobbers one still in use
    try {
      await this.openEntry(KEYRING_SERVICE, account).setPassword(kek.toString('base64'));
    } catch (error) {
      throw new KeyWrapperUnavailableError(`The OS keyring cannot store the vault key (${(error as Error).message}). Choose a passphrase instead.`);
    }
    return { wrapper: { kind: this.kind, service: KEYRING_SERVICE, account }, wrappedKey: sealPacked(kek, dataKey, WRAP_AAD) };
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    const params = KeyringParams.safeParse(wrapped.wrapper);
    if (!params.success) throw new VaultLockedError("The vault's keyring settings are damaged, so it cannot be unlocked.");
    const { service, account } = params.data;
    let stored: string | null;
    try {
      stored = await this.openEntry(service, account).getPassword();
    } catch (error) {
      throw new VaultLockedError(`The OS keyring could not be read (${(error as Error).message}): the vault stays locked.`);
    }
    if (stored === null) {
      throw new VaultLockedError(
        `The OS keyring has no key for this vault (${service} / ${account}): it was deleted, or the vault was copied from another user or machine. The vault stays locked.`,
      );
    }
    return unwrapWith(Buffer.from(stored, 'base64'), wrapped.wrappedKey, 'The key in the OS keyring does not open this vault: the vault stays locked.');
  }

  async discard(wrapped: WrappedKey): Promise<void> {
    const params = KeyringParams.safeParse(wrapped.wrapper);
    if (params.success) await this.openEntry(params.data.service, params.data.account).deletePassword();
  }
}
