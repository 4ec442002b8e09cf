import { describe, expect, it } from 'vitest';
import { fieldName, isAllowedEndpointUrl, validateFieldValues, validateProviderValues } from '../../src/shared/provider-fields.js';
import { checkAddForm, emptyForm } from '../../src/renderer/src/lib/form.js';
import { allowedExternalUrl } from '../../src/main/app/external-links.js';
import { providers } from '../../src/main/core/providers/index.js';
import { providerDescriptors } from '../../src/shared/providers/index.js';

describe('endpoint URLs', () => {
  it('allows https anywhere and http only on loopback', () => {
    expect(isAllowedEndpointUrl('https://api.example.com/oauth/token')).toBe(true);
    expect(isAllowedEndpointUrl('http://127.0.0.1:8080/token')).toBe(true);
    expect(isAllowedEndpointUrl('http://localhost/token')).toBe(true);
    expect(isAllowedEndpointUrl('http://[::1]:9/x')).toBe(true);
    expect(isAllowedEndpointUrl('http://api.example.com/token')).toBe(false);
    expect(isAllowedEndpointUrl('http://127.0.0.1.evil.com/token')).toBe(false);
    expect(isAllowedEndpointUrl('ftp://example.com')).toBe(false);
    expect(isAllowedEndpointUrl('https://user:pw@example.com')).toBe(false);
    expect(isAllowedEndpointUrl('not a url')).toBe(false);
  });
});

describe('provider field validation', () => {
  const fieldsOf = (id: keyof typeof providerDescriptors) => providerDescriptors[id].fields;

  it('PathStack sub must be a UUID', () => {
    const bad = validateFieldValues(fieldsOf('pathstack'), { sub: 'not-a-uuid', refresh_token: 'rt-1234' });
    expect(bad).toEqual({ ok: false, errors: [{ field: 'sub', message: expect.stringMatching(/UUID/) }] });
    const good = validateFieldValues(fieldsOf('pathstack'), { sub: '3f2b8c1e-9d4a-4c1b-8e2f-1a2b3c4d5e6f', refresh_token: 'rt-1234' });
    expect(good).toEqual({ ok: true, values: { sub: '3f2b8c1e-9d4a-4c1b-8e2f-1a2b3c4d5e6f', refresh_token: 'rt-1234', api_version: '2024-03-27' } });
  });

  it('Vault.ist partnerId must be an int32', () => {
    for (const bad of ['12.5', 'abc', '2147483648', '-2147483649']) {
      const r = validateFieldValues(fieldsOf('vaultist'), { partner_id: bad, refresh_token: 'rt-1234' });
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.errors[0]?.message).toMatch(/Partner ID/);
    }
    expect(validateFieldValues(fieldsOf('vaultist'), { partner_id: '2147483647', refresh_token: 'rt-1234' }).ok).toBe(true);
  });

  it('TeamUp token type is customer or provider, default customer', () => {
    const bad = validateFieldValues(fieldsOf('teamup'), { new_access_token_type: 'admin', refresh_token: 'rt-1234' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.message).toMatch(/customer, provider/);
    const good = validateFieldValues(fieldsOf('teamup'), { refresh_token: 'rt-1234' });
    expect(good.ok && good.values['new_access_token_type']).toBe('customer');
  });

  it('OAuth 2.0 URLs must be https except loopback', () => {
    const r = validateFieldValues(fieldsOf('oauth2'), { token_url: 'http://auth.example.com/token', client_id: 'c', refresh_token: 'rt-1234' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toEqual({ field: 'token_url', message: expect.stringMatching(/https/) });
  });

  it('names missing required fields, unknown fields, control characters and whitespace in secrets', () => {
    const r = validateFieldValues(fieldsOf('ups'), { client_id: 'abc\u0007', refresh_token: 'has space', bogus: 'x' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(byField['bogus']).toMatch(/Unknown field/);
    expect(byField['client_id']).toMatch(/control characters/);
    expect(byField['client_secret']).toMatch(/required/);
    expect(byField['refresh_token']).toMatch(/must not contain spaces/);
  });

  it('every provider declares the same shape', () => {
    for (const d of Object.values(providerDescriptors)) {
      // Optional only where TokenDesk can sign in to get it (or needs none: client credentials).
      const signsIn = Boolean(providers[d.id as keyof typeof providers].signIn);
      expect(d.fields.some((f) => f.id === 'refresh_token' && f.secret && f.required === !signsIn), d.id).toBe(true);
      for (const f of d.fields) expect(f.label && f.help, `${d.id}.${f.id}`).toBeTruthy();
      expect(d.revoke.sentence.length).toBeGreaterThan(20);
    }
  });
});

describe('field docs links', () => {
  it('every docs link is https on a host the desktop app opens externally (Banyan: where its API key comes from)', () => {
    const links = Object.values(providerDescriptors).flatMap((d) => d.fields.flatMap((f) => (f.docs ? [{ id: `${d.id}.${f.id}`, ...f.docs }] : [])));
    expect(links.map((l) => l.id)).toContain('banyan.refresh_token');
    for (const link of links) expect(allowedExternalUrl(link.url), link.id).toBe(link.url);
  });
});

describe('one wording for every validation error: "<Field> is required" or "<Field> must …"', () => {
  const style = (name: string) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is required|must )`);
  const descriptors = Object.values(providerDescriptors);

  it('every field of every provider, for each kind of bad value', () => {
    let checked = 0;
    for (const d of descriptors) {
      for (const f of d.fields) {
        const name = fieldName(f);
        const bad = ['', '   ', 'a\u0007b', 'x\u202ey', 'two words', 'é'.repeat(20_000), 'http://example.com/x', 'not a url', '99999999999999'];
        for (const value of bad) {
          const r = validateFieldValues([f], { [f.id]: value });
          if (r.ok) continue;
          for (const e of r.errors) {
            expect(e.message, `${d.id}.${f.id} given ${JSON.stringify(value.slice(0, 20))}`).toMatch(style(name));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the rules across fields name the field they put the error on', () => {
    const inputs: Record<string, string>[] = [{}, { refresh_token: 'rt-1' }, { grant: 'client_credentials' }, { client_auth: 'client_secret_post' }, { client_auth: 'none', token_url: 'https://a.example/t' }];
    let checked = 0;
    for (const d of descriptors) {
      for (const input of inputs) {
        for (const e of d.checkValues?.(input) ?? []) {
          const field = d.fields.find((f) => f.id === e.field)!;
          expect(field, `${d.id}: ${e.field}`).toBeDefined();
          expect(e.message, `${d.id}.${e.field}`).toMatch(style(fieldName(field)));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("the form's own fields (name, environment, base URL, refresh every, lifetime) read the same way", () => {
    const ups = providerDescriptors.ups;
    const form = { ...emptyForm(ups), name: '  ', environment: 'moon', baseUrl: 'ftp://x', refreshEvery: 'soon', accessTokenExpiresIn: 'later', values: { ...emptyForm(ups).values, access_token: 'at' } };
    const r = checkAddForm(form, ups);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors['name']).toMatch(style('Name'));
    expect(r.errors['environment']).toMatch(style('Environment'));
    expect(r.errors['baseUrl']).toMatch(style('Base URL'));
    expect(r.errors['refreshEvery']).toMatch(style('Refresh every'));
    expect(r.errors['accessTokenExpiresIn']).toMatch(style('Access token lifetime'));
    for (const [refreshEvery, lifetime] of [['5s', '0'], ['400d', String(11 * 365 * 86_400)]] as const) {
      const e = checkAddForm({ ...form, name: 'n', environment: 'production', baseUrl: '', refreshEvery, accessTokenExpiresIn: lifetime }, ups);
      expect(e.ok).toBe(false);
      if (e.ok) continue;
      expect(e.errors['refreshEvery']).toMatch(style('Refresh every'));
      expect(e.errors['accessTokenExpiresIn']).toMatch(style('Access token lifetime'));
    }
  });

  it('OAuth 2.0: a client that authenticates with its secret cannot be saved without it', () => {
    const base = { token_url: 'https://auth.example.com/token', client_id: 'cid', refresh_token: 'rt-1' };
    for (const method of [undefined, 'client_secret_basic', 'client_secret_post']) {
      const r = validateProviderValues(providerDescriptors.oauth2, method ? { ...base, client_auth: method } : base);
      expect(r, String(method)).toEqual({
        ok: false,
        errors: [{ field: 'client_secret', message: `Client secret is required for client authentication ${method ?? 'client_secret_basic'} (choose "none" for a public client)` }],
      });
    }
    expect(validateProviderValues(providerDescriptors.oauth2, { ...base, client_auth: 'none' }).ok).toBe(true);
    expect(validateProviderValues(providerDescriptors.oauth2, { ...base, client_secret: 's3cret' }).ok).toBe(true);
  });
});
