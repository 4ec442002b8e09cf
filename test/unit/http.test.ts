// The HTTP layer over real sockets on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../src/main/core/net/http.js';
import { ProviderError } from '../../src/main/core/net/provider-error.js';
import { USER_AGENT } from '../../src/shared/version.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const sockets = new Set<Socket>();
let server: Server;
let base: string;
let seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    const handler = routes.get((req.url ?? '').split('?')[0] ?? '');
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('sendRequest', () => {
  it('sends our User-Agent and returns status, headers and body', async () => {
    routes.set('/ok', (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-a': '1' }).end('{"a":1}'));
    seen = [];
    const res = await sendRequest({ method: 'POST', url: `${base}/ok`, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res).toMatchObject({ status: 200, bodyText: '{"a":1}', headers: { 'x-a': '1' } });
    expect(seen[0]?.headers['user-agent']).toBe(USER_AGENT);
  });

  it('times out a hung server with a transient error naming the limit', async () => {
    routes.set('/hang', () => undefined);
    const err = await failure(sendRequest({ method: 'POST', url: `${base}/hang`, headers: {} }, { timeoutMs: 300 }));
    expect(err.errorClass).toBe('transient');
    expect(err.message).toMatch(/within 0\.3 s/);
  });

  it('times out a body that trickles past the limit', async () => {
    routes.set('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"access_token":"');
      const t = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(t));
    });
    const err = await failure(sendRequest({ method: 'POST', url: `${base}/trickle`, headers: {} }, { timeoutMs: 400 }));
    expect(err.errorClass).toBe('transient');
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    routes.set('/big-declared', (_req, res) => res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) }).end(Buffer.alloc(2 * 1024 * 1024, 97)));
    routes.set('/big-chunked', (_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100 * 1024, 97));
      res.end();
    });
    for (const path of ['/big-declared', '/big-chunked']) {
      const err = await failure(sendRequest({ method: 'POST', url: `${base}${path}`, headers: {} }));
      expect(err.errorClass).toBe('transient');
      expect(err.message).toMatch(/larger than 1024 KiB/);
    }
  });

  it('follows a same-origin 307 and refuses a redirect to another origin', async () => {
    routes.set('/moved', (_req, res) => res.writeHead(307, { location: '/ok' }).end());
    routes.set('/away', (_req, res) => res.writeHead(307, { location: 'http://127.0.0.2:1/steal' }).end());
    expect((await sendRequest({ method: 'POST', url: `${base}/moved`, headers: {}, body: 'x=1' })).status).toBe(200);
    const err = await failure(sendRequest({ method: 'POST', url: `${base}/away`, headers: {} }));
    expect(err.errorClass).toBe('config_error');
    expect(err.message).toMatch(/another origin/);
  });

  it('classifies a reset connection and a refused connection as transient, with no secret in the text', async () => {
    routes.set('/reset', (req) => req.socket.destroy());
    const err = await failure(sendRequest({ method: 'POST', url: `${base}/reset?token=s3cret-value`, headers: {} }, { secrets: ['s3cret-value'] }));
    expect(err.errorClass).toBe('transient');
    expect(err.message).not.toContain('s3cret-value');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await failure(sendRequest({ method: 'POST', url: `http://127.0.0.1:${closedPort}/x`, headers: {} }));
    expect(refused.message).toMatch(/connection refused/);
  });

  it('classifies what fetch refuses locally (a blocked port, another scheme, a header HTTP refuses) as config_error naming the problem', async () => {
    // Port 1 is on the Fetch standard's blocked list: nothing goes on the wire, and another try fails the same way.
    const port = await failure(sendRequest({ method: 'POST', url: 'http://127.0.0.1:1/token', headers: {} }));
    expect(port.errorClass).toBe('config_error');
    expect(port.message).toBe("TokenDesk cannot send requests to port 1 (http://127.0.0.1:1): browsers and Node block it as unsafe. Use the server's real port");
    for (const url of ['ftp://example.com/token', 'file:///etc/passwd', 'data:,{}']) {
      const scheme = await failure(sendRequest({ method: 'POST', url, headers: {} }));
      expect(scheme.errorClass, url).toBe('config_error');
      expect(scheme.message, url).toMatch(/^The endpoint URL starts with [a-z]+:; TokenDesk sends requests only to https:\/\//);
    }
    const invalid = await failure(sendRequest({ method: 'POST', url: 'http://[::1/token', headers: {} }));
    expect(invalid).toMatchObject({ errorClass: 'config_error', message: 'The endpoint URL is not a valid URL' });
    const header = await failure(sendRequest({ method: 'POST', url: `${base}/ok`, headers: { 'x-merchant-id': 'abc\u0100-s3cret' } }, { secrets: ['abc\u0100-s3cret'] }));
    expect(header.errorClass).toBe('config_error');
    expect(header.message).toMatch(/a setting sent as a header contains characters HTTP does not allow/);
    expect(header.message).not.toContain('s3cret');
  });
});
