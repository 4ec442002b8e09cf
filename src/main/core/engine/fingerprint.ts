// A short, stable, secret-free fingerprint of a token: the first 16 hex digits of its
// sha256 (64 bits of a hash of a 256-bit random value: nothing to learn from it). It is
// the same shape the provider simulators log when they rotate a refresh token
// (src/simulators/harness.ts tokenHash), so a save can be matched to the rotation it
// follows without either side logging a secret.
import { createHash } from 'node:crypto';

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
