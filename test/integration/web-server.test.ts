// The `tokendesk serve` web host over a real owner: the secret, Host and Origin checks,
// static files without traversal, CSP, and the WebSocket transport (calls, events,
// malformed and oversized messages that must never take the owner down).
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { events as contractEvents, type EventName } from '../../src/shared/contract.js';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { MAX_WS_MESSAGE_BYTES, WebServer } from '../../src/main/core/owner/web-server.js';
import { openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';

let owner: Owner;
let web: WebServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  const data = await tempDir();
  const files = await tempDir('tokendesk-renderer-');
  cleanups.push(data.cleanup, files.cleanup);
  const renderer = path.join(files.dir, 'renderer');
  await mkdir(path.join(renderer, 'assets'), { recursive: true });
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><meta name="tokendesk-style-nonce" content="" /><script type="module" src="./assets/app.js"></script>');
  await writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log("dashboard")');
  await writeFile(path.join(files.dir, 'outside.txt'), 'TOP SECRET outside the renderer');
  await symlink(path.join(files.dir, 'outside.txt'), path.join(renderer, 'assets', 'link.txt'));
  owner = await openTestOwner(data.dir);
  cleanups.push(() => owner.close());
  web = new WebServer({
    router: owner.router,
    events: owner.engine as unknown as ConstructorParameters<typeof WebServer>[0]['events'],
    eventNames: Object.keys(contractEvents) as EventName[],
    rendererDir: renderer,
  });
  await web.listen();
  cleanups.push(() => web.close());
});

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A raw HTTP request: node:http lets us send any Host, Origin and path, unlike fetch. */
function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.listeningPort, path: pathname, method, headers: { host: `127.0.0.1:${web.listeningPort}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(pathname: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.listeningPort}${pathname}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, match: (m: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      if (!match(msg)) return;
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
  });
}

describe('web server: HTTP', () => {
  it('serves the dashboard under the secret, with a strict CSP and a fresh style nonce', async () => {
    const res = await get(`/${web.secret}/`);
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`content="${nonce}"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    const again = await get(`/${web.secret}/`);
    expect(/'nonce-([^']+)'/.exec(String(again.headers['content-security-policy']))?.[1]).not.toBe(nonce);
    const asset = await get(`/${web.secret}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get(`/${web.secret}`)).status).toBe(308);
  });

  it('refuses requests without the secret or with a wrong one (401)', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', `/${web.secret.slice(0, -1)}x/`, `/${web.secret}x/`, '/favicon.ico']) {
      const res = await get(p);
      expect(res.status, p).toBe(401);
      expect(res.body).not.toContain(web.secret);
    }
  });

  it('refuses a foreign Host (DNS rebinding), a foreign Origin and cross-site fetches (403)', async () => {
    expect((await get(`/${web.secret}/`, { host: `evil.example:${web.listeningPort}` })).status).toBe(403);
    expect((await get(`/${web.secret}/`, { host: '127.0.0.1' })).status).toBe(403);
    expect((await get(`/${web.secret}/`, { host: `localhost:${web.listeningPort}` })).status).toBe(200);
    expect((await get(`/${web.secret}/`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/${web.secret}/`, { origin: `http://127.0.0.1:${web.listeningPort + 1}` })).status).toBe(403);
    expect((await get(`/${web.secret}/`, { origin: `http://127.0.0.1:${web.listeningPort}` })).status).toBe(200);
    expect((await get(`/${web.secret}/`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(`/${web.secret}/`, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    // …except opening the page in a tab from another loopback port (the real dashboard opening the demo's).
    const navigate = { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    expect((await get(`/${web.secret}/`, navigate)).status).toBe(200);
    expect((await get(`/${web.secret}/`, { ...navigate, 'sec-fetch-dest': 'iframe' })).status).toBe(403);
    expect((await get(`/${web.secret}/`, { ...navigate, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get('/wrong-secret/', navigate)).status).toBe(401);
    expect((await get(`/${web.secret}/`, { 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it('has no state-changing HTTP method', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await get(`/${web.secret}/`, { origin: `http://127.0.0.1:${web.listeningPort}` }, method);
      expect(res.status, method).toBe(405);
    }
    expect((await get(`/${web.secret}/`, { origin: 'http://evil.example' }, 'POST')).status).toBe(403);
  });

  it('never serves a file outside the renderer directory', async () => {
    for (const p of [
      `/${web.secret}/../outside.txt`,
      `/${web.secret}/assets/../../outside.txt`,
      `/${web.secret}/%2e%2e/outside.txt`,
      `/${web.secret}/assets/%2e%2e%2f%2e%2e%2foutside.txt`,
      `/${web.secret}/assets/..%5c..%5coutside.txt`,
      `/${web.secret}/assets/link.txt`,
      `/${web.secret}/assets/`,
      `/${web.secret}/%00`,
      `/${web.secret}/%E0%A4%A`,
    ]) {
      const res = await get(p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body, p).not.toContain('TOP SECRET');
    }
  });

  it('listens on 127.0.0.1 only', () => {
    const address = (web as unknown as { server: { address(): { address: string } } }).server.address();
    expect(address.address).toBe('127.0.0.1');
  });
});

describe('web server: WebSocket', () => {
  it('serves the contract and pushes engine events', async () => {
    const ws = await connect(`/${web.secret}/ws`, { origin: `http://127.0.0.1:${web.listeningPort}` });
    ws.send(JSON.stringify({ id: 1, method: 'owner.status', params: {} }));
    const status = await nextMessage(ws, (m) => m['id'] === 1);
    expect(status).toMatchObject({ id: 1, ok: true, result: { pid: process.pid } });
    ws.send(JSON.stringify({ id: 2, method: 'subscribe' }));
    await nextMessage(ws, (m) => m['id'] === 2);
    const event = nextMessage(ws, (m) => m['event'] === 'account-changed');
    ws.send(JSON.stringify({ id: 3, method: 'accounts.add', params: { providerId: 'banyan', name: 'ws-added', baseUrl: 'http://127.0.0.1:9', values: { refresh_token: 'rt_test_refresh_token_value', access_token: 'at_test_access_token_value' }, accessTokenExpiresInSeconds: 3600 } }));
    expect(await event).toMatchObject({ event: 'account-changed', payload: { name: 'ws-added' } });
    ws.close();
  });

  it('refuses an upgrade without the secret, from a foreign Origin or Host', async () => {
    await expect(connect('/ws')).rejects.toThrow('HTTP 401');
    await expect(connect(`/${'x'.repeat(web.secret.length)}/ws`)).rejects.toThrow('HTTP 401');
    await expect(connect(`/${web.secret}/ws`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(`/${web.secret}/ws`, { host: `evil.example:${web.listeningPort}` })).rejects.toThrow('HTTP 403');
    await expect(connect(`/${web.secret}/other`)).rejects.toThrow('HTTP 404');
  });

  it('answers malformed messages with an error and keeps the connection and the owner going', async () => {
    const ws = await connect(`/${web.secret}/ws`);
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d)) as Record<string, unknown>));
    ws.send('not json');
    ws.send('[1,2,3]');
    ws.send('null');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(JSON.stringify({ id: 7, method: 'no.such.call' }));
    ws.send(JSON.stringify({ id: 8, method: 'accounts.add', params: { providerId: 'nope' } }));
    ws.send(JSON.stringify({ id: { evil: true }, method: 'owner.status' }));
    ws.send(JSON.stringify({ id: 9, method: 'owner.status' }));
    await waitFor('8 replies', () => replies.length >= 8);
    expect(replies.slice(0, 4).map((r) => (r['error'] as { code: string }).code)).toEqual(['invalid_input', 'invalid_input', 'invalid_input', 'invalid_input']);
    expect(replies.find((r) => r['id'] === 7)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(replies.find((r) => r['id'] === 8)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(replies.find((r) => r['id'] === 9)).toMatchObject({ ok: true });
    ws.close();
  });

  it('closes a connection that sends more than 1 MiB in one message; the server carries on', async () => {
    const ws = await connect(`/${web.secret}/ws`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send(JSON.stringify({ id: 1, method: 'owner.status', params: { pad: 'x'.repeat(MAX_WS_MESSAGE_BYTES) } }));
    expect(await closed).toBe(1009);
    const again = await connect(`/${web.secret}/ws`);
    again.send(JSON.stringify({ id: 1, method: 'owner.status' }));
    expect(await nextMessage(again)).toMatchObject({ id: 1, ok: true });
    again.close();
  });
});
