// The History tab as an audit log, in Chromium against the real `tokendesk serve` and the
// simulators: every action done in the dashboard (add, edit, pause, resume, refresh, revoke,
// remove) becomes a row saying "dashboard" with its outcome and full date and time; a removed
// account's rows keep its name; the Outcome filter offers every outcome class; the rows
// shown download as CSV and as JSON.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { RefreshEvent } from '../../src/shared/domain.js';
import { HISTORY_CSV_COLUMNS } from '../../src/shared/history-export.js';
import { startServe, type Served } from './support/serve.js';
import { expectNoSecretsInDom, knownSecrets, screenshot, startSims } from './support/fixtures.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeAll(async () => {
  sims = await startSims({ ups: {} });
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

const row = (page: Page, name: string) => page.locator(`.list-row[data-account-name=${JSON.stringify(name)}]`);
const NAME = 'Audit, "UPS"';
const RENAMED = 'Audit UPS EU';

async function addInForm(page: Page): Promise<void> {
  const grant = sims.ups.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  await page.getByRole('banner').getByRole('button', { name: 'Add account' }).click();
  const form = page.getByTestId('account-form');
  await form.getByRole('radio', { name: 'UPS', exact: true }).click();
  const paste = form.getByRole('radio', { name: /^Paste a refresh token/ });
  if (await paste.count()) await paste.click();
  await form.locator('#f-name').fill(NAME);
  await form.locator('#f-baseUrl').fill(sims.ups.url);
  for (const [field, value] of Object.entries(values)) {
    const input = form.locator(`input[data-field="${field}"]`);
    if (await input.count()) await input.fill(value);
  }
  await form.getByRole('button', { name: 'Save account' }).click();
  await expect(form).toHaveCount(0);
  await expect(row(page, NAME)).toBeVisible();
}

async function editName(page: Page): Promise<void> {
  await row(page, NAME).click();
  await page.getByTestId('account-details').getByRole('button', { name: 'Edit' }).click();
  const form = page.getByTestId('account-form');
  await form.locator('#f-name').fill(RENAMED);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toHaveCount(0);
  await expect(row(page, RENAMED)).toBeVisible();
}

test('every dashboard action is a history row by "dashboard" with its outcome; the removed account keeps its name', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(served.url);
  await addInForm(page);
  // Added without an access token: the scheduler (the serve process itself) refreshes it at once.
  await expect.poll(async () => (await served.call('accounts.get', { account: NAME })).hasAccessToken, { timeout: 15_000 }).toBe(true);
  await editName(page);
  await row(page, RENAMED).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(row(page, RENAMED)).toContainText('Paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(row(page, RENAMED)).toContainText('Active');
  const dashboardRefreshes = async () => (await served.call('history.list', { actions: ['refreshed'] })).filter((e) => e.actor === 'dashboard').length;
  await page.getByTestId('refresh-now').click();
  await expect.poll(dashboardRefreshes).toBe(1);
  // A refused refresh: the vendor rate-limits the next one.
  sims.ups.fail({ kind: 'rate_limit', retryAfterSec: 600 });
  await page.getByTestId('refresh-now').click();
  await expect(row(page, RENAMED)).toContainText('Retrying');
  // The account's own recent history, in its details panel, shows the actions too.
  await expect(page.getByTestId('account-details').locator('tbody tr[data-action="paused"][data-actor="dashboard"]')).toHaveCount(1);
  await screenshot(page, 'history-audit-details');
  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByTestId('revoke-dialog').getByRole('button', { name: 'Delete tokens here' }).click();
  await expect(row(page, RENAMED)).toContainText('Revoked');
  await page.getByRole('button', { name: 'Remove' }).click();
  await page.getByTestId('remove-dialog').getByRole('button', { name: 'Remove account' }).click();
  await expect(row(page, RENAMED)).toHaveCount(0);

  await page.getByRole('tab', { name: 'History' }).click();
  const rows = page.locator('[data-testid="history-table"] tbody tr');
  const byDashboard = rows.and(page.locator('[data-actor="dashboard"]'));
  const expected = ['removed', 'revoked', 'refreshed', 'refreshed', 'resumed', 'paused', 'edited', 'added'];
  await expect.poll(async () => byDashboard.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')))).toEqual(expected);
  // Each row: full date and time, the account's name (kept after removal), the action, "dashboard", the outcome.
  for (const tr of await byDashboard.all()) {
    await expect(tr.locator('td').first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await expect(tr).toContainText('(removed)');
    await expect(tr).toContainText('dashboard');
  }
  await expect(byDashboard.nth(7)).toContainText(NAME);
  await expect(byDashboard.nth(0)).toContainText(RENAMED);
  await expect(byDashboard.nth(2)).toContainText('rate limited');
  await expect(byDashboard.nth(2)).toHaveAttribute('data-outcome-class', 'rate_limited');
  await expect(byDashboard.nth(6)).toContainText(`Changed name (was ${JSON.stringify(NAME)})`);
  // The serve process's own first refresh of the new account.
  await expect(rows.and(page.locator('[data-actor="daemon"][data-action="refreshed"]'))).toHaveCount(1);
  // Every row of the table has a date and time, not only today's.
  expect(await rows.locator('td:first-child').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)]));
  await screenshot(page, 'history-audit');
  await expectNoSecretsInDom(page, await knownSecrets([sims.ups], served));
});

test('the Outcome filter offers every outcome class and filters by it', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('tab', { name: 'History' }).click();
  const outcome = page.getByLabel('Filter history by outcome');
  await expect(outcome.locator('option')).toHaveText(['All outcomes', 'ok', 'any failure', 'sign in again', 'fix settings', 'rate limited', 'temporary']);
  const rows = page.locator('[data-testid="history-table"] tbody tr');
  await outcome.selectOption({ label: 'rate limited' });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-outcome-class', 'rate_limited');
  await outcome.selectOption({ label: 'sign in again' });
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await outcome.selectOption({ label: 'ok' });
  await expect(rows.and(page.locator('[data-outcome="error"]'))).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  await page.getByLabel('Filter history by action').selectOption({ label: 'paused' });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'paused');
});

test('Export CSV and Export JSON download the rows shown', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByLabel('Filter history by action').selectOption({ label: 'removed' });
  const rows = page.locator('[data-testid="history-table"] tbody tr');
  await expect(rows).toHaveCount(1);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^tokendesk-history-\d{8}-\d{6}\.csv$/);
  const csv = await readFile(await csvDownload.path(), 'utf8');
  const [header, line, ...rest] = csv.split('\r\n');
  expect(header).toBe(HISTORY_CSV_COLUMNS.join(','));
  expect(rest).toEqual(['']); // one row, CRLF-terminated
  expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,Audit UPS EU,[^,]+,removed,dashboard,manual,ok,,/);

  await page.getByLabel('Filter history by action').selectOption({ label: 'All actions' });
  await expect.poll(() => rows.count()).toBeGreaterThan(8);
  const shown = await rows.count();
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^tokendesk-history-\d{8}-\d{6}\.json$/);
  const exported = JSON.parse(await readFile(await jsonDownload.path(), 'utf8')) as RefreshEvent[];
  expect(exported).toHaveLength(shown);
  expect(exported).toEqual(await served.call('history.list', { limit: shown }));
  const added = exported.find((e) => e.action === 'added');
  expect(added).toMatchObject({ accountName: NAME, actor: 'dashboard', outcome: 'ok' });
  const secrets = await knownSecrets([sims.ups], served);
  for (const secret of secrets) expect(csv + JSON.stringify(exported)).not.toContain(secret);
});
