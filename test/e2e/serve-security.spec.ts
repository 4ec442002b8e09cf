// `tokendesk serve` refuses what it must: requests without the URL secret, a foreign Host
// (DNS rebinding, also through a real browser), a foreign Origin (a page on another local
// origin that knows the secret still cannot open the WebSocket), anything not on 127.0.0.1,
// and a second owner of the same data dir. All traffic stays on the loopback interface.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { E2E_PASSPHRASE, startServe, type Served } from './support/serve.js';
import { chromiumLaunchOptions } from './support/browser.js';

let served: Served;

test.beforeAll(async () => {
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
});

function raw(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: served.port, path: pathname, method, headers: { host: `127.0.0.1:${served.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('no secret → 401; wrong Host → 403; wrong Origin → 403; no state-changing HTTP', async () => {
  expect((await raw(`/${served.secret}/`)).status).toBe(200);
  for (const p of ['/', '/index.html', '/assets/', '/ws', `/${served.secret.slice(1)}/`]) {
    const res = await raw(p);
    expect(res.status, p).toBe(401);
    expect(res.body).toContain('link `tokendesk serve` printed');
  }
  expect((await raw(`/${served.secret}/`, { host: `attacker.example:${served.port}` })).status).toBe(403);
  expect((await raw(`/${served.secret}/`, { host: `127.0.0.1:${served.port + 1}` })).status).toBe(403);
  expect((await raw(`/${served.secret}/`, { origin: 'https://attacker.example' })).status).toBe(403);
  expect((await raw(`/${served.secret}/`, { origin: `http://localhost:${served.port}` })).status).toBe(200);
  expect((await raw(`/${served.secret}/`, { origin: `http://127.0.0.1:${served.port}` }, 'POST')).status).toBe(405);
  expect((await raw(`/${served.secret}/`, { origin: 'https://attacker.example' }, 'POST')).status).toBe(403);
  expect((await raw(`/${served.secret}/../../package.json`)).status).toBe(404);
  expect((await raw(`/${served.secret}/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
});

test('a page on another local origin cannot use the WebSocket, even knowing the secret', async ({ page }) => {
  // The attacker: another web server on this machine whose page knows the full URL.
  const target = `ws://127.0.0.1:${served.port}/${served.secret}/ws`;
  const attacker: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>waiting</title><script>
      const ws = new WebSocket(${JSON.stringify(target)});
      ws.onopen = () => { document.title = 'opened'; ws.send(JSON.stringify({ id: 1, method: 'accounts.list' })); };
      ws.onmessage = (e) => { document.title = 'stolen ' + e.data.length; };
      ws.onclose = (e) => { if (!document.title.startsWith('stolen')) document.title = 'closed ' + e.code; };
    </script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const port = (attacker.address() as { port: number }).port;
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page).toHaveTitle('closed 1006');
    expect(served.log()).toContain('refused WebSocket upgrade: 403');
  } finally {
    attacker.close();
  }
});

test('DNS rebinding: a name that resolves to 127.0.0.1 gets nothing (real browser)', async () => {
  const browser = await chromium.launch(chromiumLaunchOptions(['--host-resolver-rules=MAP rebind.attacker.test 127.0.0.1']));
  try {
    const page = await browser.newPage();
    const response = await page.goto(`http://rebind.attacker.test:${served.port}/${served.secret}/`);
    expect(response?.status()).toBe(403);
    await expect(page.locator('body')).toContainText('unexpected Host header');
    await expect(page.locator('#root')).toHaveCount(0);
  } finally {
    await browser.close();
  }
});

function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

test('listens on 127.0.0.1 only: not on another loopback address, not on ::1', async () => {
  expect(await tryConnect('127.0.0.1', served.port)).toBe('connected');
  // Bound to all interfaces it would answer on 127.0.0.2 too; bound to 127.0.0.1 it cannot.
  expect(await tryConnect('127.0.0.2', served.port)).toBe('ECONNREFUSED');
  expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH']).toContain(await tryConnect('::1', served.port));
  // And the kernel's own table: the listening socket's local address is 127.0.0.1 (0100007F).
  const portHex = served.port.toString(16).toUpperCase().padStart(4, '0');
  const listening = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${portHex}`) && f[3] === '0A');
  expect(listening.map((f) => f[1])).toEqual([`0100007F:${portHex}`]);
  const tcp6 = readFileSync('/proc/net/tcp6', 'utf8').split('\n').filter((l) => l.includes(`:${portHex} `) && l.trim().split(/\s+/)[3] === '0A');
  expect(tcp6).toEqual([]);
});

test('a second owner of the same data dir is refused clearly (exit 7)', async () => {
  const proc = spawn(process.execPath, [path.resolve('out/main/cli.js'), '--data-dir', served.dataDir, 'serve'], {
    env: { ...process.env, TOKENDESK_PASSPHRASE: E2E_PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  expect(code).toBe(7);
  expect(stderr).toMatch(/already running on this data dir \(pid \d+/);
  expect(stdout).not.toMatch(/http:\/\//);
  // The first one is unharmed.
  expect((await served.call('owner.status')).pid).toBe(served.proc.pid);
});
