// Signing in from the dashboard, against the real `tokendesk serve` and the OAuth 2.0
// simulator: the Add form's "Sign in with …" opens the provider's consent page in a new tab,
// Approve signs the account in (active, a token, a `sign-in` row in the history); Deny and a
// timeout end in words in the dialog with nothing stored; Esc cancels at the owner; the
// device flow shows the code, which the test approves at the simulator.
//
// The timeout: the dashboard starts a sign-in with the owner's default time (5 min). The
// test shortens it to 10 s by rewriting the page's own `signin.start` call on its WebSocket
// (Playwright's routeWebSocket), so the sign-in still starts from the real button and the
// app carries no test-only switch.
import { expect, test, type Page } from '@playwright/test';
import type { AccountView } from '../../src/shared/contract.js';
import { startServe, type Served } from './support/serve.js';
import { expectNoSecretsInDom, knownSecrets, screenshot, startSims } from './support/fixtures.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeAll(async () => {
  // Device polls every second (the RFC's default is 5): the test approves at once.
  sims = await startSims({ oauth2: { deviceIntervalSec: 1 }, pathstack: {} });
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

const row = (page: Page, name: string) => page.locator(`.list-row[data-account-name="${name}"]`);

/** An OAuth 2.0 account with the simulator's client and no refresh token: it needs a sign-in. */
async function addUnsignedAccount(name: string): Promise<AccountView> {
  const { clientId, clientSecret } = sims.oauth2.clientCredentials();
  return served.call('accounts.add', { providerId: 'oauth2', name, values: { issuer: sims.oauth2.url, client_id: clientId, client_secret: clientSecret } });
}

/**
 * Watches the page's calls on its WebSocket (method names, in order) and, with
 * `signInTimeoutSeconds`, gives its signin.start that timeout. Before `page.goto`.
 */
async function watchCalls(page: Page, options: { signInTimeoutSeconds?: number } = {}): Promise<string[]> {
  const methods: string[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message !== 'string') return server.send(message);
      const call = JSON.parse(message) as { method?: string; params?: Record<string, unknown> };
      if (call.method) methods.push(call.method);
      if (call.method === 'signin.start' && options.signInTimeoutSeconds) {
        call.params = { ...call.params, timeoutSeconds: options.signInTimeoutSeconds };
        return server.send(JSON.stringify(call));
      }
      server.send(message);
    });
  });
  return methods;
}

test('add an OAuth 2.0 account with "Sign in": the consent page opens in a new tab, Approve signs it in', async ({ page, context }) => {
  await page.goto(served.url);
  await expect(page.getByText('No accounts yet — add one')).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: 'Add account' }).click();
  const form = page.getByTestId('account-form');
  await form.getByRole('radio', { name: 'OAuth 2.0 server', exact: true }).click();
  // Signing in is the default; the token fields are hidden then, and come back for "Paste".
  await expect(form.getByRole('radio', { name: /^Sign in with OAuth 2\.0 server/ })).toBeChecked();
  await expect(form.locator('input[data-field="refresh_token"]')).toHaveCount(0);
  await expect(form.locator('input[data-field="access_token"]')).toHaveCount(0);
  await expect(form.getByRole('button', { name: 'Test now' })).toHaveCount(0);
  await form.getByRole('radio', { name: /^Paste a refresh token/ }).click();
  await expect(form.locator('input[data-field="refresh_token"]')).toBeVisible();
  await form.getByRole('radio', { name: /^Sign in with OAuth 2\.0 server/ }).click();
  await expect(form.locator('input[data-field="refresh_token"]')).toHaveCount(0);

  const { clientId, clientSecret } = sims.oauth2.clientCredentials();
  await form.locator('#f-name').fill('signed-in');
  await form.locator('input[data-field="issuer"]').fill(sims.oauth2.url);
  await form.locator('input[data-field="client_id"]').fill(clientId);
  await form.locator('input[data-field="client_secret"]').fill(clientSecret);
  await screenshot(page, 'signin-add-form');
  const opened = context.waitForEvent('page');
  await form.getByRole('button', { name: 'Save and sign in' }).click();

  const consent = await opened;
  await consent.waitForURL(/\/oauth\/authorize\?/);
  await expect(consent.getByRole('heading', { name: 'Sign in to OAuth 2.0 server (simulator)' })).toBeVisible();
  expect(new URL(consent.url()).searchParams.get('code_challenge_method')).toBe('S256');

  await expect(form).toHaveCount(0);
  const dialog = page.getByTestId('signin-dialog');
  await expect(dialog).toHaveAttribute('data-phase', 'waiting');
  await expect(dialog).toContainText('Finish signing in to OAuth 2.0 server in your browser. TokenDesk is waiting for it to send you back.');
  await expect(dialog.getByTestId('signin-countdown')).toHaveText(/^[45]:\d\d$/);
  await expect(dialog.getByRole('button', { name: 'Open the page again' })).toBeVisible();
  await expect(row(page, 'signed-in')).toContainText('Sign in again');
  await screenshot(page, 'signin-waiting', { docs: true });

  await consent.getByRole('button', { name: 'Approve' }).click();
  await expect(consent.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'Signed in to signed-in' })).toBeVisible();
  await expect(row(page, 'signed-in')).toContainText('Active');
  await expect(row(page, 'signed-in').locator('.col-expires')).toHaveText(/^in /);
  const details = page.getByTestId('account-details');
  await expect(details).toContainText('Healthy');
  await expect(details.getByTestId('refresh-now')).toBeVisible();
  await expect(details.getByTestId('sign-in-again')).toBeVisible();
  const account = await served.call('accounts.get', { account: 'signed-in' });
  expect(account.status).toBe('active');
  expect(account.hasAccessToken).toBe(true);

  await page.getByRole('tab', { name: 'History' }).click();
  const signInRow = page.getByTestId('history-table').locator('tbody tr[data-trigger="sign_in"]');
  await expect(signInRow).toHaveCount(1);
  await expect(signInRow).toContainText('sign-in');
  await expect(signInRow).toContainText('signed-in');
  await expectNoSecretsInDom(page, await knownSecrets([sims.oauth2], served));
  await consent.close();
});

test('Deny at the provider: the dialog says it was declined, and nothing is stored', async ({ page, context }) => {
  await addUnsignedAccount('denied');
  await page.goto(served.url);
  await row(page, 'denied').click();
  const details = page.getByTestId('account-details');
  await expect(details.getByTestId('status-explanation')).toContainText('Sign in');
  // Sign in is the primary action of an account that needs it: first, in place of Refresh now.
  await expect(details.getByRole('toolbar').getByRole('button').first()).toHaveText('Sign in');
  await expect(details.getByTestId('refresh-now')).toHaveCount(0);
  await expect(details.getByRole('button', { name: 'Sign in with a code' })).toBeVisible();
  await screenshot(page, 'signin-needed');

  const opened = context.waitForEvent('page');
  await details.getByTestId('sign-in').click();
  const consent = await opened;
  await consent.waitForURL(/\/oauth\/authorize\?/);
  await consent.getByRole('button', { name: 'Deny' }).click();
  await expect(consent.getByRole('heading', { name: 'Sign-in did not complete' })).toBeVisible();

  const dialog = page.getByTestId('signin-dialog');
  const failure = dialog.getByTestId('signin-failure');
  await expect(failure).toContainText('The sign-in did not finish. Sign-in was declined at the provider');
  await expect(failure).toHaveAttribute('data-kind', 'declined');
  await expect(dialog).toContainText('The access was not granted, so nothing was stored.');
  await expect(dialog.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Edit settings' })).toHaveCount(0);
  await screenshot(page, 'signin-declined');
  const account = await served.call('accounts.get', { account: 'denied' });
  expect(account.status).toBe('reauth_required');
  expect(account.hasAccessToken).toBe(false);

  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await consent.close();
});

test('the provider rejects the client at the exchange: the dialog says to check the settings, and Edit opens them', async ({ page, context }) => {
  const { clientId } = sims.oauth2.clientCredentials();
  await served.call('accounts.add', { providerId: 'oauth2', name: 'wrong-secret', values: { issuer: sims.oauth2.url, client_id: clientId, client_secret: 'not-the-secret' } });
  await page.goto(served.url);
  await row(page, 'wrong-secret').click();
  const opened = context.waitForEvent('page');
  await page.getByTestId('account-details').getByTestId('sign-in').click();
  const consent = await opened;
  await consent.waitForURL(/\/oauth\/authorize\?/);
  await consent.getByRole('button', { name: 'Approve' }).click();

  const dialog = page.getByTestId('signin-dialog');
  const failure = dialog.getByTestId('signin-failure');
  await expect(failure).toHaveAttribute('data-kind', 'settings');
  await expect(dialog).toContainText('check the account’s settings');
  await expect(row(page, 'wrong-secret')).toContainText('Fix settings');
  await screenshot(page, 'signin-settings-rejected');
  await dialog.getByRole('button', { name: 'Edit settings' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('account-form')).toContainText('Edit wrong-secret');
  expect((await served.call('accounts.get', { account: 'wrong-secret' })).hasAccessToken).toBe(false);
  await page.keyboard.press('Escape');
  await consent.close();
});

test('a sign-in that times out says so in the dialog and stores nothing', async ({ page, context }) => {
  test.setTimeout(60_000);
  await addUnsignedAccount('too-slow');
  const calls = await watchCalls(page, { signInTimeoutSeconds: 10 });
  await page.goto(served.url);
  await row(page, 'too-slow').click();
  const opened = context.waitForEvent('page');
  await page.getByTestId('account-details').getByTestId('sign-in').click();
  const consent = await opened;
  await consent.waitForURL(/\/oauth\/authorize\?/);

  const dialog = page.getByTestId('signin-dialog');
  await expect(dialog.getByTestId('signin-countdown')).toHaveText(/^0:(0\d|10)$/);
  // Nobody answers the consent page.
  const failure = dialog.getByTestId('signin-failure');
  await expect(failure).toContainText('Sign-in timed out after 10 s without an answer from the browser', { timeout: 20_000 });
  await expect(failure).toHaveAttribute('data-kind', 'timed_out');
  await expect(dialog).toContainText('Nothing was stored.');
  expect(calls).toContain('signin.start');

  const account = await served.call('accounts.get', { account: 'too-slow' });
  expect(account.status).toBe('reauth_required');
  expect(account.hasAccessToken).toBe(false);
  expect(account.obtainedAt).toBeUndefined();
  await expect(served.call('accounts.token', { account: 'too-slow' })).rejects.toThrow();
  const history = await served.call('history.list', { account: account.id });
  expect(history.filter((e) => e.outcome === 'ok' && e.action !== 'added')).toEqual([]);
  // The history says the dashboard's sign-in failed (an audit row, no tokens).
  expect(history.filter((e) => e.action === 'signed_in')).toEqual([expect.objectContaining({ actor: 'dashboard', outcome: 'error', accountName: 'too-slow' })]);

  // Try again (by keyboard) starts a new sign-in; Esc cancels it at the owner.
  const reopened = context.waitForEvent('page');
  await dialog.getByRole('button', { name: 'Try again' }).focus();
  await page.keyboard.press('Enter');
  const second = await reopened;
  await expect(dialog).toHaveAttribute('data-phase', 'waiting');
  await page.bringToFront();
  expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement)), 'the focus stays in the dialog').toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => calls.filter((m) => m === 'signin.cancel').length).toBe(1);
  expect(calls.filter((m) => m === 'signin.start').length).toBe(2);
  await second.close();
  await consent.close();
});

test('sign in with a code: the dialog shows the code, its page and a QR code; approving it signs the account in', async ({ page }) => {
  await addUnsignedAccount('with-code');
  await page.goto(served.url);
  await row(page, 'with-code').click();
  await page.getByTestId('account-details').getByRole('button', { name: 'Sign in with a code' }).click();

  const dialog = page.getByTestId('signin-dialog');
  await expect(dialog).toHaveAttribute('data-phase', 'waiting');
  const code = (await dialog.getByTestId('signin-user-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z0-9-]{6,}$/);
  await expect(dialog).toContainText('On your phone or another computer, open OAuth 2.0 server’s page below and enter this code.');
  const link = dialog.getByTestId('signin-verification-uri');
  await expect(link).toHaveAttribute('href', `${sims.oauth2.url}/device`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(dialog.getByTestId('signin-qr')).toBeVisible();
  await expect(dialog.getByTestId('signin-countdown')).toHaveText(/^\d+:\d\d$/);
  await screenshot(page, 'signin-device', { docs: true });

  sims.oauth2.approveDevice(code);
  await expect(dialog).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('toast').filter({ hasText: 'Signed in to with-code' })).toBeVisible();
  await expect(row(page, 'with-code')).toContainText('Active');
  const account = await served.call('accounts.get', { account: 'with-code' });
  expect(account.hasAccessToken).toBe(true);
  const history = await served.call('history.list', { account: account.id });
  expect(history.some((e) => e.trigger === 'sign_in' && e.outcome === 'ok')).toBe(true);
  await expectNoSecretsInDom(page, await knownSecrets([sims.oauth2], served));
});

test('PathStack signs in with a password, marked unverified; a wrong password is said in words, a right one signs in', async ({ page }) => {
  await served.call('accounts.add', { providerId: 'pathstack', name: 'with-password', baseUrl: sims.pathstack.url, values: {} });
  const user = sims.pathstack.passwordUser();
  await page.goto(served.url);
  await row(page, 'with-password').click();
  await page.getByTestId('account-details').getByTestId('sign-in').click();

  const dialog = page.getByTestId('signin-dialog');
  await expect(dialog).toHaveAttribute('data-phase', 'credentials');
  await expect(dialog.getByTestId('signin-unverified')).toContainText('Unverified');
  await dialog.getByTestId('signin-username').fill(user.username);
  await dialog.getByTestId('signin-password').fill('not the password');
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog.getByTestId('signin-failure')).toHaveAttribute('data-kind', 'credentials');
  await expect(dialog.getByTestId('signin-failure')).toContainText('refused the sign-in');
  expect((await served.call('accounts.get', { account: 'with-password' })).hasAccessToken).toBe(false);

  await dialog.getByRole('button', { name: 'Try again' }).click();
  await expect(dialog).toHaveAttribute('data-phase', 'credentials');
  await dialog.getByTestId('signin-username').fill(user.username);
  await dialog.getByTestId('signin-password').fill(user.password);
  await dialog.getByTestId('signin-password').press('Enter');
  await expect(dialog).toHaveCount(0, { timeout: 15_000 });
  await expect(row(page, 'with-password')).toContainText('Active');
  const account = await served.call('accounts.get', { account: 'with-password' });
  expect(account.settings['sub']).toMatch(/^[0-9a-f-]{36}$/);
  await expectNoSecretsInDom(page, [user.password, ...(await knownSecrets([sims.pathstack], served))]);
});
