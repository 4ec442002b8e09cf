// The refresh engine over real files and real simulators: on time, once, never lost.
import { afterEach, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import { PROVIDER_IDS, type ProviderId, type RefreshEvent } from '../../src/shared/domain.js';
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

async function owner(options: Parameters<typeof openTestOwner>[1] = {}, dir?: string): Promise<{ owner: Owner; dir: string }> {
  let dataDir = dir;
  if (!dataDir) {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    dataDir = t.dir;
  }
  const o = await openTestOwner(dataDir, options);
  cleanups.push(() => o.close());
  return { owner: o, dir: dataDir };
}

async function addFromSimulator(o: Owner, s: Simulator, name: string, extra: Record<string, unknown> = {}) {
  const grant = s.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  return call(o, 'accounts.add', {
    providerId: s.providerId,
    name,
    baseUrl: s.providerId === 'oauth2' ? undefined : s.url,
    values,
    ...extra,
  });
}

describe('engine', () => {
  it('the account-changed that ends a refresh shows its outcome, never a lingering "refreshing"', async () => {
    const s = await sim('ups');
    const { owner: o } = await owner({ schedule: false });
    await addFromSimulator(o, s, 'ups-acct');
    const seen: { status: string }[] = [];
    o.engine.on('account-changed', (view: { status: string }) => seen.push(view));
    await call(o, 'accounts.refresh', { account: 'ups-acct' });
    expect(seen.map((v) => v.status)).toEqual(['refreshing', 'active']);
  });

  it('refreshes all six providers before expiry, stores every rotated refresh token, never hands out an expired token', async () => {
    const sims = await Promise.all(PROVIDER_IDS.map((id) => sim(id, { accessTtlSec: 3 })));
    const { owner: o } = await owner();
    for (const s of sims) await addFromSimulator(o, s, `${s.providerId}-acct`);

    // Hand out tokens continuously while the engine works: none may be expired.
    const handedOut: { provider: string; token: string; at: number }[] = [];
    const until = Date.now() + 7_000;
    while (Date.now() < until) {
      for (const s of sims) {
        const t = await call(o, 'accounts.token', { account: `${s.providerId}-acct`, minValidSeconds: 0 });
        handedOut.push({ provider: s.providerId, token: t.accessToken, at: Date.now() });
        expect(s.isValidAccessToken(t.accessToken), `${s.providerId} token handed out at ${new Date().toISOString()}`).toBe(true);
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    const accounts = await call(o, 'accounts.list');
    for (const s of sims) {
      const acct = accounts.find((a) => a.providerId === s.providerId)!;
      expect(['active', 'refreshing'], s.providerId).toContain(acct.status);
      // 3 s tokens over ~7 s, refreshed at ~1.5 s: at least 3 automatic refreshes each.
      expect(s.refreshCount, s.providerId).toBeGreaterThanOrEqual(3);
      const history = await call(o, 'history.list', { account: acct.name });
      expect(history.every((e) => e.outcome === 'ok'), s.providerId).toBe(true);
    }
    // The refresh token stored in the vault is the one the vendor considers current.
    await o.close();
    cleanups.pop();
    const { owner: reopened } = await owner({ schedule: false }, o.dataDir);
    for (const s of sims) {
      const acct = (await call(reopened, 'accounts.get', { account: `${s.providerId}-acct` }));
      const secrets = await (reopened.engine as unknown as { store: { readSecrets(id: string): Promise<Record<string, string>> } }).store.readSecrets(acct.id);
      expect(s.isValidRefreshToken(secrets['refresh_token']!), s.providerId).toBe(true);
    }
  }, 30_000);

  it('concurrent callers share one refresh request per account', async () => {
    const s = await sim('ups');
    const { owner: o } = await owner({ schedule: false });
    await addFromSimulator(o, s, 'shared'); // no access token yet: the first caller must refresh
    const results = await Promise.all(Array.from({ length: 50 }, () => call(o, 'accounts.token', { account: 'shared', minValidSeconds: 999_999 })));
    expect(s.refreshCount).toBe(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    // A token refreshed a moment ago is as valid as the provider grants: no second refresh.
    await call(o, 'accounts.token', { account: 'shared', minValidSeconds: 999_999 });
    expect(s.refreshCount).toBe(1);
  });

  it('503 twice then success: backs off, then ok', async () => {
    const s = await sim('pathstack');
    const { owner: o } = await owner({ engine: { backoffBaseMs: 100, backoffCapMs: 1_000 } });
    s.fail({ kind: 'unavailable' }, 2);
    await addFromSimulator(o, s, 'flaky');
    const history = await waitFor('a successful refresh in history', async () => {
      const events = (await call(o, 'history.list', { account: 'flaky', actions: ['refreshed'] })).reverse();
      return events.at(-1)?.outcome === 'ok' && events;
    });
    expect(history.map((e) => `${e.trigger}:${e.outcome}`)).toEqual(['scheduled:error', 'retry:error', 'retry:ok']);
    expect(history.map((e) => e.errorClass ?? 'ok')).toEqual(['transient', 'transient', 'ok']);
    const posts = s.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(posts[2]!.at - posts[1]!.at).toBeGreaterThanOrEqual(200); // never tighter than the 250 ms floor (clock slack)
  });

  it('429 with Retry-After is honoured', async () => {
    const s = await sim('vaultist');
    const { owner: o } = await owner();
    s.fail({ kind: 'rate_limit', retryAfterSec: 2 });
    const acct = await addFromSimulator(o, s, 'limited');
    await waitFor('the retry after Retry-After', async () => (await call(o, 'history.list', { account: acct.id, actions: ['refreshed'] }))[0]?.outcome === 'ok', 8_000);
    const posts = s.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1_950);
    const [ok, limited] = await call(o, 'history.list', { account: 'limited' });
    expect(limited?.errorClass).toBe('rate_limited');
    expect(ok?.trigger).toBe('retry');
  });

  it('invalid_grant stops the account: reauth_required, no further requests', async () => {
    const s = await sim('oauth2', { accessTtlSec: 2 });
    const { owner: o } = await owner();
    s.fail({ kind: 'vendor_error', code: 'invalid_grant' }, Infinity);
    const acct = await addFromSimulator(o, s, 'dead-grant');
    await waitFor('reauth_required', () => o.engine.get(acct.id).status === 'reauth_required');
    const count = s.requests.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(s.requests.length).toBe(count);
    expect(o.engine.get(acct.id).statusMessage).toMatch(/invalid_grant.*sign in again/);
    expect(o.engine.nextDeadline()).toBeUndefined();
    await expect(call(o, 'accounts.token', { account: 'dead-grant' })).rejects.toMatchObject({ code: 'reauth_required' });
  });

  it('a token URL on a port fetch blocks stops the account as config_error at once (no retries), its message TokenDesk’s own', async () => {
    const { owner: o } = await owner();
    const acct = await call(o, 'accounts.add', {
      providerId: 'oauth2',
      name: 'bad-port',
      values: { token_url: 'http://127.0.0.1:1/token', client_id: 'cid', client_auth: 'none', refresh_token: 'rt-local-refusal' },
    });
    await waitFor('config_error', () => o.engine.get(acct.id).status === 'config_error');
    const view = o.engine.get(acct.id);
    expect(view.statusMessage).toMatch(/^TokenDesk cannot send requests to port 1 \(http:\/\/127\.0\.0\.1:1\)/);
    expect(view.lastOutcome).toMatchObject({ outcome: 'error', errorClass: 'config_error' });
    expect(view.lastOutcome?.httpStatus).toBeUndefined();
    expect(view.retryAttempt).toBe(0);
    expect(o.engine.nextDeadline()).toBeUndefined();
    const history = await call(o, 'history.list', { account: 'bad-port', actions: ['refreshed'] });
    expect(history.map((e) => e.errorClass)).toEqual(['config_error']);
  });

  it('a refusal the provider answered keeps its HTTP status on the account, so the UI can quote the provider', async () => {
    const s = await sim('oauth2');
    const { owner: o } = await owner({ schedule: false });
    s.fail({ kind: 'vendor_error', code: 'invalid_client' }, Infinity);
    const acct = await addFromSimulator(o, s, 'bad-client');
    await call(o, 'accounts.refresh', { account: 'bad-client' });
    expect(o.engine.get(acct.id).lastOutcome).toMatchObject({ errorClass: 'config_error', httpStatus: 401 });
  });

  it('a wall-clock jump triggers catch-up of every overdue account', async () => {
    let offset = 0;
    const s = await sim('teamup', { accessTtlSec: 3600, now: () => Date.now() + offset });
    const { owner: o } = await owner({ engine: { now: () => Date.now() + offset, clockCheckMs: 200 } });
    const a = await addFromSimulator(o, s, 'sleeper-1');
    const b = await addFromSimulator(o, s, 'sleeper-2');
    // Both first refreshes finished (the grant's own access token makes the accounts look
    // ready before that): a refresh still in flight across the jump would be timed by it.
    await waitFor('first refreshes', async () => {
      const events: RefreshEvent[] = await call(o, 'history.list', { actions: ['refreshed'] });
      return events.filter((e) => e.outcome === 'ok').length === 2 && o.engine.get(a.id).status !== 'refreshing' && o.engine.get(b.id).status !== 'refreshing';
    });
    const before = s.refreshCount;
    offset = 2 * 3600_000; // the machine slept two hours
    // An account change right after waking re-arms the timer before its tick: the jump must
    // still be seen, so the overdue refreshes are a catch-up, not ordinary scheduled ones.
    await call(o, 'accounts.setPaused', { account: 'sleeper-1', paused: false });
    const resumed = await waitFor('catch-up refreshes', async () => {
      const events: RefreshEvent[] = await call(o, 'history.list', {});
      const ok = events.filter((e) => e.trigger === 'resume' && e.outcome === 'ok');
      return ok.length >= 2 && ok;
    }, 5_000);
    expect(resumed).toHaveLength(2);
    expect(s.refreshCount).toBe(before + 2);
    expect(o.engine.get(a.id).expiresAt! - (Date.now() + offset)).toBeGreaterThan(3500_000);
  });

  it('an account never shows as done with no next refresh while its history row is being written', async () => {
    const s = await sim('ups', { accessTtlSec: 3600 });
    const { owner: o } = await owner();
    // A slow disk for history: a scheduled refresh is over at the vendor and saved, its row not yet written.
    const store = (o.engine as unknown as { store: { appendHistory: (event: RefreshEvent) => Promise<void> } }).store;
    const realAppend = store.appendHistory.bind(store);
    const seen: { trigger: string; status: string; next: number | undefined }[] = [];
    store.appendHistory = async (event: RefreshEvent) => {
      if (event.action !== 'refreshed') return realAppend(event); // the "added" row
      const view = o.engine.get(event.accountId);
      seen.push({ trigger: event.trigger, status: view.status, next: view.nextRefreshAt });
      await new Promise((r) => setTimeout(r, 100));
      await realAppend(event);
    };
    // refresh-finished is the engine's last word on a refresh, after its next deadline is queued.
    // (history.list is no such signal: it lists a row while the row is still being written.)
    const finished: string[] = [];
    o.engine.on('refresh-finished', ({ accountId }) => finished.push(accountId));
    const acct = await addFromSimulator(o, s, 'slow-history');
    await waitFor('the first scheduled refresh to finish', () => finished.includes(acct.id));
    expect(await call(o, 'history.list', { account: acct.id, actions: ['refreshed'] })).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.trigger).toBe('scheduled');
    expect(seen[0]!.status === 'refreshing' || seen[0]!.next !== undefined).toBe(true);
    const after = o.engine.get(acct.id);
    expect(after.status).toBe('active');
    expect(after.nextRefreshAt).toBeDefined();
  });

  it('pause and resume stop and restart automatic refresh', async () => {
    const s = await sim('ups', { accessTtlSec: 2 });
    const { owner: o } = await owner();
    const finished: string[] = [];
    o.engine.on('refresh-finished', ({ accountId }) => finished.push(accountId));
    const acct = await addFromSimulator(o, s, 'pausable');
    await waitFor('the first refresh to finish', () => finished.includes(acct.id));
    await call(o, 'accounts.setPaused', { account: 'pausable', paused: true });
    // Nothing is scheduled from the pause on. 2 s tokens refresh every second, so a refresh may
    // have started while the pause was being saved: it runs to its end, then the account is paused.
    expect(o.engine.get(acct.id).nextRefreshAt).toBeUndefined();
    await waitFor('the account to show paused', () => o.engine.get(acct.id).status === 'paused');
    const count = s.refreshCount;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(s.refreshCount).toBe(count);
    await call(o, 'accounts.setPaused', { account: 'pausable', paused: false });
    await waitFor('refresh after resume', () => s.refreshCount > count, 3_000);
    await call(o, 'accounts.setPaused', { all: true, paused: true });
    expect(o.engine.nextDeadline()).toBeUndefined();
  });

  it('removing an account while its refresh is in flight leaves no secret behind', async () => {
    const s = await sim('ups');
    const { owner: o } = await owner({ schedule: false });
    const acct = await addFromSimulator(o, s, 'doomed');
    s.fail({ kind: 'trickle', bytesPerSec: 400 }); // a valid answer, slowly: the refresh is in flight for ~1 s
    const refreshing = call(o, 'accounts.refresh', { account: 'doomed' }).catch((e: unknown) => e);
    await waitFor('the request to reach the vendor', () => s.requests.length > 0);
    await call(o, 'accounts.remove', { account: 'doomed' });
    await refreshing;
    const store = (o.engine as unknown as { store: { readSecrets(id: string): Promise<Record<string, string>> } }).store;
    expect(await store.readSecrets(acct.id)).toEqual({});
    expect(await call(o, 'accounts.list')).toEqual([]);
  });

  it('no scheduled refresh runs while a revocation is out at the server', async () => {
    const s = await sim('oauth2', { accessTtlSec: 2 });
    const { owner: o } = await owner({ engine: { timeoutMs: 1_500, backoffBaseMs: 100, backoffCapMs: 300 } });
    await addFromSimulator(o, s, 'revoked-slowly');
    await waitFor('two automatic refreshes', () => s.refreshCount >= 2, 8_000);
    s.fail({ kind: 'hang' }, Infinity); // every call now hangs until the 1.5 s timeout; retries come every ≤ 300 ms
    const revoking = call(o, 'accounts.revoke', { account: 'revoked-slowly' }).catch((e: unknown) => e);
    const revokeAt = (await waitFor('the revocation request', () => s.requests.find((r) => r.path === '/oauth/revoke'))).at;
    expect(await revoking).toMatchObject({ code: 'transient' });
    const revokeEnd = Date.now();
    expect(s.requests.filter((r) => r.path === '/oauth/token' && r.at > revokeAt && r.at < revokeEnd - 50)).toEqual([]);
  });

  it('more requests in flight than EventTarget warns about (3 providers × 4) share the engine signal without a warning, and still time out', async () => {
    const sims = await Promise.all((['ups', 'oauth2', 'pathstack'] as const).map((id) => sim(id)));
    const { owner: o } = await owner({ schedule: false, engine: { timeoutMs: 1_500 } });
    for (const s of sims) for (let i = 0; i < 4; i++) await addFromSimulator(o, s, `${s.providerId}-${i}`);
    for (const s of sims) s.fail({ kind: 'hang' }, Infinity); // all twelve are out at once, until the timeout
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    cleanups.push(async () => process.off('warning', onWarning));
    const outcomes = await Promise.all(o.engine.list().map((a) => o.engine.refresh(a.id, 'manual')));
    expect(outcomes.map((x) => [x.ok, x.event.errorClass])).toEqual(outcomes.map(() => [false, 'transient']));
    for (const x of outcomes) expect(x.event.message).toMatch(/^No complete answer from http:\/\/127\.0\.0\.1:\d+ within 1\.5 s$/);
    // A warning is emitted on the next tick of the listener that crossed the limit.
    await new Promise((r) => setImmediate(r));
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('a failed save keeps the rotated token in memory, says "not saved", and saves it later', async () => {
    const s = await sim('ups', { accessTtlSec: 3600 });
    const { owner: o } = await owner({ schedule: false, engine: { saveRetryMs: 50 } });
    const acct = await addFromSimulator(o, s, 'disk-trouble');
    const store = (o.engine as unknown as { store: { saveTokens: (...a: unknown[]) => Promise<void> } }).store;
    const realSave = store.saveTokens.bind(store);
    let failing = true;
    store.saveTokens = async (...args: unknown[]) => {
      if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return realSave(...args);
    };
    // The disk comes back once the second refresh's tokens are kept unsaved (the engine says so
    // in a warning). A one-shot owner (schedule: false, as the CLI's) schedules a retry only when
    // a save fails, not after a failed retry, so the disk must be back before that retry runs.
    let refused = 0;
    o.engine.on('warning', ({ message }) => {
      if (message.includes('not saved yet') && ++refused === 2) failing = false;
    });
    const { outcome, account } = await call(o, 'accounts.refresh', { account: 'disk-trouble' });
    expect(outcome.ok).toBe(true);
    expect(account.notSaved).toBe(true);
    // The next refresh uses the rotated (in-memory) refresh token: the vendor accepts it.
    const second = await call(o, 'accounts.refresh', { account: 'disk-trouble' });
    expect(second.outcome.ok).toBe(true);
    expect(refused).toBe(2);
    await waitFor('the save retry', () => !o.engine.get(acct.id).notSaved);
    const saved = await (o.engine as unknown as { store: { readSecrets(id: string): Promise<Record<string, string>> } }).store.readSecrets(acct.id);
    expect(s.isValidRefreshToken(saved['refresh_token']!)).toBe(true);
  });

  it('a save retry that comes while the refresh is still finishing is not lost', async () => {
    const s = await sim('ups', { accessTtlSec: 3600 });
    const { owner: o } = await owner({ schedule: false, engine: { saveRetryMs: 50 } });
    const acct = await addFromSimulator(o, s, 'slow-finish');
    const store = (o.engine as unknown as {
      store: { saveTokens: (...a: unknown[]) => Promise<void>; appendHistory: (event: RefreshEvent) => Promise<void> };
    }).store;
    const realSave = store.saveTokens.bind(store);
    const realAppend = store.appendHistory.bind(store);
    let failing = true;
    store.saveTokens = async (...args: unknown[]) => {
      if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return realSave(...args);
    };
    // A slow history row: the refresh is still finishing when the first save retry (50 ms) comes.
    store.appendHistory = async (event: RefreshEvent) => {
      await new Promise((r) => setTimeout(r, 300));
      await realAppend(event);
    };
    o.engine.on('warning', ({ message }) => {
      if (message.includes('not saved yet')) failing = false;
    });
    const { account } = await call(o, 'accounts.refresh', { account: 'slow-finish' });
    expect(account.notSaved).toBe(true);
    await waitFor('the save retry', () => !o.engine.get(acct.id).notSaved);
    const saved = await (o.engine as unknown as { store: { readSecrets(id: string): Promise<Record<string, string>> } }).store.readSecrets(acct.id);
    expect(s.isValidRefreshToken(saved['refresh_token']!)).toBe(true);
  });
});
