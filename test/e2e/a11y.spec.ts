// Accessibility: axe-core (WCAG 2.x A/AA and best practices) over every view of the demo
// dashboard — list, details (beside the list and as a drawer), timeline, history and the
// add-account, settings and help dialogs — in the light and the dark theme. No rule is disabled: a serious or critical
// violation fails, and so does any content outside a landmark or a missing <main>.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startServe, type Served } from './support/serve.js';
import { escapeToClose } from './support/fixtures.js';

test.describe.configure({ mode: 'serial' });
// Nine axe runs of a few seconds each on a busy machine.
test.setTimeout(180_000);

let served: Served;
let tmp: string;

test.beforeAll(async () => {
  // The demo's data dir lives in the temp dir: a private one.
  tmp = mkdtempSync(path.join(tmpdir(), 'td-a11y-'));
  served = await startServe({ args: ['--demo'], env: { TMPDIR: tmp } });
  // Every kind of row on screen: an account needing the user, a failure in the history.
  await expect.poll(async () => (await served.call('accounts.list')).some((a) => a.status === 'reauth_required'), { timeout: 30_000 }).toBe(true);
});

test.afterAll(async () => {
  await served?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The violations that fail the test: serious or critical, and the landmark rules (moderate in axe). */
async function violations(page: Page): Promise<string[]> {
  // Let dialogs and tab changes finish animating in: axe reads the colours on screen.
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))`);
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-one-main' || v.id === 'region')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').slice(0, 200)}`));
}

for (const theme of ['light', 'dark'] as const) {
  test(`every view has no serious accessibility violation (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(served.url);
    await expect(page.locator(`.app[data-appearance="${theme}"]`)).toBeVisible();
    await expect(page.locator('.list-row[data-account-name="Refresh token rejected"]')).toBeVisible();
    const found: Record<string, string[]> = {};

    found['list'] = await violations(page);

    await page.locator('.list-row[data-account-name="Refresh token rejected"]').click();
    await expect(page.getByTestId('account-details')).toBeVisible();
    await expect(page.getByTestId('history-table')).toBeVisible();
    found['details'] = await violations(page);
    // A confirmation's solid red button (Revoke, Remove, Leave the team) over the page.
    await page.getByTestId('account-details').getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('revoke-dialog')).toBeVisible();
    found['revoke confirmation'] = await violations(page);
    await escapeToClose(page, page.getByTestId('revoke-dialog'));
    // In a narrow window the details are a drawer over the page.
    await page.setViewportSize({ width: 800, height: 600 });
    await expect(page.getByRole('dialog', { name: 'Refresh token rejected: details' })).toBeVisible();
    found['details drawer'] = await violations(page);
    await page.setViewportSize({ width: 1360, height: 820 });
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByRole('button', { name: 'Close account details' }).click();

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.getByTestId('now-line')).toBeVisible();
    found['timeline'] = await violations(page);

    await page.getByRole('tab', { name: 'History' }).click();
    await expect(page.getByTestId('history-table')).toBeVisible();
    found['history'] = await violations(page);
    // Narrower, its rows are blocks of labelled fields (HistoryTable.css).
    await page.setViewportSize({ width: 600, height: 800 });
    await expect(page.locator('.history-table thead')).toHaveCSS('position', 'absolute');
    found['history, 600 px'] = await violations(page);
    await page.setViewportSize({ width: 1360, height: 820 });

    await page.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('account-form')).toBeVisible();
    found['add account'] = await violations(page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('account-form')).toHaveCount(0);

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('settings-dialog')).toBeVisible();
    found['settings'] = await violations(page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);

    await page.getByRole('button', { name: 'Help' }).click();
    await expect(page.getByTestId('help-dialog')).toBeVisible();
    found['help'] = await violations(page);

    expect(found).toEqual({ list: [], details: [], 'revoke confirmation': [], 'details drawer': [], timeline: [], history: [], 'history, 600 px': [], 'add account': [], settings: [], help: [] });
  });
}
