// The team data key and what it seals (docs/ARCHITECTURE.md "Team vault"): every secret is
// sealed on the member's machine with AES-256-GCM before it reaches the database, bound to its
// account id. The key reaches a new member wrapped for a one-time invite code or a passphrase.
import { hkdfSync, randomBytes, scrypt } from 'node:crypto';
import { ContractError } from '../contract.js';
import { AuthenticationError, KEY_BYTES, sealPacked, unsealPacked } from '../vault/aead.js';

const KEY_CHECK_TEXT = 'tokendesk team key';
export const INVITE_TTL_MS = 24 * 3600_000;

/** A wrong invite code or passphrase, or a key that does not open the team. */
export class TeamKeyError extends ContractError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}

export function newTeamKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function keyCheck(key: Buffer, teamId: string): string {
  return sealPacked(key, Buffer.from(KEY_CHECK_TEXT), `tokendesk-team-check:${teamId}`);
}

export function verifyKey(key: Buffer, teamId: string, check: string): void {
  try {
    if (unsealPacked(key, check, `tokendesk-team-check:${teamId}`).toString() === KEY_CHECK_TEXT) return;
  } catch (err) {
    if (!(err instanceof AuthenticationError)) throw err;
  }
  throw new TeamKeyError('That key does not open this team (wrong invite code or passphrase)');
}

export function sealSecrets(key: Buffer, accountId: string, secrets: Record<string, string>): string {
  return sealPacked(key, Buffer.from(JSON.stringify(secrets)), `tokendesk-team-secrets:${accountId}`);
}

export function unsealSecrets(key: Buffer, accountId: string, sealed: string): Record<string, string> {
  return JSON.parse(unsealPacked(key, sealed, `tokendesk-team-secrets:${accountId}`).toString()) as Record<string, string>;
}

// ── invites: `<id>.<secret>`, the secret 128 random bits, so HKDF is enough to stretch it ──

export function newInvite(key: Buffer): { id: string; code: string; wrappedKey: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(16).toString('base64url');
  return { id, code: `${id}.${secret}`, wrappedKey: sealPacked(inviteKek(id, secret), key, `tokendesk-team-invite:${id}`) };
}

export function parseInvite(code: string): { id: string; secret: string } {
  const match = /^([0-9a-f]{12})\.([A-Za-z0-9_-]{22})$/.exec(code.trim());
  if (!match) throw new TeamKeyError('That is not an invite code (expected the text `tokendesk team invite` printed)');
  return { id: match[1]!, secret: match[2]! };
}

export function openInvite(id: string, secret: string, wrappedKey: string): Buffer {
  try {
    return unsealPacked(inviteKek(id, secret), wrappedKey, `tokendesk-team-invite:${id}`);
  } catch {
    throw new TeamKeyError('The invite code does not match its invite');
  }
}

function inviteKek(id: string, secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'base64url'), Buffer.from(id), 'tokendesk team invite', KEY_BYTES));
}

// ── the team passphrase: scrypt, as the local vault's passphrase wrapper ──

export interface PassphraseWrap {
  salt: string;
  N: number;
  r: number;
  p: number;
  wrapped: string;
}

export const TEAM_SCRYPT = { N: 2 ** 15, r: 8, p: 1 };

function derive(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r * cost.p }, (err, k) => (err ? reject(err) : resolve(k))),
  );
}

export async function wrapWithPassphrase(key: Buffer, passphrase: string, teamId: string, cost = TEAM_SCRYPT): Promise<PassphraseWrap> {
  if (passphrase.length < 8) throw new TeamKeyError('The team passphrase needs at least 8 characters');
  const salt = randomBytes(16);
  const kek = await derive(passphrase, salt, cost);
  return { salt: salt.toString('base64'), ...cost, wrapped: sealPacked(kek, key, `tokendesk-team-passphrase:${teamId}`) };
}

export async function unwrapWithPassphrase(wrap: PassphraseWrap, passphrase: string, teamId: string): Promise<Buffer> {
  if (!Number.isInteger(wrap.N) || wrap.N > 2 ** 20 || wrap.r > 32 || wrap.p > 16) throw new TeamKeyError("The team's passphrase settings are damaged");
  const kek = await derive(passphrase, Buffer.from(wrap.salt, 'base64'), wrap);
  try {
    return unsealPacked(kek, wrap.wrapped, `tokendesk-team-passphrase:${teamId}`);
  } catch {
    throw new TeamKeyError('Wrong team passphrase');
  }
}
