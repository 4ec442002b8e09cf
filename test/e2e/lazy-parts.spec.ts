// The parts loaded on demand (src/renderer/src/components/lazy-parts.tsx) against the real
// `tokendesk serve`: while a part's chunk is on its way, its place says "Loading…" as a
// polite status, in the same container; when the chunk arrives the part replaces it. A
// shortcut pressed before its dialog's chunk arrived still opens the dialog. The chunks are
// held back with page.route until the test releases them.
import { readdirSync } from 'node:fs';
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

/** Holds every request matching `url` until the returned function is called, then lets it through (or fails it, with `abort`). */
async function holdRequests(page: Page, url: RegExp, outcome: 'continue' | 'abort' = 'continue'): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    await released;
    await (outcome === 'abort' ? route.abort() : route.continue());
  });
  return release;
}

/** Holds every request for the chunk named `part` until the returned function is called. */
const holdChunk = (page: Page, part: string) => holdRequests(page, new RegExp(`/assets/${part}-[^/]+\\.js$`));

/** Opens the first account while something its details need is held: Loading… in the pane until `release`, then the account. */
async function openDetailsWhileHeld(page: Page, release: () => void): Promise<void> {
  await page.goto(served.url);
  await page.locator('.list-row').first().click();
  const pane = page.getByRole('complementary', { name: 'Account details' });
  await expect(pane.getByRole('status')).toHaveText('Loading…');
  await expect(page.getByTestId('account-details')).toHaveCount(0);
  release();
  await expect(page.getByTestId('account-details')).toBeVisible();
  await expect(pane.getByText('Loading…')).toHaveCount(0);
}

test('the details pane says Loading… in its place until its chunk arrives, then shows the account', async ({ page }) => {
  await openDetailsWhileHeld(page, await holdChunk(page, 'AccountDetails'));
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

// The first screen's stylesheet leaves out the rules of components only these parts use
// (build/first-screen-css.ts); the full one replaces it before the first part renders.

const FULL_SHEET = /\/assets\/[^/]+-full-[^/]+\.css$/;

/** Holds the full stylesheet until the returned function is called (or fails it, with `abort`). */
const holdFullSheet = (page: Page, outcome: 'continue' | 'abort' = 'continue') => holdRequests(page, FULL_SHEET, outcome);

/** The page's stylesheet links, by file name, in document order. */
const sheets = (page: Page) => page.evaluate<string[]>(`[...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => new URL(l.href).pathname.split('/').pop())`);

/** Every element's computed style (custom properties aside: the build drops those nothing reads). */
const computedStyles = (page: Page) =>
  page.evaluate<string[]>(`[...document.body.querySelectorAll('*')].map((el) => {
    const cs = getComputedStyle(el);
    const props = [];
    for (let i = 0; i < cs.length; i++) if (!cs[i].startsWith('--')) props.push(cs[i] + ':' + cs.getPropertyValue(cs[i]));
    return el.tagName + '.' + (el.getAttribute('class') ?? '') + ' ' + props.join(';');
  })`);

test('the first screen looks the same on its own stylesheet as on the full one, which then takes its place', async ({ page }) => {
  await page.clock.setFixedTime(new Date('2026-12-02T12:00:00Z')); // the countdowns' text (and widths) stay put
  const release = await holdFullSheet(page);
  await page.goto(served.url);
  await page.locator('.list-row').first().waitFor();
  // Once idle, the page fetches the parts, with their own small stylesheets: wait for all of them.
  const partSheets = readdirSync('out/renderer/assets').filter((f) => f.endsWith('.css') && !f.startsWith('index-'));
  const loaded = () => page.evaluate<number>(`[...document.querySelectorAll('link[rel="stylesheet"]')].filter((l) => l.sheet).length`);
  await expect.poll(loaded).toBe(1 + partSheets.length);
  const [first] = await sheets(page);
  expect(first).toMatch(/^index-[^-]+\.css$/);
  const before = await computedStyles(page);

  release();
  await expect.poll(async () => (await sheets(page))[0]).toMatch(/-full-[^/]+\.css$/);
  expect((await sheets(page)).filter((s) => /^index-/.test(s))).toEqual([expect.stringMatching(/-full-/)]);
  expect(await computedStyles(page)).toEqual(before);
});

test('a part waits for the full stylesheet before it renders, and renders styled', async ({ page }) => {
  await openDetailsWhileHeld(page, await holdFullSheet(page));
  // Help's dialog is drawn by rules only the full sheet has.
  await page.keyboard.press('?');
  const help = page.getByTestId('help-dialog');
  await expect(help).toBeVisible();
  expect(await help.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el.closest('.rt-DialogContent') ?? el).borderTopLeftRadius)).not.toBe('0px');
});

test('when the full stylesheet does not load, a pane says so in its place and a dialog in a toast', async ({ page }) => {
  const fail = await holdFullSheet(page, 'abort');
  await page.goto(served.url);
  await page.locator('.list-row').first().click();
  fail();
  const pane = page.getByRole('complementary', { name: 'Account details' });
  await expect(pane.getByRole('alert')).toHaveText(/The account details did not load: TokenDesk did not send its files\. Reload the page to try again\./);
  await expect(pane.getByRole('button', { name: 'Reload' })).toBeVisible();

  await page.getByRole('tab', { name: 'Accounts' }).focus();
  await page.keyboard.press('?');
  await expect(page.getByTestId('toast').filter({ hasText: 'Help did not load' })).toBeVisible();
  await expect(page.getByTestId('help-dialog')).toHaveCount(0);
  // The first screen is still there and working.
  await expect(page.locator('.list-row')).toHaveCount(3);
});
