// 1,000 accounts through the real `tokendesk serve`: the list and the timeline stay
// virtualised and usable (scroll to the end, filter, sort), and the figures — first render,
// one countdown tick — are printed (tests assert behaviour; bench/renderer.ts has the targets).
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServe, type Served } from './support/serve.js';
import { seedAccounts } from './support/seed.js';
import { formatFigures, measureRenderer } from './support/perf.js';
import { screenshot } from './support/fixtures.js';

const COUNT = 1000;
let served: Served;
let seedMs = 0;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  served = await startServe();
  seedMs = await seedAccounts(served, COUNT);
});

test.afterAll(async () => {
  await served?.stop();
});

test('1,000 accounts render smoothly: virtualised list and timeline, live countdowns, figures printed', async ({ page }) => {
  test.setTimeout(120_000);
  const figures = await measureRenderer(page, served.url);
  const report = `seeded ${COUNT} accounts through the WebSocket in ${(seedMs / 1000).toFixed(1)} s\n${formatFigures(figures)}`;
  console.log(`\n── renderer with ${COUNT} accounts ──\n${report}\n`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/renderer-perf.json', `${JSON.stringify({ seedMs, ...figures }, null, 2)}\n`);
  test.info().annotations.push({ type: 'figures', description: report.replace(/\n/g, '; ') });

  expect(figures.accounts).toBe(COUNT);
  expect(figures.domRows).toBeLessThan(60);
  expect(figures.ticks).toBeGreaterThanOrEqual(3);
  await expect(page.getByText(`${COUNT} accounts`, { exact: true }).first()).toBeVisible();

  // Keyboard to the very end of the list: the last account is rendered and active.
  const grid = page.getByTestId('account-list');
  await grid.focus();
  await page.keyboard.press('End');
  await expect(page.locator('.list-row[aria-rowindex="1000"]')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-details')).toBeVisible();

  // Filter and sort stay quick and exact.
  await page.locator('#account-search').fill('teamup-09');
  await expect(page.getByText('17 of 1000 accounts')).toBeVisible();
  await page.locator('#account-search').fill('');
  await page.getByRole('button', { name: /^Sort by account/ }).click();
  await expect(page.locator('.list-row').first()).toHaveAttribute('data-account-name', 'banyan-0003');
  await page.getByLabel('Filter by provider').selectOption('vaultist');
  await expect(page.getByText('166 of 1000 accounts')).toBeVisible();
  await page.getByLabel('Filter by provider').selectOption('all');

  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('radio', { name: '1 day' }).click();
  await expect(page.locator('.tl-row').first()).toBeVisible();
  expect(await page.locator('.tl-row').count()).toBeLessThan(80);
  await screenshot(page, 'timeline-1000');
});
