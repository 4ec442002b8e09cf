// Refresh-token expiry warnings in Chromium against `tokendesk serve` and the UPS simulator:
// a UPS refresh token that lives only 5 more days (the simulator issues it with a short
// refresh_token_expires_in) is named in the accounts list and in the details with Sign in as
// the way out; signing in again clears it; the setting (default 7 days) moves the window; and
// `tokendesk list` says so too.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { addFromSimulator, E2E_PASSPHRASE, startServe, type Served } from './support/serve.js';
import { screenshot, startSims } from './support/fixtures.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;
const DAY_SEC = 86_400;

test.beforeAll(async () => {
  sims = await startSims({ ups: { accessTtlSec: 3600 } });
  served = await startServe();
  // 5 days left of a refresh token UPS would give 60: inside the default 7-day window.
  const short = sims.ups.issue({ refreshTtlSec: 5 * DAY_SEC });
  const { access_token: _unused, ...values } = { ...short.settings, ...short.secrets };
  await served.call('accounts.add', { providerId: 'ups', name: 'ups-expiring', baseUrl: sims.ups.url, values });
  await addFromSimulator(served, sims.ups, 'ups-fresh');
  // The first refresh learns each refresh token's expiry from refresh_token_expires_in.
  await expect
    .poll(async () => (await served.call('accounts.list')).filter((a) => a.refreshTokenExpiresAt !== undefined).length, { timeout: 20_000 })
    .toBe(2);
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

const row = (page: Page, name: string) => page.locator(`.list-row[data-account-name="${name}"]`);

test('the list and the details warn before a refresh token dies, with Sign in as the action; signing in clears it', async ({ page, context }) => {
  await page.goto(served.url);
  // Short in the narrow column, the whole sentence for screen readers and in the tooltip.
  const note = row(page, 'ups-expiring').getByTestId('rt-warning');
  await expect(note).toContainText('5 days to sign in');
  await expect(note.locator('.sr-only')).toHaveText('Refresh token expires in 5 days — sign in');
  await note.hover();
  await expect(page.getByRole('tooltip')).toContainText('Refresh token expires in 5 days — sign in (');
  await expect(row(page, 'ups-fresh')).toBeVisible();
  await expect(row(page, 'ups-fresh').getByTestId('rt-warning')).toHaveCount(0);

  await page.mouse.move(0, 0);
  await row(page, 'ups-expiring').click();
  const callout = page.getByTestId('rt-warning-callout');
  await expect(callout).toContainText('Refresh token expires in 5 days — sign in.');
  await expect(callout).toContainText('refreshing does not extend it');
  await screenshot(page, 'refresh-token-warning');

  // Sign in, from the warning: a new refresh token with UPS's full life, and the warning is gone.
  const opened = context.waitForEvent('page');
  await callout.getByTestId('sign-in').click();
  const consent = await opened;
  await consent.waitForURL(/\/oauth\/authorize\?/);
  await consent.getByRole('button', { name: 'Approve' }).click();
  await expect(consent.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await consent.close();
  await expect(callout).toHaveCount(0, { timeout: 15_000 });
  await expect(row(page, 'ups-expiring').getByTestId('rt-warning')).toHaveCount(0);
  const account = await served.call('accounts.get', { account: 'ups-expiring' });
  expect(account.refreshTokenExpiresAt! - Date.now()).toBeGreaterThan(50 * DAY_SEC * 1000);
});

test('the warning window is a setting: validated, and applied at once', async ({ page }) => {
  const short = sims.ups.issue({ refreshTtlSec: 2 * DAY_SEC });
  const { access_token: _unused, ...values } = { ...short.settings, ...short.secrets };
  await served.call('accounts.add', { providerId: 'ups', name: 'ups-two-days', baseUrl: sims.ups.url, values });
  await expect.poll(async () => (await served.call('accounts.get', { account: 'ups-two-days' })).refreshTokenExpiresAt, { timeout: 20_000 }).toBeDefined();
  await page.goto(served.url);
  await expect(row(page, 'ups-two-days').getByTestId('rt-warning')).toContainText('2 days to sign in');

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('settings-dialog');
  const field = settings.locator('#s-warningDays');
  await expect(field).toHaveValue('7');
  await field.fill('1.5');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings).toContainText('Warn before a refresh token expires must be whole days from 0 to 365 (0 = never)');
  await field.fill('1');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings).toHaveCount(0);
  await expect(row(page, 'ups-two-days').getByTestId('rt-warning')).toHaveCount(0);
  expect((await served.call('settings.get')).refreshTokenWarningDays).toBe(1);
  await served.call('settings.set', { refreshTokenWarningDays: 7 });
});

test('`tokendesk list` names a refresh token that dies soon', async () => {
  const cli = path.resolve('out/main/cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--data-dir', served.dataDir, 'list'], {
    env: { ...process.env, TOKENDESK_PASSPHRASE: E2E_PASSPHRASE, TOKENDESK_HOME: served.dataDir },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('ups-two-days'));
  expect(line).toContain('active; refresh token expires in 2 days, sign in again');
  expect(stdout.split('\n').find((l) => l.startsWith('ups-fresh'))).not.toContain('refresh token');
});
