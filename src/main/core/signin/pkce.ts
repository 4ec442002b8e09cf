// PKCE (RFC 7636) and the `state` value of an authorization request: a fresh random
// verifier per sign-in (43 characters of base64url, the shortest the RFC allows, from 32
// random bytes), its S256 challenge, and an unguessable state.
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function s256(verifier: string): string {
  if (!VERIFIER.test(verifier)) throw new Error('A PKCE code verifier is 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier), method: 'S256' };
}

export function createState(): string {
  return randomBytes(24).toString('base64url');
}
