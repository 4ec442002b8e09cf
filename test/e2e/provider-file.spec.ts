// A seventh vendor added with nothing but a provider file (examples/providers/ledgerly.json),
// through the dashboard against the real `tokendesk serve` and the Ledgerly simulator: "Add a
// provider from file" refuses a bad file with the JSON paths, previews the good one with its
// secrets masked, saves it; the provider appears in the Add form; an account of it refreshes
// on its own (the ISO-date expiry schedules it, the renewal token rotates), and the vendor's
// EXPIRED — sent as HTTP 200 — is classified as "Sign in again". Another open dashboard hears of
// the new provider at once.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startLedgerlySimulator, type Simulator } from '../../src/simulators/index.js';
import { expectNoSecretsInDom, screenshot } from './support/fixtures.js';
import { startServe, type Served } from './support/serve.js';

const EXAMPLE = path.resolve('examples/providers/ledgerly.json');

let served: Served;
let sim: Simulator;

test.beforeAll(async () => {
  // 8-second tokens: the engine refreshes at half the lifetime, so the scheduled refresh comes soon.
  sim = await startLedgerlySimulator({ accessTtlSec: 8 });
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
  await sim?.close();
});

test('import a provider file, add an account of it, watch it refresh on its own and fail in words', async ({ page }) => {
  test.setTimeout(90_000);
  // A second dashboard, open before the import: it hears of the new provider (providers-changed).
  const other = await page.context().newPage();
  await other.goto(served.url);
  await expect(other.getByRole('heading', { name: 'TokenDesk' })).toBeVisible();
  await page.goto(served.url);
  await page.getByRole('button', { name: 'Add account' }).first().click();
  const form = page.getByTestId('account-form');
  await form.getByRole('button', { name: 'Add a provider from file…' }).click();
  const dialog = page.getByTestId('provider-file-dialog');

  // A bad file first: the problems with their JSON paths, and nothing to save.
  const bad = JSON.stringify({ format: 1, id: 'ledgerly', name: 'Ledgerly', summary: 's', fields: [], rotation: 'never' });
  await dialog.getByLabel('Provider definition JSON').fill(bad);
  await dialog.getByLabel('Provider definition JSON').blur();
  const problems = dialog.getByTestId('provider-file-problems');
  await expect(problems).toContainText('/fields');
  await expect(problems).toContainText('/refresh');
  await expect(dialog.getByRole('button', { name: 'Save provider' })).toBeDisabled();

  // The real file: what it will send, secrets masked, and what it reads from its sample.
  await dialog.getByLabel('Provider file').setInputFiles(EXAMPLE);
  const preview = dialog.getByTestId('provider-file-preview');
  await expect(preview).toContainText('POST https://api.ledgerly.example/v3/session/renew');
  await expect(preview).toContainText('X-Ledgerly-Key: «API key»');
  await expect(preview).toContainText('{"session":{"renewal":"«Renewal token»"}}');
  await expect(preview).toContainText('refresh token «11 characters» (rotated)');
  await screenshot(page, 'provider-file-preview');
  expect((await served.call('providers.list')).map((p) => p.id)).not.toContain('ledgerly');
  await dialog.getByRole('button', { name: 'Save provider' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(form.getByRole('radio', { name: 'Ledgerly', exact: true })).toBeChecked();
  expect((await served.call('providers.show', { id: 'ledgerly' })).revision).toBe(1);
  await other.getByRole('button', { name: 'Add account' }).first().click();
  await expect(other.getByTestId('account-form').getByRole('radio', { name: 'Ledgerly', exact: true })).toBeVisible();
  await other.close();

  // An account of the new provider, through the same form as the built-ins.
  const grant = sim.issue();
  await form.locator('#f-name').fill('books');
  await form.locator('#f-baseUrl').fill(sim.url);
  await form.locator('input[data-field="api_key"]').fill('not-a-key');
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByTestId('error-values.api_key')).toHaveText('A Ledgerly API key starts with lk_');
  await form.locator('input[data-field="api_key"]').fill(grant.secrets['api_key']!);
  await form.locator('input[data-field="refresh_token"]').fill(grant.refreshToken);
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form).toHaveCount(0);
  const row = page.locator('.list-row[data-account-name="books"]');
  await expect(row).toBeVisible();

  // Refreshes on its own: the first at once (no access token), the next scheduled from the ISO expiry.
  await expect.poll(async () => (await served.call('history.list', { account: 'books' })).filter((e) => e.trigger === 'scheduled' && e.outcome === 'ok').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  expect(sim.rotations.length).toBeGreaterThanOrEqual(2);
  const view = await served.call('accounts.get', { account: 'books' });
  expect(view).toMatchObject({ providerId: 'ledgerly', status: 'active', meta: { plan: 'team' } });
  expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(false);
  await screenshot(page, 'provider-file-account');

  // The vendor's EXPIRED comes as HTTP 200: classified, the account asks for a sign-in.
  sim.fail({ kind: 'vendor_error', code: 'EXPIRED' }, Infinity);
  await expect.poll(async () => (await served.call('accounts.get', { account: 'books' })).status, { timeout: 30_000 }).toBe('reauth_required');
  await expect(row).toContainText('Sign in again');
  const failed = (await served.call('history.list', { account: 'books', outcome: 'error' }))[0];
  expect(failed).toMatchObject({ errorClass: 'reauth_required', httpStatus: 200 });
  expect(failed?.message).toMatch(/EXPIRED/);

  // Still in use: the provider file cannot be removed.
  await expect(served.call('providers.remove', { id: 'ledgerly' })).rejects.toMatchObject({ code: 'conflict' });
  await expectNoSecretsInDom(page, [grant.secrets['api_key']!, grant.refreshToken]);
});
