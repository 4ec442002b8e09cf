// The dashboard in Chromium against the real `tokendesk serve` and the six provider
// simulators: live countdowns, an automatic refresh landing in the history and on the
// timeline, a reauth_required account explained, the token inspector, and the promise
// that no secret reaches the page while it is masked. Screenshots in both themes.
import { expect, test, type Page } from '@playwright/test';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { expectNoSecretsInDom, knownSecrets, screenshot, startSims, watchCsp } from './support/fixtures.js';
import type { Simulator } from '../../src/simulators/index.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

const ACCOUNTS = [
  ['ups', 'ups-prod'],
  ['pathstack', 'pathstack-ci'],
  ['teamup', 'teamup-studio'],
  ['banyan', 'banyan-ops'],
  ['vaultist', 'vaultist-sandbox'],
  ['oauth2', 'okta-dev'],
] as const;

test.beforeAll(async () => {
  sims = await startSims({
    ups: { accessTtlSec: 3600 },
    // Short-lived: refreshed automatically every ~3 s while the tests watch.
    pathstack: { accessTtlSec: 6 },
    teamup: { accessTtlSec: 900 },
    banyan: { accessTtlSec: 1800 },
    vaultist: { accessTtlSec: 240 },
    oauth2: { accessTtlSec: 7200 },
  });
  served = await startServe();
  for (const [provider, name] of ACCOUNTS) await addFromSimulator(served, sims[provider], name);
  // A refresh token the vendor does not know: the first refresh ends in reauth_required.
  await served.call('accounts.add', {
    providerId: 'pathstack',
    name: 'pathstack-legacy',
    baseUrl: sims.pathstack.url,
    values: { sub: '3f2b8c1e-1111-4222-8333-444455556666', refresh_token: 'rt_this_refresh_token_was_never_issued' },
  });
  await expect
    .poll(async () => (await served.call('accounts.list')).filter((a) => a.hasAccessToken || a.status === 'reauth_required').length, { timeout: 20_000 })
    .toBe(7);
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

function row(page: Page, name: string) {
  return page.locator(`.list-row[data-account-name="${name}"]`);
}

test('every provider’s account appears with a live countdown; a reauth_required account is explained', async ({ page }) => {
  const violations = await watchCsp(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(served.url);
  await expect(page.getByRole('heading', { name: 'TokenDesk' })).toBeVisible();
  for (const [, name] of ACCOUNTS) await expect(row(page, name)).toBeVisible();
  await expect(page.locator('.list-row')).toHaveCount(7);
  await expect(row(page, 'ups-prod')).toContainText('UPS');
  await expect(row(page, 'okta-dev')).toContainText('OAuth 2.0 server');

  // One shared clock: the "expires in" cell moves by itself.
  const expires = row(page, 'ups-prod').locator('.col-expires');
  const first = await expires.textContent();
  expect(first).toMatch(/^in (59m|1h 00m|\d+m \d\ds)/);
  await expect.poll(() => expires.textContent(), { timeout: 3000 }).not.toBe(first);

  // Needs attention first: the account whose refresh token was refused tops the list.
  await expect(page.locator('.list-row').first()).toHaveAttribute('data-account-name', 'pathstack-legacy');
  await expect(row(page, 'pathstack-legacy')).toContainText('Sign in again');
  await row(page, 'pathstack-legacy').click();
  const explanation = page.getByTestId('status-explanation');
  await expect(explanation).toContainText('no longer accepts this account’s refresh token');
  await expect(explanation).toContainText('Invalid Refresh Token');
  // PathStack signs in with a password: the way out is Sign in, the account's primary action.
  await expect(explanation).toContainText('Sign in again to get new tokens');
  await expect(page.getByTestId('account-details').getByTestId('sign-in')).toBeVisible();
  await expect(page.getByText('1 needs attention')).toBeVisible();

  await row(page, 'ups-prod').click();
  await expect(page.getByTestId('account-details')).toContainText('Healthy');
  await screenshot(page, 'dashboard-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('.app')).toHaveAttribute('data-appearance', 'dark');
  await screenshot(page, 'dashboard-dark');

  // Settings: the vault's protection in words (a passphrase here: strong).
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('settings-dialog');
  await expect(settings.getByTestId('vault-status')).toContainText('passphrase');
  await expect(settings.getByTestId('vault-status')).toContainText('strong');
  await expect(settings.locator('#s-percent')).toHaveValue('20');
  await screenshot(page, 'settings-dark');
  await page.keyboard.press('Escape');
  expect(await violations()).toEqual([]);
});

test('an automatic refresh lands in the history and on the timeline as it happens', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByLabel('Filter history by account').selectOption({ label: 'pathstack-ci' });
  const rows = page.locator('[data-testid="history-table"] tbody tr');
  await expect(rows.filter({ hasNotText: 'pathstack-ci' })).toHaveCount(0);
  const scheduled = rows.and(page.locator('[data-trigger="scheduled"][data-outcome="ok"]'));
  await expect(scheduled.first()).toBeVisible();
  const before = await scheduled.count();
  // No reload: the owner pushes refresh-finished and the table grows by itself.
  await expect.poll(() => scheduled.count(), { timeout: 10_000 }).toBeGreaterThan(before);
  await expect(scheduled.first()).toContainText('200');
  await page.getByLabel('Filter history by account').selectOption({ label: 'All accounts' });
  await expect(page.locator('[data-testid="history-table"] tbody tr[data-outcome="error"]').first()).toContainText('Invalid Refresh Token');
  await screenshot(page, 'history');

  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('radio', { name: '15 min' }).click();
  const tl = page.locator('.tl-row[data-account-name="pathstack-ci"]');
  await expect(tl.getByTestId('lifetime-bar')).toBeVisible();
  await expect(tl.getByTestId('mark-next')).toBeVisible();
  // Refreshes close together share one marker with their count (data-count): count refreshes, not markers.
  const refreshesShown = () => tl.locator('.mark-event').evaluateAll((marks) => marks.reduce((n, m) => n + Number(m.getAttribute('data-count') ?? 1), 0));
  const marksBefore = await refreshesShown();
  expect(marksBefore).toBeGreaterThan(0);
  await expect.poll(refreshesShown, { timeout: 10_000 }).toBeGreaterThan(marksBefore);
  await expect(page.locator('.tl-row[data-account-name="pathstack-legacy"]').getByTestId('mark-error')).toHaveCount(1);
  await expect(page.getByTestId('now-line')).toBeVisible();
  await screenshot(page, 'timeline');
  // UPS refresh tokens live 60 days: beyond the window, named at the row's end.
  await page.getByRole('radio', { name: '1 day' }).click();
  await expect(page.locator('.tl-row[data-account-name="ups-prod"] .rt-beyond')).toContainText('refresh token until');
  await page.locator('.tl-row[data-account-name="teamup-studio"]').click();
  await expect(page.getByTestId('account-details')).toContainText('teamup-studio');
  await screenshot(page, 'timeline-day');
});

test('the token inspector is masked by default; Reveal shows the token and decodes its JWT; no secret is in the DOM while masked', async ({ page }) => {
  await page.goto(served.url);
  await row(page, 'okta-dev').click();
  await expect(page.getByTestId('token-masked')).toBeVisible();
  await expect(page.getByTestId('token-value')).toHaveCount(0);
  await expect(page.getByText('Reveal the token to decode its JWT header and claims.')).toBeVisible();

  const all: Simulator[] = Object.values(sims).filter((s): s is Simulator => typeof s === 'object' && 'requests' in s);
  const secrets = await knownSecrets(all, served);
  expect(secrets.length).toBeGreaterThan(12);
  await expectNoSecretsInDom(page, secrets);
  for (const tab of ['Timeline', 'History', 'Accounts']) {
    await page.getByRole('tab', { name: tab }).click();
    await expectNoSecretsInDom(page, secrets);
  }

  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const current = await served.call('accounts.token', { account: 'okta-dev', minValidSeconds: 0 });
  await expect(page.getByTestId('token-value')).toHaveText(current.accessToken);
  const decoded = page.getByTestId('jwt-decoded');
  await expect(decoded).toContainText('"alg": "HS256"');
  const exp = decoded.locator('tr', { has: page.locator('th', { hasText: /^exp$/ }) });
  await expect(exp).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in (1h 59m|2h 00m|1h \d\dm)\)/);
  await expect(decoded.locator('tr', { has: page.locator('th', { hasText: /^iat$/ }) })).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  await expect(decoded).toContainText('client_id');
  await decoded.scrollIntoViewIfNeeded();
  await screenshot(page, 'token-inspector');

  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(page.getByTestId('token-masked')).toBeVisible();
  expect(await page.content()).not.toContain(current.accessToken);

  // An opaque token: nothing to decode, and the page says so.
  await row(page, 'ups-prod').click();
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  await expect(page.getByTestId('jwt-opaque')).toContainText('opaque');
});
