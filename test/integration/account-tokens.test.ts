// Over a real owner, real files and the simulators: remove with undo (restore, the window
// closing, the owner stopping inside it), the refresh token and OpenID Connect ID token
// revealed and copied, and a revoke that forgets what the tokens' answers taught.
import { afterEach, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import type { ProviderId } from '../../src/shared/domain.js';
import { call, openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function sim(id: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator(id, options);
  cleanups.push(() => s.close());
  return s;
}

async function owner(dir?: string): Promise<{ owner: Owner; dir: string; close: () => Promise<void> }> {
  let dataDir = dir;
  if (!dataDir) {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    dataDir = t.dir;
  }
  const o = await openTestOwner(dataDir, { schedule: false });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await o.close();
  };
  cleanups.push(close);
  return { owner: o, dir: dataDir, close };
}

async function addFromSimulator(o: Owner, s: Simulator, name: string) {
  const grant = s.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  return call(o, 'accounts.add', { providerId: s.providerId, name, baseUrl: s.providerId === 'oauth2' ? undefined : s.url, values });
}

/** An oauth2 account signed in with the device flow, asking for `scope`. */
async function signedInOAuth2(o: Owner, s: Simulator, name: string, scope: string) {
  const { clientId, clientSecret } = s.clientCredentials();
  await call(o, 'accounts.add', { providerId: 'oauth2', name, values: { issuer: s.url, client_id: clientId, client_secret: clientSecret, scope } });
  const started = await call(o, 'signin.start', { account: name, method: 'device' });
  if (started.method !== 'device') throw new Error('expected a device sign-in');
  s.approveDevice(started.userCode);
  return (await call(o, 'signin.wait', { sessionId: started.sessionId })).account;
}

function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('remove with undo', () => {
  it('restore within the window brings the account back with its tokens; afterwards the removal is final', async () => {
    const s = await sim('pathstack');
    const { owner: o } = await owner();
    const kept = await addFromSimulator(o, s, 'kept');
    const gone = await addFromSimulator(o, s, 'gone');
    await call(o, 'accounts.refresh', { account: 'kept' });

    const removed = await call(o, 'accounts.remove', { account: 'kept', undoSeconds: 30 });
    expect(removed.undoUntil).toBeGreaterThan(Date.now());
    expect((await call(o, 'accounts.list')).map((a) => a.name)).toEqual(['gone']);
    const restored = await call(o, 'accounts.restore', { id: kept.id });
    expect(restored).toMatchObject({ id: kept.id, name: 'kept', status: 'active', hasAccessToken: true });
    // The refresh token survived the round trip: the vendor still takes it.
    expect((await call(o, 'accounts.refresh', { account: 'kept' })).outcome.ok).toBe(true);
    await expect(call(o, 'accounts.restore', { id: kept.id })).rejects.toMatchObject({ code: 'not_found' });

    await call(o, 'accounts.remove', { account: 'gone', undoSeconds: 1 });
    const store = (o.engine as unknown as { store: { readSecrets(id: string): Promise<Record<string, string>>; listAccounts(): Promise<{ id: string }[]> } }).store;
    // Stored while the window is open, deleted when it closes.
    expect((await store.listAccounts()).some((r) => r.id === gone.id)).toBe(true);
    expect(await store.readSecrets(gone.id)).toHaveProperty('refresh_token');
    await waitFor('the undo window to close and the deletion', async () => (await store.listAccounts()).every((r) => r.id !== gone.id) && Object.keys(await store.readSecrets(gone.id)).length === 0, 5_000);
    await expect(call(o, 'accounts.restore', { id: gone.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an owner stopped inside the window keeps the account: it loads again at the next start, its tokens intact', async () => {
    const s = await sim('ups');
    const first = await owner();
    const acct = await addFromSimulator(first.owner, s, 'quit-during-undo');
    await call(first.owner, 'accounts.refresh', { account: 'quit-during-undo' });
    await call(first.owner, 'accounts.remove', { account: 'quit-during-undo', undoSeconds: 60 });
    await first.close();

    const second = await owner(first.dir);
    const [view] = await call(second.owner, 'accounts.list');
    expect(view).toMatchObject({ id: acct.id, name: 'quit-during-undo', hasAccessToken: true, hasRefreshToken: true });
    expect((await call(second.owner, 'accounts.refresh', { account: 'quit-during-undo' })).outcome.ok).toBe(true);
  });

  it('without undoSeconds a removal is final at once (the CLI)', async () => {
    const s = await sim('ups');
    const { owner: o } = await owner();
    const acct = await addFromSimulator(o, s, 'at-once');
    expect(await call(o, 'accounts.remove', { account: 'at-once' })).toEqual({ id: acct.id, removed: true });
    await expect(call(o, 'accounts.restore', { id: acct.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses to restore over an account added meanwhile under the same name', async () => {
    const s = await sim('ups');
    const { owner: o } = await owner();
    const acct = await addFromSimulator(o, s, 'twin');
    await call(o, 'accounts.remove', { account: 'twin', undoSeconds: 30 });
    await o.engine.upsert({ ...(acct as unknown as Parameters<Owner['engine']['upsert']>[0]), id: 'other-id' }, {});
    await expect(call(o, 'accounts.restore', { id: acct.id })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('refresh token and ID token', () => {
  it('a sign-in with the openid scope stores the ID token; a refresh replaces it; both can be revealed and copied', async () => {
    const s = await sim('oauth2', { deviceIntervalSec: 1 });
    const { owner: o, dir, close } = await owner();
    const view = await signedInOAuth2(o, s, 'oidc', 'openid read');
    expect(view).toMatchObject({ hasIdToken: true, hasRefreshToken: true });

    const { token: idToken } = await call(o, 'accounts.reveal', { account: 'oidc', token: 'id' });
    const claims = decodeClaims(idToken);
    expect(claims).toMatchObject({ iss: s.url, aud: s.clientCredentials().clientId });
    expect(claims['exp']).toBeGreaterThan(Date.now() / 1000);
    const { token: refreshToken } = await call(o, 'accounts.reveal', { account: 'oidc', token: 'refresh' });
    expect(s.isValidRefreshToken(refreshToken)).toBe(true);
    expect(await call(o, 'accounts.copy', { account: 'oidc', format: 'token', token: 'id' })).toEqual({ copied: false, text: idToken });
    expect(await call(o, 'accounts.copy', { account: 'oidc', format: 'token', token: 'refresh' })).toEqual({ copied: false, text: refreshToken });
    await expect(call(o, 'accounts.copy', { account: 'oidc', format: 'header', token: 'id' })).rejects.toMatchObject({ code: 'invalid_input' });

    await call(o, 'accounts.refresh', { account: 'oidc' });
    const after = (await call(o, 'accounts.reveal', { account: 'oidc', token: 'id' })).token;
    expect(after).not.toBe(idToken);
    expect((await call(o, 'accounts.reveal', { account: 'oidc', token: 'refresh' })).token).not.toBe(refreshToken); // rotated
    await close();
    const again = await owner(dir);
    expect((await call(again.owner, 'accounts.reveal', { account: 'oidc', token: 'id' })).token).toBe(after);
  });

  it('without openid there is no ID token, and asking for it says so', async () => {
    const s = await sim('oauth2', { deviceIntervalSec: 1 });
    const { owner: o } = await owner();
    expect(await signedInOAuth2(o, s, 'plain', 'read')).toMatchObject({ hasIdToken: false, hasRefreshToken: true });
    await expect(call(o, 'accounts.reveal', { account: 'plain', token: 'id' })).rejects.toMatchObject({ code: 'not_found', message: 'plain has no ID token' });
  });

  it('revoke deletes the ID token too and forgets what the answers taught, in memory as after a restart', async () => {
    const s = await sim('oauth2', { deviceIntervalSec: 1 });
    const { owner: o, dir, close } = await owner();
    await signedInOAuth2(o, s, 'to-revoke', 'openid read write');
    const revoked = (await call(o, 'accounts.revoke', { account: 'to-revoke' })).account;
    const forgotten = (v: typeof revoked) => ({
      status: v.status,
      hasAccessToken: v.hasAccessToken,
      hasRefreshToken: v.hasRefreshToken,
      hasIdToken: v.hasIdToken,
      expiresAt: v.expiresAt,
      expirySource: v.expirySource,
      obtainedAt: v.obtainedAt,
      tokenType: v.tokenType,
      scope: v.scope,
    });
    const expected = { status: 'revoked', hasAccessToken: false, hasRefreshToken: false, hasIdToken: false, expiresAt: undefined, expirySource: undefined, obtainedAt: undefined, tokenType: undefined, scope: undefined };
    expect(forgotten(revoked)).toEqual(expected);
    await close();
    const again = await owner(dir);
    expect(forgotten(await call(again.owner, 'accounts.get', { account: 'to-revoke' }))).toEqual(expected);
  });
});
