// The loopback redirect of a browser sign-in, driven over real HTTP on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/main/core/net/provider-error.js';
import { LoopbackRedirect } from '../../src/main/core/signin/loopback.js';
import { createPkce, createState, s256 } from '../../src/main/core/signin/pkce.js';

const open: LoopbackRedirect[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

async function listen(options: Parameters<typeof LoopbackRedirect.open>[0]): Promise<LoopbackRedirect> {
  const l = await LoopbackRedirect.open(options);
  open.push(l);
  return l;
}

async function get(url: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('PKCE and state', () => {
  it('a 43-character base64url verifier with its S256 challenge (RFC 7636 appendix B vector)', () => {
    const pkce = createPkce();
    expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pkce.challenge).toBe(s256(pkce.verifier));
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(() => s256('short')).toThrow(/43–128/);
    expect(createState()).not.toBe(createState());
  });
});

describe('loopback redirect', () => {
  it('listens on 127.0.0.1 with an OS-assigned port; the redirect URI says 127.0.0.1, not localhost', async () => {
    const l = await listen({ state: 's1' });
    expect(l.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const page = await get(`${l.redirectUri}?code=the-code&state=s1`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Return to TokenDesk/);
    expect(page.text).not.toContain('the-code');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    await expect(l.wait()).resolves.toEqual({ code: 'the-code' });
  });

  it('a wrong state, a wrong path or a POST gets an error page and the wait goes on', async () => {
    const l = await listen({ state: 'right' });
    const base = new URL(l.redirectUri);
    expect((await get(`${l.redirectUri}?code=x&state=wrong`)).status).toBe(400);
    expect((await get(`${l.redirectUri}?code=x`)).status).toBe(400);
    expect((await get(`${base.origin}/other?code=x&state=right`)).status).toBe(404);
    expect((await fetch(`${l.redirectUri}?code=x&state=right`, { method: 'POST' })).status).toBe(405);
    const settled = await Promise.race([l.wait().then(() => 'settled'), new Promise((r) => setTimeout(() => r('waiting'), 50))]);
    expect(settled).toBe('waiting');
    await get(`${l.redirectUri}?code=good&state=right`);
    await expect(l.wait()).resolves.toEqual({ code: 'good' });
  });

  it('one answer ends it: a second callback finds the listener gone', async () => {
    const l = await listen({ state: 's' });
    await get(`${l.redirectUri}?code=first&state=s`);
    await expect(l.wait()).resolves.toEqual({ code: 'first' });
    await expect.poll(() => fetch(`${l.redirectUri}?code=second&state=s`).then((r) => r.status, () => 'refused')).toBe('refused');
  });

  it('access_denied: declined, in words; other errors: the provider refused', async () => {
    const l = await listen({ state: 's' });
    await get(`${l.redirectUri}?error=access_denied&error_description=The+user+said+no&state=s`);
    const err = await rejection(l.wait());
    expect(err).toMatchObject({ errorClass: 'reauth_required', vendorCode: 'access_denied' });
    expect(err.message).toBe('Sign-in was declined at the provider: The user said no');
    const l2 = await listen({ state: 't' });
    await get(`${l2.redirectUri}?error=invalid_scope&state=t`);
    expect(await rejection(l2.wait())).toMatchObject({ errorClass: 'config_error', vendorCode: 'invalid_scope' });
  });

  it('times out with nothing received, and can be cancelled', async () => {
    const l = await listen({ state: 's', timeoutMs: 50 });
    expect(await rejection(l.wait())).toMatchObject({ errorClass: 'reauth_required', vendorCode: 'timed_out' });
    const controller = new AbortController();
    const l2 = await listen({ state: 's', signal: controller.signal });
    controller.abort();
    expect(await rejection(l2.wait())).toMatchObject({ vendorCode: 'cancelled', message: 'Sign-in cancelled' });
  });

  it('a registered redirect URI is used exactly; its port taken is a clear configuration error', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const err = await rejection(LoopbackRedirect.open({ state: 's', redirectUri: `http://127.0.0.1:${port}/cb` }));
      expect(err.errorClass).toBe('config_error');
      expect(err.message).toMatch(new RegExp(`Port ${port} .* in use`));
    } finally {
      blocker.close();
    }
    const l = await listen({ state: 's', redirectUri: `http://127.0.0.1:${port}/cb` });
    expect(l.redirectUri).toBe(`http://127.0.0.1:${port}/cb`);
    expect((await get(`http://127.0.0.1:${port}/callback?code=x&state=s`)).status).toBe(404);
    await get(`http://127.0.0.1:${port}/cb?code=x&state=s`);
    await expect(l.wait()).resolves.toEqual({ code: 'x' });
  });

  it('a registered localhost URI answers on 127.0.0.1 (and on ::1 where the machine has it)', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    const l = await listen({ state: 's', redirectUri: `http://localhost:${port}/done` });
    expect(l.redirectUri).toBe(`http://localhost:${port}/done`);
    await get(`http://127.0.0.1:${port}/done?code=v4&state=s`);
    await expect(l.wait()).resolves.toEqual({ code: 'v4' });
  });

  it('refuses a redirect URI that is not loopback http', async () => {
    for (const uri of ['https://127.0.0.1:8080/cb', 'http://example.com:8080/cb', 'http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb?x=1', 'not a url']) {
      expect((await rejection(LoopbackRedirect.open({ state: 's', redirectUri: uri }))).errorClass, uri).toBe('config_error');
    }
  });
});
