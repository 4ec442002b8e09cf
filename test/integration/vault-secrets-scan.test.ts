// After a full round of storage use, no secret may be found in any file of the data
// dir: not in plaintext, nor base64 / base64url / hex encoded.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccountStore } from '../../src/main/core/storage/account-store.js';
import { ensureDataDir } from '../../src/main/core/storage/data-dir.js';
import { HistoryLog } from '../../src/main/core/storage/history-log.js';
import { acquireOwnerLock } from '../../src/main/core/storage/owner-lock.js';
import { openVault } from '../../src/main/core/vault/vault.js';
import { fastPassphrase, makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

function encodings(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  const b64 = b.toString('base64');
  return [secret, b64, b64.replace(/=+$/, ''), b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase()];
}

function filesUnder(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((f) => path.join(root, f)).filter((p) => fs.statSync(p).isFile());
}

describe('secrets at rest', () => {
  it('no secret, in any encoding, in any file under the data dir; files 0600, dir 0700', async () => {
    const passphrase = `pp-${randomBytes(12).toString('hex')}`;
    const secrets = [
      passphrase,
      `rt-${randomBytes(24).toString('base64url')}`,
      `eyJhbGciOiJIUzI1NiJ9.${randomBytes(30).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      `cs_${randomBytes(16).toString('hex')}`,
      'short-but-secret-9',
    ];
    const [, refreshToken, accessToken, clientSecret, other] = secrets as [string, string, string, string, string];

    await ensureDataDir(dir);
    const lock = await acquireOwnerLock(dir);
    const store = await openAccountStore({ dir });
    const account = store.create({ name: 'ups-prod', providerId: 'ups', settings: { client_id: 'public-client-id' } });
    const vault = await openVault({ dir, wrapper: fastPassphrase(passphrase), create: true });
    await vault.setMany(account.id, { refresh_token: refreshToken, access_token: accessToken, client_secret: clientSecret });
    await vault.setPassword('other-account', 'refresh_token', other);
    await vault.setMany(account.id, { refresh_token: `${refreshToken}-rotated`, access_token: `${accessToken}-2` });
    await vault.rewrap(fastPassphrase(`${passphrase}-new`));
    store.update(account.id, { expiresAt: Date.now() + 3_600_000, expirySource: 'jwt_exp', tokenType: 'Bearer', lastOutcome: { at: Date.now(), outcome: 'ok' } });
    const history = await HistoryLog.open({ dir });
    await history.append({ id: 'ev-1', accountId: account.id, at: Date.now(), trigger: 'manual', outcome: 'ok', durationMs: 3, rotated: true });
    // A caller that wrongly hands a token along: history keeps schema fields only.
    await history.append({ id: 'ev-2', accountId: account.id, at: Date.now(), trigger: 'manual', outcome: 'ok', durationMs: 3, token: accessToken } as never);

    const files = filesUnder(dir);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['accounts.json', 'history.jsonl', 'owner.lock', 'vault.journal', 'vault.json']);
    const needles = [...secrets, `${refreshToken}-rotated`, `${accessToken}-2`, `${passphrase}-new`].flatMap(encodings);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const needle of needles) expect(bytes.includes(needle), `${path.basename(file)} contains a secret (${needle.slice(0, 6)}…)`).toBe(false);
      expect(mode(file)).toBe(0o600);
    }
    expect(mode(dir)).toBe(0o700);
    expect(fs.readFileSync(path.join(dir, 'accounts.json'), 'utf8')).toContain('public-client-id'); // the scan does see plain text
    await lock.release();
  });
});
