import { describe, expect, it } from 'vitest';
import { isAllowedEndpointUrl, validateFieldValues } from '../../src/shared/provider-fields.js';
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
    expect(byField['refresh_token']).toMatch(/whitespace/);
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
