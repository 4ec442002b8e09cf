// The dashboard's layout from 600 px wide up, on the demo (`tokendesk serve --demo`): no
// horizontal page scroll at any size, the header's controls on screen, clickable and clear of
// the summary badges; below the breakpoint the details are a drawer that Escape closes,
// giving the focus back; at 1280×800 the details pane holds its actions on one line and its
// recent refreshes within its width, and the list's cells show their whole values; the
// account and settings dialogs keep Save in view.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { escapeToClose, watchCsp } from './support/fixtures.js';
import { startServe, type Served } from './support/serve.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let tmp: string;

const ROTATING = 'Rotates its refresh token';
const REJECTED = 'Refresh token rejected';
const SIZES = [
  { width: 600, height: 800 },
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
];

test.beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'td-layout-'));
  served = await startServe({ args: ['--demo'], env: { TMPDIR: tmp } });
  // The rejected account failed (its "last refresh" reads "failed · …") and has a message in its history.
  await expect
    .poll(async () => (await served.call('history.list', { limit: 50 })).some((e) => e.outcome === 'error' && e.message), { timeout: 30_000 })
    .toBe(true);
});

test.afterAll(async () => {
  await served?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function row(page: Page, name: string): Locator {
  return page.locator(`.list-row[data-account-name="${name}"]`);
}

async function open(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.goto(served.url);
  await expect(row(page, REJECTED)).toBeVisible();
  await expect(row(page, ROTATING)).toBeVisible();
}

/** How far the page scrolls sideways (0 when it does not). */
async function sidewaysScroll(page: Page): Promise<number> {
  return Number(await page.evaluate('document.scrollingElement.scrollWidth - innerWidth'));
}

/** Whether the element is wholly inside the viewport and its centre hits it (nothing covers it). */
function onScreenAndHittable(locator: Locator): Promise<{ inside: boolean; hit: boolean }> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const view = el.ownerDocument.defaultView!;
    const hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { inside: r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= view.innerWidth && r.bottom <= view.innerHeight, hit: hit !== null && el.contains(hit) };
  });
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

for (const size of SIZES) {
  test(`${size.width}×${size.height}: no sideways scroll in any view; the header's controls on screen, clickable, clear of the badges`, async ({ page }) => {
    await open(page, size);
    const header = page.locator('header');
    for (const name of ['Add account', 'Settings', 'Help']) {
      expect(await onScreenAndHittable(header.getByRole('button', { name })), name).toEqual({ inside: true, hit: true });
    }
    const toggle = await page.locator('.pause-all').boundingBox();
    const badges = page.locator('header .rt-Badge');
    expect(await badges.count()).toBeGreaterThanOrEqual(3); // DEMO, the count, "need attention"
    for (const badge of await badges.all()) {
      expect(overlaps(toggle!, (await badge.boundingBox())!), `auto-refresh switch over "${await badge.textContent()}"`).toBe(false);
    }
    expect(await sidewaysScroll(page), 'list').toBeLessThanOrEqual(0);

    await row(page, ROTATING).click();
    await expect(page.getByTestId('account-details')).toBeVisible();
    expect(await sidewaysScroll(page), 'details').toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('account-details')).toHaveCount(0);

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.getByTestId('now-line')).toBeVisible();
    expect(await sidewaysScroll(page), 'timeline').toBeLessThanOrEqual(0);

    await page.getByRole('tab', { name: 'History' }).click();
    await expect(page.getByTestId('history-table')).toBeVisible();
    expect(await sidewaysScroll(page), 'history').toBeLessThanOrEqual(0);
    // Nor do its rows: where the columns do not fit, each row is a block of labelled fields.
    const historyRows = page.getByRole('region', { name: 'History rows' });
    expect(await historyRows.evaluate((el) => el.scrollWidth - el.clientWidth), 'history rows').toBeLessThanOrEqual(0);
    const table = page.getByTestId('history-table');
    const httpCell = table.locator('tbody td[data-label="HTTP"]:not([data-empty])').first();
    await expect(httpCell).toBeVisible();
    const httpLabel = await httpCell.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el, '::before').content);
    if (size.width < 1000) expect(httpLabel).toBe('"HTTP "');
    else {
      expect(httpLabel).toBe('none');
      await expect(table.getByRole('columnheader', { name: 'HTTP' })).toBeVisible();
    }
    // Either way a table for assistive technology: its headers and cells keep their roles.
    await expect(table.getByRole('columnheader')).toHaveCount(11);
    expect(await table.locator('tbody tr').first().getByRole('cell').count()).toBeGreaterThanOrEqual(5);

    // "Add account" opens the form from any width.
    await header.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('account-form')).toBeVisible();
  });
}

for (const size of SIZES.slice(0, 2)) {
  test(`${size.width}×${size.height}: the details are a drawer over the full-width list; Escape closes it and the focus returns to the list`, async ({ page }) => {
    // The drawer's scroll lock keeps to the page's CSP (its <style> carries the nonce).
    const cspViolations = await watchCsp(page);
    await open(page, size);
    const list = page.getByTestId('account-list');
    const listWidth = (await list.boundingBox())!.width;

    // By keyboard: the list has the focus, Enter opens the active account.
    await list.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await expect(drawer).toBeVisible();
    await expect(drawer.getByTestId('account-details')).toBeVisible();
    await expect(page.locator('aside')).toHaveCount(0);
    // Over the page, not beside the list: the list keeps its width.
    expect((await list.boundingBox())!.width).toBe(listWidth);
    const box = (await drawer.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    expect(box.height).toBe(size.height);
    // The focus moved into the drawer.
    expect(await drawer.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);

    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);
    await expect(list).toBeFocused();

    // By mouse, closed with its close button: the focus returns to the list too. Escape in a
    // confirmation opened from the drawer closes only the confirmation.
    await row(page, ROTATING).click();
    const details = page.getByRole('dialog', { name: `${ROTATING}: details` });
    await expect(details).toBeVisible();
    await details.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('revoke-dialog')).toBeVisible();
    await escapeToClose(page, page.getByTestId('revoke-dialog'));
    await expect(details).toBeVisible();
    // An Escape the moment the confirmation opens, before it listens for the key, is not the
    // drawer's: the drawer stays open under it.
    // (Pressed from the DOM change that shows the confirmation, before any later render.)
    await page.evaluate(`new Promise((resolve) => {
      const escapeOnceShown = new MutationObserver(() => {
        const confirmation = document.querySelector('[data-testid="revoke-dialog"]');
        if (!confirmation) return;
        escapeOnceShown.disconnect();
        confirmation.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
        resolve();
      });
      escapeOnceShown.observe(document.body, { childList: true, subtree: true });
      [...document.querySelectorAll('[data-testid="details-drawer"] button')].find((b) => b.textContent.trim() === 'Revoke').click();
    })`);
    await expect(page.getByTestId('revoke-dialog')).toBeVisible();
    await expect(details).toBeVisible();
    await escapeToClose(page, page.getByTestId('revoke-dialog'));
    await expect(details).toBeVisible();
    await page.getByRole('button', { name: 'Close account details' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(list).toBeFocused();

    // "All history of this account" closes the drawer on the History tab: the focus goes to its panel.
    await row(page, ROTATING).click();
    await page.getByRole('button', { name: 'All history of this account' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('tabpanel', { name: 'History' })).toBeFocused();
    expect(await cspViolations()).toEqual([]);
  });
}

test('1280×800: the details pane sits beside the list, its actions on one line, its recent refreshes within its width; list cells are not cut', async ({ page }) => {
  await open(page, { width: 1280, height: 800 });
  const pane = page.locator('aside.details-pane');
  // UPS and OAuth 2.0 have the most actions (Sign in again, a menu of two ways for OAuth 2.0).
  for (const name of [ROTATING, '90-second tokens', REJECTED]) {
    await row(page, name).click();
    await expect(pane.getByRole('heading', { name })).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    const tops = await pane.getByRole('toolbar').getByRole('button').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(tops.length, name).toBeGreaterThanOrEqual(5);
    expect(new Set(tops).size, `${name}: action buttons on one line (tops ${tops.join(', ')})`).toBe(1);

    const table = pane.getByTestId('history-table');
    await expect(table.locator('tbody tr').first()).toBeVisible();
    const fit = await pane.evaluate((el) => {
      const t = el.querySelector('table')!;
      const inner = el.getBoundingClientRect().right - parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).paddingRight);
      return { paneOverflow: el.scrollWidth - el.clientWidth, tableRight: t.getBoundingClientRect().right, inner };
    });
    expect(fit.paneOverflow, `${name}: the pane scrolls sideways`).toBeLessThanOrEqual(0);
    expect(fit.tableRight, `${name}: the table is wider than the pane`).toBeLessThanOrEqual(fit.inner + 0.5);
  }
  // The rejected account's error message is in the table, not cut off.
  const message = pane.locator('.history-message').filter({ hasText: /\S/ }).first();
  await expect(message).toBeVisible();
  expect(await message.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  // With the pane open, every status, expiry, next and last refresh shows whole (only names may truncate).
  const cut = await page.locator('.list-row .cell:not(.col-name)').evaluateAll((cells) =>
    cells.filter((c) => c.ownerDocument.defaultView!.getComputedStyle(c).display !== 'none' && c.scrollWidth > c.clientWidth).map((c) => `${c.className}: ${c.textContent}`),
  );
  expect(cut).toEqual([]);
  await expect(page.locator('.list-header .col-last')).toBeVisible();
  await expect(row(page, REJECTED).locator('.col-last')).toContainText('failed ·');
});

for (const size of [
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
]) {
  test(`${size.width}×${size.height}: the account form and the settings keep their Save button in view`, async ({ page }) => {
    await open(page, size);
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByTestId('account-form');
    await form.getByRole('radio', { name: 'UPS', exact: true }).click();
    const save = form.locator('button[type="submit"]');
    expect(await onScreenAndHittable(save)).toEqual({ inside: true, hit: true });
    // Wherever the form is scrolled to.
    for (const to of ['top', 'bottom'] as const) {
      await form.evaluate((el, where) => el.scrollTo({ top: where === 'top' ? 0 : el.scrollHeight }), to);
      expect(await onScreenAndHittable(save), `scrolled to the ${to}`).toEqual({ inside: true, hit: true });
    }
    await page.keyboard.press('Escape');
    await expect(form).toHaveCount(0);

    // Edit keeps it in view too.
    await row(page, ROTATING).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    expect(await onScreenAndHittable(form.getByRole('button', { name: 'Save changes' }))).toEqual({ inside: true, hit: true });
    await page.keyboard.press('Escape');
    await expect(form).toHaveCount(0);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByTestId('settings-dialog');
    await expect(settings).toBeVisible();
    expect(await onScreenAndHittable(settings.getByRole('button', { name: 'Save settings' }))).toEqual({ inside: true, hit: true });
  });
}
