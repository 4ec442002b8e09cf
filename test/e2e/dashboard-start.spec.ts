// How the dashboard starts, against the real `tokendesk serve` (docs/ARCHITECTURE.md
// "Dashboard start"): boot.ts connects and sends the first screen's calls before the bundle
// runs, and holds the events pushed meanwhile until the app has subscribed. The tests hold
// the bundle back (page.route) and watch the page's WebSocket (page.routeWebSocket, passed
// through to the server): replies and events that arrive before the app exists must all reach
// it, the app must not ask again for what boot asked, and a dropped connection still
// reconnects and reloads.
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { startServe, type Served } from './support/serve.js';
import { seedAccounts } from './support/seed.js';

let served: Served;

test.beforeEach(async () => {
  served = await startServe();
  await seedAccounts(served, 3); // ups-0000, pathstack-0001, teamup-0002
});

test.afterEach(async () => {
  await served?.stop();
});

type Message = { id?: number; method?: string; ok?: boolean; event?: string; payload?: Record<string, unknown> };

/** The page's WebSocket connections, passed through to the server and watched. */
async function watchSocket(page: Page) {
  const called: string[] = [];
  const received: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve: () => void }[] = [];
  const connections: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  /** While set, a new connection reaches the server only once it resolves (its messages wait). */
  let hold: Promise<void> | undefined;
  await page.routeWebSocket(/\/ws$/, async (ws) => {
    // The page's messages wait here while the connection is held.
    const pending: string[] = [];
    const link: { server?: WebSocketRoute } = {};
    ws.onMessage((m) => {
      const text = String(m);
      called.push((JSON.parse(text) as Message).method ?? '');
      if (link.server) link.server.send(text);
      else pending.push(text);
    });
    if (hold) await hold;
    const server = ws.connectToServer();
    connections.push({ page: ws, server });
    server.onMessage((m) => {
      const msg = JSON.parse(String(m)) as Message;
      received.push(msg);
      for (const w of [...waiters]) {
        if (w.test(msg)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      ws.send(m);
    });
    for (const text of pending.splice(0)) server.send(text);
    link.server = server;
  });
  return {
    called,
    /** Resolves once a message from the server that passes `test` has been handed to the page. */
    until(test: (m: Message) => boolean): Promise<void> {
      if (received.some(test)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    /** Closes the page's current connection (and its server side). */
    async drop(): Promise<void> {
      const last = connections.at(-1)!;
      await last.page.close({ code: 1001, reason: 'test drops the connection' });
      await last.server.close();
    },
    holdNextConnection(): () => void {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

/** Holds the dashboard's bundle (the built page's `data-tokendesk-main` module) until released. */
async function holdBundle(page: Page): Promise<() => void> {
  const html = readFileSync('out/renderer/index.html', 'utf8');
  const main = /<link rel="modulepreload" crossorigin href="\.\/([^"]+)" data-tokendesk-main>/.exec(html)?.[1];
  expect(main, 'the built page marks its bundle').toBeTruthy();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route((url) => url.pathname.endsWith(`/${main}`), async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('replies and events that reach the page before its bundle runs are all delivered, and the start calls are made once', async ({ page }) => {
  const socket = await watchSocket(page);
  const releaseBundle = await holdBundle(page);
  await page.goto(served.url, { waitUntil: 'commit' });

  // boot.ts has asked for the accounts, and the owner has answered, with no app in the page.
  const listCall = () => socket.called.indexOf('accounts.list');
  await expect.poll(listCall).toBeGreaterThan(-1);
  await socket.until((m) => m.ok === true && Array.isArray((m as { result?: unknown }).result) && (m as { result: { name?: string }[] }).result.some((a) => a.name === 'ups-0000'));

  // Changes pushed now are newer than that answer: only the held events can tell the app.
  await served.call('accounts.update', { account: 'ups-0000', name: 'renamed-while-loading' });
  await served.call('accounts.remove', { account: 'pathstack-0001' });
  await socket.until((m) => m.event === 'account-changed' && m.payload?.['name'] === 'renamed-while-loading');
  await socket.until((m) => m.event === 'account-removed');
  await expect(page.locator('#root > *')).toHaveCount(0);

  releaseBundle();
  await expect(page.locator('.list-row[data-account-name="renamed-while-loading"]')).toBeVisible();
  await expect(page.locator('.list-row[data-account-name="teamup-0002"]')).toBeVisible();
  await expect(page.locator('.list-row')).toHaveCount(2);
  await expect(page.locator('.list-row[data-account-name="pathstack-0001"]')).toHaveCount(0);
  // The app took boot's answers instead of asking again (one of each start call, the team banner's too).
  for (const method of ['accounts.list', 'providers.list', 'settings.get', 'vault.status', 'owner.status', 'history.list', 'team.status']) {
    expect(socket.called.filter((m) => m === method), method).toHaveLength(1);
  }
  expect(socket.called[0], 'the stream is subscribed before any call').toBe('subscribe');

  // Events after the start arrive live as before.
  await served.call('accounts.update', { account: 'teamup-0002', name: 'renamed-live' });
  await expect(page.locator('.list-row[data-account-name="renamed-live"]')).toBeVisible();
});

test('a dropped connection reconnects and reloads what changed while it was down', async ({ page }) => {
  const socket = await watchSocket(page);
  await page.goto(served.url);
  await expect(page.locator('.list-row')).toHaveCount(3);

  const releaseConnection = socket.holdNextConnection();
  await socket.drop();
  await expect(page.getByTestId('connection-banner')).toBeVisible();
  // Missed by the page: it has no connection.
  await served.call('accounts.update', { account: 'pathstack-0001', name: 'renamed-while-down' });
  releaseConnection();

  await expect(page.locator('.list-row[data-account-name="renamed-while-down"]')).toBeVisible();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  expect(socket.called.filter((m) => m === 'accounts.list'), 'the start load, then the reload').toHaveLength(2);
  expect(socket.called.filter((m) => m === 'subscribe')).toHaveLength(2);

  // The new connection carries events.
  await served.call('accounts.update', { account: 'ups-0000', name: 'renamed-after-reconnect' });
  await expect(page.locator('.list-row[data-account-name="renamed-after-reconnect"]')).toBeVisible();
});
