// One whole journey with the keyboard only — add an account, find it, refresh it, open
// and cancel the revoke dialog, pause it, look at the timeline and the history — against
// the real `tokendesk serve`. No mouse event is sent.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startServe, type Served } from './support/serve.js';
import { escapeToClose, screenshot, startSims } from './support/fixtures.js';

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeEach(async () => {
  sims = await startSims({ pathstack: {} });
  served = await startServe();
});

test.afterEach(async () => {
  await served?.stop();
  await sims?.closeAll();
});

/**
 * Presses Tab until `target` has the focus (keyboard only; fails after `max` presses). Arrow
 * keys move the focus a task later (Radix's roving focus), so each arrow press waits for the
 * focus to leave the element it was on before the next.
 */
async function tabTo(page: Page, target: Locator, max = 40, key = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) return;
    const before = key.startsWith('Arrow') ? await page.locator(':focus').elementHandle() : null;
    await page.keyboard.press(key);
    if (before) {
      await expect.poll(() => before.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(false);
      await before.dispose();
    }
  }
  await expect(target).toBeFocused();
}

test('a whole journey by keyboard only', async ({ page }) => {
  test.setTimeout(90_000);
  const grant = sims.pathstack.issue();
  await page.goto(served.url);
  await expect(page.getByText('No accounts yet — add one')).toBeVisible();

  // N opens the add form; the provider cards take arrows.
  await page.keyboard.press('n');
  const form = page.getByTestId('account-form');
  await expect(form).toBeVisible();
  await tabTo(page, form.getByRole('radio', { name: 'UPS', exact: true }));
  const pathstack = form.getByRole('radio', { name: 'PathStack', exact: true });
  await tabTo(page, pathstack, 6, 'ArrowRight');
  await page.keyboard.press('Space');
  await expect(pathstack).toBeChecked();
  await expect(form.getByText('PathStack credentials')).toBeVisible();
  await tabTo(page, form.locator('#f-name'));
  await page.keyboard.type('keyboard-only');
  await tabTo(page, form.locator('#f-baseUrl'));
  await page.keyboard.type(sims.pathstack.url);
  await tabTo(page, form.locator('input[data-field="sub"]'));
  await page.keyboard.type(grant.settings['sub']!);
  await tabTo(page, form.locator('input[data-field="refresh_token"]'));
  await page.keyboard.type(grant.refreshToken);
  await page.keyboard.press('Enter'); // submits the form
  await expect(form).toHaveCount(0);
  const details = page.getByTestId('account-details');
  await expect(details).toContainText('keyboard-only');

  // / searches; Tab reaches the list; arrows, Enter and R act on the active row.
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(page.locator('#account-search')).toBeFocused();
  await page.keyboard.type('keyboard');
  const grid = page.getByTestId('account-list');
  await tabTo(page, grid);
  await page.keyboard.press('Home');
  await expect(grid).toHaveAttribute('aria-activedescendant', /account-row-/);
  await page.keyboard.press('Enter');
  await expect(details).toContainText('keyboard-only');
  await page.keyboard.press('r');
  await expect(page.getByTestId('action-result')).toContainText('Refreshed in', { timeout: 10_000 });
  await screenshot(page, 'keyboard-journey');

  // The revoke dialog opens with Enter and closes with Escape, handing the focus back.
  const revoke = details.getByRole('button', { name: 'Revoke' });
  await tabTo(page, revoke);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('revoke-dialog');
  await expect(dialog).toContainText('PathStack has no revocation endpoint');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await escapeToClose(page, dialog);
  await expect(revoke).toBeFocused();
  expect((await served.call('accounts.get', { account: 'keyboard-only' })).status).toBe('active');

  // Pause with the keyboard (Shift+Tab back to it).
  await tabTo(page, details.getByRole('button', { name: 'Pause' }), 10, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('.list-row[data-account-name="keyboard-only"]')).toContainText('Paused');

  // 2 and 3 switch tabs; the timeline zooms with + and −; ? lists the shortcuts.
  await page.keyboard.press('Escape');
  await page.keyboard.press('2');
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
  const timeline = page.locator('.timeline-scroll');
  await tabTo(page, timeline);
  await page.keyboard.press('-');
  await expect(page.getByRole('radio', { name: '6 hours' })).toBeChecked();
  await page.keyboard.press('+');
  await expect(page.getByRole('radio', { name: '1 hour' })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(details).toContainText('keyboard-only');
  await page.keyboard.press('Escape');
  await page.keyboard.press('3');
  await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('history-table').locator('tbody tr[data-trigger="manual"]')).toHaveCount(1);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Help' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
