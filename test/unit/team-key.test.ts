// The team key (src/main/core/team/team-key.ts): sealed secrets are bound to their account, an
// invite code opens only its own invite, the passphrase wrap refuses a wrong passphrase.
import { describe, expect, it } from 'vitest';
import { keyCheck, newInvite, newTeamKey, openInvite, parseInvite, sealSecrets, unsealSecrets, unwrapWithPassphrase, verifyKey, wrapWithPassphrase } from '../../src/main/core/team/team-key.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('team key', () => {
  it('seals secrets for one account: another account id, or another key, cannot open them', () => {
    const key = newTeamKey();
    const sealed = sealSecrets(key, 'acct-1', { refresh_token: 'rt-secret-value' });
    expect(sealed).not.toContain('rt-secret-value');
    expect(unsealSecrets(key, 'acct-1', sealed)).toEqual({ refresh_token: 'rt-secret-value' });
    expect(() => unsealSecrets(key, 'acct-2', sealed)).toThrow();
    expect(() => unsealSecrets(newTeamKey(), 'acct-1', sealed)).toThrow();
  });

  it('the key check tells the right key from a wrong one', () => {
    const key = newTeamKey();
    const check = keyCheck(key, 'team-1');
    expect(() => verifyKey(key, 'team-1', check)).not.toThrow();
    expect(() => verifyKey(newTeamKey(), 'team-1', check)).toThrow(/does not open this team/);
    expect(() => verifyKey(key, 'team-2', check)).toThrow(/does not open this team/);
  });

  it('an invite code opens the key it wraps, and nothing else', () => {
    const key = newTeamKey();
    const invite = newInvite(key);
    const { id, secret } = parseInvite(invite.code);
    expect(id).toBe(invite.id);
    expect(openInvite(id, secret, invite.wrappedKey).equals(key)).toBe(true);
    const other = newInvite(key);
    expect(() => openInvite(id, parseInvite(other.code).secret, invite.wrappedKey)).toThrow(/does not match/);
    expect(() => parseInvite('not-a-code')).toThrow(/not an invite code/);
  });

  it('the team passphrase wraps the key; a wrong one is refused, a short one too', async () => {
    const key = newTeamKey();
    const wrap = await wrapWithPassphrase(key, 'a long team passphrase', 'team-1', FAST);
    expect((await unwrapWithPassphrase(wrap, 'a long team passphrase', 'team-1')).equals(key)).toBe(true);
    await expect(unwrapWithPassphrase(wrap, 'wrong passphrase!', 'team-1')).rejects.toThrow(/Wrong team passphrase/);
    await expect(wrapWithPassphrase(key, 'short', 'team-1', FAST)).rejects.toThrow(/at least 8/);
  });
});
