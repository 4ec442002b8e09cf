// The dashboard's deep link `#/accounts/<id>`, which the desktop app loads when a
// notification or a tray entry is clicked: opening it shows that account — selected in the
// list and its details open — on load and on a later hashchange, also after the user has
// moved on, and a link to an account that no longer exists changes nothing.
import { expect, test } from '@playwright/test';
import { accountFragment } from '../../src/shared/routes.js';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { startSims } from './support/fixtures.js';

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeEach(async () => {
  sims = await startSims({ pathstack: {}, teamup: {} });
  served = await startServe();
});

test.afterEach(async () => {
  await served?.stop();
  await sims?.closeAll();
});

test('#/accounts/<id> selects that account and opens its details, on load and on hashchange', async ({ page }) => {
  const first = await addFromSimulator(served, sims.pathstack, 'alpha pathstack');
  const second = await addFromSimulator(served, sims.teamup, 'beta teamup');
  const details = page.getByTestId('account-details');
  const selectedRow = page.getByTestId('account-list').locator('[role="row"][aria-selected="true"]');

  // On load.
  await page.goto(served.url + accountFragment(second.id));
  await expect(details).toContainText('beta teamup');
  await expect(selectedRow).toHaveCount(1);
  await expect(selectedRow).toContainText('beta teamup');
  // The fragment is consumed, so the same link can be followed again later.
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('');

  // On hashchange, from another tab and a filter that hides the account.
  await page.getByRole('tab', { name: 'History' }).click();
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), accountFragment(first.id));
  await expect(page.getByRole('tab', { name: 'Accounts' })).toHaveAttribute('aria-selected', 'true');
  await expect(details).toContainText('alpha pathstack');
  await expect(selectedRow).toContainText('alpha pathstack');

  await page.locator('#account-search').fill('beta');
  await expect(page.getByTestId('account-list').locator('[role="row"]')).toHaveCount(1);
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), accountFragment(first.id));
  await expect(selectedRow).toContainText('alpha pathstack');
  await expect(page.locator('#account-search')).toHaveValue('');

  // The same link again after the user selected another account (a second notification click).
  await page.getByTestId('account-list').getByText('beta teamup').click();
  await expect(details).toContainText('beta teamup');
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), accountFragment(first.id));
  await expect(details).toContainText('alpha pathstack');

  // An account that is gone: nothing changes, nothing breaks.
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), accountFragment('acc_does_not_exist'));
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('');
  await expect(details).toContainText('alpha pathstack');
});
