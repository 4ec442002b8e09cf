// The add/edit form validates with the core's own schemas and maps the owner's errors
// back onto fields (src/renderer/src/lib/form.ts).
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/shared/contract.js';
import { providerDescriptors } from '../../src/shared/providers/index.js';
import { checkAddForm, checkEditForm, emptyForm, errorsFromServer, formFromAccount, requiredByOtherFields, testedFingerprint, type FormState } from '../../src/renderer/src/lib/form.js';

const ups = providerDescriptors.ups;
function upsForm(patch: Partial<FormState> = {}, values: Record<string, string> = {}): FormState {
  const f = emptyForm(ups);
  return { ...f, name: 'ups-prod', ...patch, values: { ...f.values, client_id: 'cid', client_secret: 'secret', refresh_token: 'rt_abc', ...values } };
}

describe('checkAddForm', () => {
  it('builds the accounts.add input, leaving empty optional fields out', () => {
    const checked = checkAddForm(upsForm({ refreshEvery: '30m', baseUrl: 'http://127.0.0.1:8080' }), ups, 'draft-1');
    expect(checked).toEqual({
      ok: true,
      input: {
        providerId: 'ups',
        name: 'ups-prod',
        environment: 'production',
        baseUrl: 'http://127.0.0.1:8080',
        refreshEveryMs: 1_800_000,
        // A field with a default (grant) is sent as the form shows it.
        values: { client_id: 'cid', client_secret: 'secret', grant: 'refresh_token', refresh_token: 'rt_abc' },
        draftId: 'draft-1',
      },
    });
  });

  it('puts an error in words on each bad field, from the provider’s schemas', () => {
    const checked = checkAddForm(upsForm({ name: '  ', baseUrl: 'ftp://x', refreshEvery: '5s' }, { client_secret: '', refresh_token: 'has space' }), ups);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      name: 'Name is required',
      baseUrl: 'Base URL must be an https:// URL (plain http is allowed only for localhost/127.0.0.1)',
      refreshEvery: 'Refresh every must be at least 10 seconds',
      'values.client_secret': 'Client secret is required',
      'values.refresh_token': 'Refresh token must not contain spaces or line breaks',
    });
  });

  it('uses each provider’s own rules (UUID, int32, https endpoints)', () => {
    const ps = { ...emptyForm(providerDescriptors.pathstack), name: 'p' };
    ps.values = { ...ps.values, sub: 'not-a-uuid', refresh_token: 'rt' };
    expect(checkAddForm(ps, providerDescriptors.pathstack)).toMatchObject({ ok: false, errors: { 'values.sub': 'Subject must be a UUID such as 3f2b8c1e-…' } });
    const vi = { ...emptyForm(providerDescriptors.vaultist), name: 'v' };
    vi.values = { ...vi.values, partner_id: '99999999999', refresh_token: 'rt' };
    expect(checkAddForm(vi, providerDescriptors.vaultist)).toMatchObject({ ok: false, errors: { 'values.partner_id': expect.stringContaining('int32') } });
    const oa = { ...emptyForm(providerDescriptors.oauth2), name: 'o' };
    oa.values = { ...oa.values, token_url: 'http://auth.example.com/token', client_id: 'c', refresh_token: 'rt' };
    expect(checkAddForm(oa, providerDescriptors.oauth2)).toMatchObject({ ok: false, errors: { 'values.token_url': expect.stringMatching(/https:\/\//) } });
  });

  it('asks for the access token lifetime in whole seconds only when a token is given', () => {
    expect(checkAddForm(upsForm({ accessTokenExpiresIn: 'soon' }, { access_token: 'at_x' }), ups)).toMatchObject({ ok: false, errors: { accessTokenExpiresIn: 'Access token lifetime must be whole seconds, e.g. 3600' } });
    const ok = checkAddForm(upsForm({ accessTokenExpiresIn: '3600' }, { access_token: 'at_x' }), ups);
    expect(ok).toMatchObject({ ok: true, input: { accessTokenExpiresInSeconds: 3600 } });
    expect(checkAddForm(upsForm({ accessTokenExpiresIn: '3600' }), ups)).toMatchObject({ ok: true, input: { values: { refresh_token: 'rt_abc' } } });
  });
});

describe('checkEditForm', () => {
  const account: AccountView = {
    id: 'a1', name: 'ups-prod', providerId: 'ups', environment: 'production', settings: { client_id: 'cid' }, paused: false, status: 'active',
    createdAt: 1, updatedAt: 1, notSaved: false, hasAccessToken: true, retryAttempt: 0, refreshEveryMs: 3_600_000,
  };

  it('fills non-secret values, keeps secrets left empty and sends only what changed', () => {
    const form = formFromAccount(ups, account);
    expect(form.values).toMatchObject({ client_id: 'cid', client_secret: '', refresh_token: '' });
    expect(form.refreshEvery).toBe('1h');
    const checked = checkEditForm(form, ups, account);
    // Every non-secret field is sent (an empty one clears it); secrets only when typed.
    expect(checked).toEqual({ ok: true, input: { account: 'a1', environment: 'production', baseUrl: '', refreshEveryMs: 3_600_000, values: { client_id: 'cid', grant: 'refresh_token', merchant_id: '' } } });
    const renamed = checkEditForm({ ...form, name: 'ups-2', refreshEvery: '', values: { ...form.values, refresh_token: 'rt_new' } }, ups, account);
    expect(renamed).toMatchObject({ ok: true, input: { name: 'ups-2', refreshEveryMs: null, values: { client_id: 'cid', refresh_token: 'rt_new' } } });
  });

  it('still validates what was typed', () => {
    const form = formFromAccount(ups, account);
    expect(checkEditForm({ ...form, values: { ...form.values, client_id: '', refresh_token: 'a b' } }, ups, account)).toMatchObject({
      ok: false,
      errors: { 'values.client_id': 'Client ID is required', 'values.refresh_token': 'Refresh token must not contain spaces or line breaks' },
    });
  });
});

describe('errorsFromServer', () => {
  const ids = ups.fields.map((f) => f.id);
  it('maps the owner’s messages onto fields', () => {
    expect(errorsFromServer('accounts.add: values.client_id: Client ID is required; name: Name is required', ids)).toEqual({ 'values.client_id': 'Client ID is required', name: 'Name is required' });
    expect(errorsFromServer('refresh_token: Refresh token must not contain spaces or line breaks', ids)).toEqual({ 'values.refresh_token': 'Refresh token must not contain spaces or line breaks' });
    expect(errorsFromServer('baseUrl: must be an https:// URL', ids)).toEqual({ baseUrl: 'must be an https:// URL' });
    expect(errorsFromServer('draftId: the test result expired or is unknown; test again or save without it', ids)).toEqual({ form: 'draftId: the test result expired or is unknown; test again or save without it' });
  });

  it('fingerprints what a test covered, not the name', () => {
    expect(testedFingerprint(upsForm({ name: 'a' }))).toBe(testedFingerprint(upsForm({ name: 'b' })));
    expect(testedFingerprint(upsForm({}, { refresh_token: 'rt_x' }))).not.toBe(testedFingerprint(upsForm()));
  });
});

describe('requiredByOtherFields', () => {
  const oauth2 = providerDescriptors.oauth2;
  it('marks the client secret required while client authentication needs it, and not for a public client', () => {
    const values = { ...emptyForm(oauth2).values, token_url: 'https://a.example/token', client_id: 'c' };
    expect(requiredByOtherFields(oauth2, values, 'client_secret')).toBe(true);
    expect(requiredByOtherFields(oauth2, { ...values, client_auth: 'client_secret_post' }, 'client_secret')).toBe(true);
    expect(requiredByOtherFields(oauth2, { ...values, client_auth: 'none' }, 'client_secret')).toBe(false);
    expect(requiredByOtherFields(oauth2, { ...values, client_auth: 'none', grant: 'client_credentials' }, 'client_secret')).toBe(true);
    expect(requiredByOtherFields(oauth2, values, 'client_id')).toBe(false);
    expect(requiredByOtherFields(providerDescriptors.ups, emptyForm(providerDescriptors.ups).values, 'client_secret')).toBe(false);
  });
});
