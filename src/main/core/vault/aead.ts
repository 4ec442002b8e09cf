// AES-256-GCM with a fresh 12-byte IV per seal. Authentication failure throws;
// a damaged ciphertext can never decrypt to garbage.
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

// IVs are cut from a pool filled by the CSPRNG 256 at a time (as crypto.randomUUID does): a
// refresh seals about five values, and a randomBytes call each cost as much as the sealing.
// Every IV is still fresh random bytes, each handed out once.
const IV_POOL_SIZE = 256 * IV_BYTES;
const ivPool = Buffer.alloc(IV_POOL_SIZE);
let ivOffset = IV_POOL_SIZE;

function freshIv(): Buffer {
  if (ivOffset === IV_POOL_SIZE) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES)); // a copy: the pool is refilled later
  ivOffset += IV_BYTES;
  return iv;
}

export interface Sealed {
  iv: string;
  ct: string;
  tag: string;
}

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
  constructor() {
    super('authentication failed');
  }
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function unseal(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  // authTagLength pins the tag size: Node would otherwise accept a truncated (weaker) tag.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new AuthenticationError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch {
    throw new AuthenticationError();
  }
}

/** One base64 string `iv|tag|ct`, for wrapped keys. */
export function sealPacked(key: Buffer, plaintext: Buffer, aad: string): string {
  const s = seal(key, plaintext, aad);
  return Buffer.concat([Buffer.from(s.iv, 'base64'), Buffer.from(s.tag, 'base64'), Buffer.from(s.ct, 'base64')]).toString('base64');
}

export function unsealPacked(key: Buffer, packed: string, aad: string): Buffer {
  const b = Buffer.from(packed, 'base64');
  const part = (from: number, to?: number) => b.subarray(from, to).toString('base64');
  return unseal(key, { iv: part(0, IV_BYTES), tag: part(IV_BYTES, IV_BYTES + TAG_BYTES), ct: part(IV_BYTES + TAG_BYTES) }, aad);
}
