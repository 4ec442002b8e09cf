// accounts.token's `requester`: the history row of a refresh a token request causes says which
// process asked (`tokendesk exec` passes `exec: curl (…)`), on success and on failure; a request
// served without a refresh leaves no row. Real owner, real files, a real simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/main/core/owner/errors.js';
import { startSimulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir } from '../helpers/temp-owner.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('accounts.token requester', () => {
  it('goes into the history row of the refresh it causes — and only that one', async () => {
    const s = await startSimulator('oauth2');
    cleanups.push(() => s.close());
    const t = await tempDir();
    cleanups.push(t.cleanup);
    const owner = await openTestOwner(t.dir, { schedule: false });
    cleanups.push(() => owner.close());
    const grant = s.issue();
    const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
    await call(owner, 'accounts.add', { providerId: 'oauth2', name: 'api', values });
    const requester = 'exec: curl (tokendesk pid 4242, parent bash pid 4100)';

    s.fail({ kind: 'server_error' }, 1);
    await expect(call(owner, 'accounts.token', { account: 'api', requester })).rejects.toMatchObject({ code: 'transient' });
    await call(owner, 'accounts.token', { account: 'api', requester });
    await call(owner, 'accounts.token', { account: 'api', requester: 'someone else' }); // valid: no refresh, no row
    await call(owner, 'accounts.refresh', { account: 'api' }); // not a token request: no requester

    const rows = (await call(owner, 'history.list', { account: 'api', actions: ['refreshed'] })).reverse();
    expect(rows.map((r) => [r.outcome, r.message])).toEqual([
      ['error', expect.stringMatching(new RegExp(`HTTP 500.* \\(requested by ${requester.replace(/[()]/g, '\\$&')}\\)$`))],
      ['ok', `Requested by ${requester}`],
      ['ok', undefined],
    ]);

    const refused = await call(owner, 'accounts.token', { account: 'api', requester: 'exec: \u001b[2Jcurl' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RemoteError);
    expect(refused).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Requester contains control characters/) });
  });
});
