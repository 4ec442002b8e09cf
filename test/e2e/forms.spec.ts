// Forms, settings and help against the real `tokendesk serve`: an incomplete OAuth 2.0 client
// is refused in the form (and by the service), a local refusal is a settings problem in
// TokenDesk's own words, retry wording fits an account with no token, Settings has one model
// (the theme previews, Save keeps, Cancel restores) with its buttons at the bottom and errors
// that move nothing, and Help explains every status the list shows.
import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { STATUS_LABELS } from '../../src/renderer/src/lib/status.js';
import { ACCOUNT_STATUSES } from '../../src/shared/domain.js';
import { allowedExternalUrl } from '../../src/main/app/external-links.js';
import { startServe, type Served } from './support/serve.js';
import { axeViolations, screenshot, startSims, watchCsp } from './support/fixtures.js';


test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeAll(async () => {
  sims = await startSims({ oauth2: {} });
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

const row = (page: Page, name: string) => page.locator(`.list-row[data-account-name="${name}"]`);

/** A port nothing listens on (bound, then closed): connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

test('OAuth 2.0: no client secret with client_secret_basic is refused in the form, in words; the service refuses it too', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('banner').getByRole('button', { name: 'Add account' }).click();
  const form = page.getByTestId('account-form');
  await form.getByRole('radio', { name: 'OAuth 2.0 server', exact: true }).click();
  await form.getByRole('radio', { name: /^Paste a refresh token/ }).click();
  await form.locator('input[data-field="token_url"]').fill(`${sims.oauth2.url}/oauth/token`);
  await form.locator('input[data-field="client_id"]').fill('half-configured');
  await form.locator('input[data-field="refresh_token"]').fill('rt-from-elsewhere');
  // The secret is marked required while client authentication needs it.
  await expect(form.locator('input[data-field="client_secret"]')).toHaveAttribute('aria-required', 'true');
  await form.getByRole('button', { name: /^Save/ }).click();

  // One wording for every field: "<Field> is required".
  await expect(form.getByTestId('error-name')).toHaveText('Name is required');
  await expect(form.getByTestId('error-values.client_secret')).toHaveText('Client secret is required for client authentication client_secret_basic (choose "none" for a public client)');
  await expect(form.locator('input[data-field="client_secret"]')).toHaveAttribute('aria-invalid', 'true');
  await form.locator('#f-name').fill('half');
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByTestId('error-values.client_secret')).toBeVisible();
  await screenshot(page, 'oauth2-missing-secret');
  expect(await served.call('accounts.list')).toEqual([]);

  // A public client needs no secret; "Test now" against a port fetch refuses is TokenDesk's refusal, not the provider's.
  await form.getByRole('radiogroup', { name: 'Client authentication' }).getByRole('radio', { name: 'none' }).click();
  await expect(form.locator('input[data-field="client_secret"]')).toHaveAttribute('aria-required', 'false');
  await form.locator('input[data-field="token_url"]').fill('http://127.0.0.1:1/token');
  await form.getByRole('button', { name: 'Test now' }).click();
  await expect(form.getByTestId('error-values.client_secret')).toHaveCount(0);
  const failed = form.getByTestId('test-failed');
  await expect(failed).toContainText('The test failed: TokenDesk cannot send a request with the account’s settings. TokenDesk cannot send requests to port 1');
  await expect(failed).not.toContainText(/provider (said|answered|rejected)/);
  expect(await served.call('accounts.list')).toEqual([]);
  await page.keyboard.press('Escape');

  // The contract (what the CLI and every client call) says the same.
  await expect(served.call('accounts.add', { providerId: 'oauth2', name: 'half', values: { token_url: `${sims.oauth2.url}/oauth/token`, client_id: 'c', refresh_token: 'rt-x' } })).rejects.toThrow(
    /client_secret: Client secret is required for client authentication client_secret_basic/,
  );
  expect(await served.call('accounts.list')).toEqual([]);
});

test('a token URL on a port fetch refuses is "Fix settings" in TokenDesk’s words, never the provider’s, and is not retried', async ({ page }) => {
  await served.call('accounts.add', { providerId: 'oauth2', name: 'port-one', values: { token_url: 'http://127.0.0.1:1/token', client_id: 'c', client_auth: 'none', refresh_token: 'rt-port-one' } });
  await page.goto(served.url);
  await expect(row(page, 'port-one')).toContainText('Fix settings');
  await row(page, 'port-one').click();
  const explanation = page.getByTestId('status-explanation');
  await expect(explanation).toContainText('TokenDesk cannot send requests to port 1 (http://127.0.0.1:1)');
  await expect(explanation).toContainText('nothing reached the provider');
  await expect(explanation).not.toContainText(/provider (said|answered|rejected)/);
  await expect(explanation).not.toContainText(/temporary|retries/);
  await screenshot(page, 'local-refusal-fix-settings');
  const view = await served.call('accounts.get', { account: 'port-one' });
  expect(view).toMatchObject({ status: 'config_error', retryAttempt: 0 });
  expect(view.nextRefreshAt).toBeUndefined();
  expect((await served.call('history.list', { account: 'port-one' })).map((e) => e.errorClass)).toEqual(['config_error']);
  await served.call('accounts.remove', { account: 'port-one' });
});

test('an account with no token that keeps failing is "Retrying" without the promise of a still-valid token', async ({ page }) => {
  const port = await closedPort();
  await served.call('accounts.add', { providerId: 'oauth2', name: 'no-token-yet', values: { token_url: `http://127.0.0.1:${port}/token`, client_id: 'c', client_auth: 'none', refresh_token: 'rt-unreachable' } });
  await page.goto(served.url);
  await expect(row(page, 'no-token-yet')).toContainText('Retrying');
  await row(page, 'no-token-yet').click();
  const explanation = page.getByTestId('status-explanation');
  await expect(explanation).toContainText('connection refused');
  await expect(explanation).toContainText(/retries with backoff \(attempt \d+\); the account has no access token until a try succeeds/);
  await expect(explanation).not.toContainText('still valid');
  await expect(explanation).not.toContainText('provider answered');
  await served.call('accounts.remove', { account: 'no-token-yet' });
});

test('Settings: the theme previews and Cancel restores it; Save keeps it; buttons at the bottom; an error moves no field; no desktop-only switch in the browser', async ({ page }) => {
  await page.goto(served.url);
  const app = page.locator('.app');
  await expect(app).toHaveAttribute('data-appearance', 'light');
  const open = async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    return page.getByTestId('settings-dialog');
  };

  let dialog = await open();
  await expect(dialog.getByTestId('settings-model')).toHaveText('The theme shows as you choose it; Cancel puts the previous one back. Everything applies when you save.');
  await dialog.getByRole('radio', { name: 'Dark' }).click();
  await expect(app).toHaveAttribute('data-appearance', 'dark'); // a live preview, before Save
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(app).toHaveAttribute('data-appearance', 'light');
  expect((await served.call('settings.get', {})).theme).toBe('system');

  dialog = await open();
  // Save and Cancel end the dialog, below the vault's section (scrolled to its end: before
  // that they stick to the dialog's bottom edge).
  await dialog.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const actions = await dialog.getByTestId('settings-actions').boundingBox();
  const vault = await dialog.getByTestId('vault-status').boundingBox();
  expect(actions!.y).toBeGreaterThan(vault!.y + vault!.height - 1);
  await dialog.evaluate((el) => el.scrollTo({ top: 0 }));
  // Launch at login cannot apply to `tokendesk serve`: not offered, and the dialog says why.
  await expect(dialog.getByText('Launch TokenDesk at login')).toHaveCount(0);
  await expect(dialog.getByRole('switch')).toHaveCount(0);
  await expect(dialog.getByTestId('desktop-only-note')).toContainText('Launch at login is a desktop app setting');
  expect(await axeViolations(page, '[data-testid="settings-dialog"]')).toEqual([]);

  // A validation error appears in space kept for it: no field moves.
  const fields = ['#s-percent', '#s-minSeconds', '#s-maxMinutes', '#s-clipboard'];
  // Positions within the dialog's content (it may scroll to show an error): a field that moves there re-flowed.
  const boxes = async () =>
    dialog.evaluate((el, selectors) => selectors.map((sel) => {
      const box = el.querySelector(sel)!.getBoundingClientRect();
      const origin = el.getBoundingClientRect();
      return { x: box.x - origin.x, y: box.y - origin.y + el.scrollTop, width: box.width, height: box.height };
    }), fields);
  const before = await boxes();
  await dialog.locator('#s-percent').fill('80');
  await dialog.locator('#s-clipboard').fill('1.5');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByTestId('s-margin-error')).toHaveText('Share of lifetime must be more than 0 % and at most 50 %');
  await expect(dialog.getByTestId('s-clipboard-error')).toHaveText('Clear the clipboard after must be whole seconds (0 = never)');
  await expect(dialog.locator('#s-percent')).toHaveAttribute('aria-invalid', 'true');
  expect(await boxes()).toEqual(before);
  await screenshot(page, 'settings-error');

  await dialog.locator('#s-percent').fill('25');
  await dialog.locator('#s-clipboard').fill('30');
  await dialog.getByRole('radio', { name: 'Dark' }).click();
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(app).toHaveAttribute('data-appearance', 'dark');
  expect(await served.call('settings.get', {})).toMatchObject({ theme: 'dark', refreshMarginPolicy: { fraction: 0.25 } });
  await served.call('settings.set', { ...(await served.call('settings.get', {})), theme: 'system' });
});

test('Help: every status the list shows, what TokenDesk does and what you do; the shortcuts; docs that open in the browser', async ({ page }) => {
  const cspViolations = await watchCsp(page);
  await page.goto(served.url);
  await page.getByRole('button', { name: 'Help' }).click();
  const help = page.getByRole('dialog', { name: 'Help' });
  await expect(help).toBeVisible();
  const glossary = help.getByTestId('status-glossary');
  for (const status of ACCOUNT_STATUSES) {
    const entry = glossary.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: STATUS_LABELS[status], exact: true }) });
    await expect(entry, status).toHaveCount(1);
    await expect(entry.locator('td'), status).toHaveCount(2);
  }
  await expect(glossary.locator('tbody tr')).toHaveCount(ACCOUNT_STATUSES.length + 1); // and "Not saved"
  await expect(glossary).toContainText('Not saved');
  await expect(help.getByTestId('failure-glossary')).toContainText('rate limited');
  await screenshot(page, 'help-statuses');
  expect(await axeViolations(page, '[data-testid="help-dialog"]')).toEqual([]);

  await help.getByRole('tab', { name: 'Shortcuts' }).click();
  await expect(help.locator('table.shortcuts')).toContainText('Search accounts');
  await help.getByRole('tab', { name: 'Documentation' }).click();
  await expect(help.getByTestId('bundled-docs')).toContainText('README.md');
  const links = help.getByTestId('doc-links').getByRole('link');
  expect(await links.count()).toBeGreaterThan(3);
  for (const link of await links.all()) {
    const href = (await link.getAttribute('href'))!;
    expect(allowedExternalUrl(href), href).toBe(href);
    await expect(link).toHaveAttribute('target', '_blank');
  }
  await screenshot(page, 'help-docs');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  expect(await cspViolations()).toEqual([]);
});
