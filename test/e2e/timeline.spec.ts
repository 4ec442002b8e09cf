// The expiry timeline's markers in Chromium against `tokendesk serve` and the simulators:
// quick refreshes merge into one marker with a count; every marker has a tooltip (what,
// when, outcome, message) on hover and on keyboard focus; arrow keys move between markers
// and rows; the row's words count in correct plurals; the "refresh token until" label sits
// inside its row.
import { expect, test, type Page } from '@playwright/test';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { screenshot, startSims } from './support/fixtures.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeAll(async () => {
  sims = await startSims({ ups: { accessTtlSec: 3600 }, teamup: { accessTtlSec: 600 } });
  served = await startServe();
  await addFromSimulator(served, sims.ups, 'ups-prod');
  await addFromSimulator(served, sims.teamup, 'teamup-busy');
  await expect.poll(async () => (await served.call('accounts.list')).filter((a) => a.hasAccessToken).length, { timeout: 20_000 }).toBe(2);
  // The refresh the engine starts for a new account is over first: a manual one would join it.
  await expect.poll(async () => (await served.call('history.list', { account: 'teamup-busy', actions: ['refreshed'] })).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  // Quick refreshes of one account, one of them refused by a 503: they land seconds apart.
  await served.call('accounts.refresh', { account: 'teamup-busy' });
  sims.teamup.fail({ kind: 'server_error' }, 1);
  await served.call('accounts.refresh', { account: 'teamup-busy' }).catch(() => undefined);
  await served.call('accounts.refresh', { account: 'teamup-busy' });
  // A manual refresh may still join one the engine runs (a retry after the 503), so the count
  // is what the history says: at least two successes and the failure, the mix the marker shows.
  const refreshes = () => served.call('history.list', { account: 'teamup-busy', actions: ['refreshed'] });
  await expect.poll(async () => (await refreshes()).filter((e) => e.outcome === 'ok').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => (await refreshes()).filter((e) => e.outcome === 'error').length, { timeout: 20_000 }).toBe(1);
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

const tlRow = (page: Page, name: string) => page.locator(`.tl-row[data-account-name="${name}"]`);
/** The row's markers of past refreshes (single or merged). */
const eventMarkers = (page: Page, name: string) => tlRow(page, name).locator('.mark-event');

async function openTimeline(page: Page, zoom: string) {
  await page.goto(served.url);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('radio', { name: zoom }).click();
}

test('quick refreshes merge into one marker with a count; its tooltip lists them with outcome and message', async ({ page }) => {
  await openTimeline(page, '15 min');
  const events = (await served.call('history.list', { account: 'teamup-busy', actions: ['refreshed'] })).length;
  const merged = eventMarkers(page, 'teamup-busy');
  await expect(merged).toHaveCount(1);
  await expect(merged).toHaveAttribute('data-count', String(events));
  await expect(merged).toHaveAttribute('data-testid', 'mark-mixed');
  await expect(merged).toContainText(String(events));

  await merged.hover();
  const tip = page.getByRole('tooltip');
  await expect(tip).toContainText(`${events} refreshes`);
  await expect(tip).toContainText('1 failed');
  await expect(tip).toContainText(/Manual refresh at (\d+ \w+ )?\d\d:\d\d:\d\d: failed \(temporary error\)/);
  await expect(tip).toContainText('Manual refresh at');
  await expect(tip).toContainText(': ok');
  await screenshot(page, 'timeline-merged-marker');

  // One refresh in view is "1 refresh", not "1 refreshes".
  await expect(eventMarkers(page, 'ups-prod')).toHaveCount(1);
  await expect(tlRow(page, 'ups-prod')).toHaveAttribute('aria-label', /; 1 refresh in view;/);
  await expect(tlRow(page, 'teamup-busy')).toHaveAttribute('aria-label', new RegExp(`; ${events} refreshes in view \\(1 failed\\)`));
});

test('markers take keyboard focus: arrows move between them and to the next row, the tooltip follows focus, Escape returns to the rows', async ({ page }) => {
  await openTimeline(page, '15 min');
  const grid = page.getByRole('grid', { name: /Expiry timeline/ });
  await grid.focus();
  // Rows in list order; go to teamup-busy's row with the arrows.
  const names = await page.locator('.tl-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account-name')));
  const busy = names.indexOf('teamup-busy');
  const other = names.indexOf('ups-prod');
  for (let i = 0; i < busy; i++) await page.keyboard.press('ArrowDown');
  await expect(grid).toHaveAttribute('aria-activedescendant', /tl-row-/);

  await page.keyboard.press('ArrowRight');
  const merged = eventMarkers(page, 'teamup-busy');
  await expect(merged).toBeFocused();
  await expect(page.getByRole('tooltip')).toContainText('refreshes');

  await page.keyboard.press('ArrowRight');
  const next = tlRow(page, 'teamup-busy').getByTestId('mark-next');
  await expect(next).toBeFocused();
  await expect(page.getByRole('tooltip')).toContainText('Next refresh');
  await page.keyboard.press('ArrowLeft');
  await expect(merged).toBeFocused();

  // Up or down: the nearest marker of the neighbouring row.
  await page.keyboard.press(other < busy ? 'ArrowUp' : 'ArrowDown');
  await expect(eventMarkers(page, 'ups-prod')).toBeFocused();
  await expect(page.getByRole('tooltip')).toContainText(/Manual refresh at|Refresh at startup|Scheduled refresh at/);
  await screenshot(page, 'timeline-marker-focus');

  // Enter opens the account of the focused marker; Escape returns to the rows.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-details')).toContainText('ups-prod');
  await eventMarkers(page, 'ups-prod').focus();
  await page.keyboard.press('Escape');
  await expect(grid).toBeFocused();
});

test('"refresh token until …" sits inside its row, centred like the other marks', async ({ page }) => {
  await openTimeline(page, '1 day');
  const row = tlRow(page, 'ups-prod');
  const label = row.locator('.rt-beyond');
  await expect(label).toContainText('refresh token until');
  const r = (await row.boundingBox())!;
  const l = (await label.boundingBox())!;
  expect(l.y).toBeGreaterThanOrEqual(r.y + 2);
  expect(l.y + l.height).toBeLessThanOrEqual(r.y + r.height - 2);
  expect(Math.abs(l.y + l.height / 2 - (r.y + r.height / 2))).toBeLessThanOrEqual(2);
  await screenshot(page, 'timeline-rt-label');
});
