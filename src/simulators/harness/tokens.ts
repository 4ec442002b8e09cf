// Token material: random values, JWT-shaped and opaque tokens, and the record of every
// secret handed out, kept for the leak scan that closes the test suite.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/** A short, stable fingerprint of a token: sha256 hex prefix. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

export { randomUUID };

/**
 * Notes a secret the simulator hands out (token, client secret) for the leak scan that
 * closes the test suite: appended, one per line, to $TOKENDESK_SIM_ISSUED_FILE when it is
 * set (the test runner points it at a private 0600 file outside the project). The demo
 * never sets it. Synchronous so a crash right after issuing still leaves the record.
 */
export function recordIssuedSecret(secret: string): string {
  const file = process.env.TOKENDESK_SIM_ISSUED_FILE;
  if (file) appendFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** `base64url(header).base64url(payload).base64url(random)`: JWT-shaped, not really signed. */
export function mintJwt(claims: Record<string, unknown>): string {
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return recordIssuedSecret(`${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.${randomBytes(32).toString('base64url')}`);
}

/** An opaque token; `kind` is 'at' or 'rt' so a stray token in a log says what it is. */
export function opaqueToken(kind: 'at' | 'rt'): string {
  return recordIssuedSecret(`${kind}_${randomToken(32)}`);
}
