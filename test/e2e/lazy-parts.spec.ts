// The parts loaded on demand (src/renderer/src/components/lazy-parts.tsx) against the real
// `tokendesk serve`: while a part's chunk is on its way, its place says "Loading…" as a
// polite status, in the same container; when the chunk arrives the part replaces it. A
// shortcut pressed before its dialog's chunk arrived still opens the dialog. The chunks are
// held back with page.route until the test releases them.
import { expect, test, type Page } from '@playwright/test';
import { startServe, type Served } from './support/serve.js';
import { seedAccounts } from './support/seed.js';

let served: Served;

test.beforeAll(async () => {
  served = await startServe();
  await seedAccounts(served, 3);
});

test.afterAll(async () => {
  await served?.stop();
});

/** Holds every request for the chunk named `part` until the returned function is called. */
async function holdChunk(page: Page, part: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(new RegExp(`/assets/${part}-[^/]+\\.js$`), async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('the details pane says Loading… in its place until its chunk arrives, then shows the account', async ({ page }) => {
  const release = await holdChunk(page, 'AccountDetails');
  await page.goto(served.url);
  await page.locator('.list-row').first().click();
  const pane = page.getByRole('complementary', { name: 'Account details' });
  await expect(pane.getByRole('status')).toHaveText('Loading…');
  await expect(page.getByTestId('account-details')).toHaveCount(0);
  release();
  await expect(page.getByTestId('account-details')).toBeVisible();
  await expect(pane.getByText('Loading…')).toHaveCount(0);
});

test('a tab says Loading… until its chunk arrives; ? pressed before the Help chunk arrived opens Help', async ({ page }) => {
  const releaseHistory = await holdChunk(page, 'HistoryTable');
  const releaseHelp = await holdChunk(page, 'ShortcutsDialog');
  await page.goto(served.url);
  await page.locator('.list-row').first().waitFor();

  await page.getByRole('tab', { name: 'History' }).click();
  const panel = page.getByRole('tabpanel', { name: 'History' });
  await expect(panel.getByRole('status')).toHaveText('Loading…');
  releaseHistory();
  await expect(panel.getByRole('table')).toBeVisible();
  await expect(panel.getByText('Loading…')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Accounts' }).click();
  await page.keyboard.press('?');
  await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toHaveCount(1);
  await expect(page.getByTestId('help-dialog')).toHaveCount(0);
  releaseHelp();
  await expect(page.getByTestId('help-dialog')).toBeVisible();
});
