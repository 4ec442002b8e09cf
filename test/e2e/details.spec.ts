// The account's details and the list's keyboard selection, against the real `tokendesk serve`
// and the simulators: the active row follows its account through re-sorts and filters; no
// stale result after Pause or Revoke; the primary action fits the state; copy feedback that
// covers nothing and a curl line that asks for its URL; Remove with Undo and the focus on the
// next row; the refresh token and an OpenID Connect ID token, masked, revealed, decoded, copied.
import { rm } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { expectNoSecretsInDom, knownSecrets, screenshot, startSims } from './support/fixtures.js';

let served: Served | undefined;
let sims: Awaited<ReturnType<typeof startSims>> | undefined;
/** Data dirs a test restarted `serve` on (startServe leaves a given dir in place). */
const keptDirs: string[] = [];

test.afterEach(async () => {
  await served?.stop();
  await sims?.closeAll();
  served = undefined;
  sims = undefined;
  if (process.env['TOKENDESK_KEEP_TEST_DIRS'] !== '1') for (const dir of keptDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Stops `serve` and starts it again on the same data dir. */
async function restart(s: Served): Promise<Served> {
  const dataDir = s.dataDir;
  keptDirs.push(dataDir);
  await s.stop({ keepDataDir: true });
  return startServe({ dataDir });
}

function row(page: Page, name: string) {
  return page.locator(`.list-row[data-account-name="${name}"]`);
}

async function rowId(page: Page, name: string): Promise<string> {
  return (await row(page, name).getAttribute('id')) ?? '';
}

async function waitForTokens(s: Served, count: number): Promise<void> {
  await expect.poll(async () => (await s.call('accounts.list')).filter((a) => a.hasAccessToken || a.status !== 'active').length, { timeout: 20_000 }).toBe(count);
}

test('the keyboard’s active row stays on its account when a live update re-sorts the list and through a filter', async ({ page }) => {
  sims = await startSims({ ups: { accessTtlSec: 3600 }, pathstack: { accessTtlSec: 3600 } });
  served = await startServe();
  const s = served;
  await addFromSimulator(s, sims.pathstack, '90-second tokens');
  await waitForTokens(s, 1);
  // Refreshed after it: with "Last refresh, oldest first" the chosen account leads the list.
  await addFromSimulator(s, sims.ups, 'alpha');
  await addFromSimulator(s, sims.ups, 'omega');
  await waitForTokens(s, 3);

  await page.goto(s.url);
  await page.getByLabel('Sort accounts').selectOption('last:asc');
  await expect(page.locator('.list-row').first()).toHaveAttribute('data-account-name', '90-second tokens');
  const grid = page.getByTestId('account-list');
  await grid.focus();
  await page.keyboard.press('Home');
  const chosen = await rowId(page, '90-second tokens');
  await expect(grid).toHaveAttribute('aria-activedescendant', chosen);

  // Another client refreshes it (an automatic refresh does the same): it moves to the end.
  await s.call('accounts.refresh', { account: '90-second tokens' });
  await expect(row(page, '90-second tokens')).toHaveAttribute('aria-rowindex', '3');
  await expect(grid).toHaveAttribute('aria-activedescendant', chosen);
  await expect(row(page, '90-second tokens')).toHaveClass(/row-active/);
  await expect(page.locator('.list-row.row-active')).toHaveCount(1);
  await expect(grid).toBeFocused();

  // R and Enter act on it, not on the row now at its old position.
  const manualBefore = (await s.call('history.list', { account: '90-second tokens' })).filter((e) => e.action === 'refreshed' && e.trigger === 'manual').length;
  await page.keyboard.press('r');
  await expect.poll(async () => (await s.call('history.list', { account: '90-second tokens' })).filter((e) => e.action === 'refreshed' && e.trigger === 'manual').length).toBe(manualBefore + 1);
  expect((await s.call('history.list', { account: 'alpha' })).filter((e) => e.action === 'refreshed' && e.trigger === 'manual')).toHaveLength(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-details').locator('#details-title')).toHaveText('90-second tokens');

  // A filter that hides it, then shows it again: still the active row.
  await page.keyboard.press('Escape');
  await page.locator('#account-search').fill('alpha');
  await expect(page.locator('.list-row')).toHaveCount(1);
  await page.locator('#account-search').fill('');
  await expect(page.locator('.list-row')).toHaveCount(3);
  await grid.focus();
  await expect(grid).toHaveAttribute('aria-activedescendant', chosen);
});

test('no stale result after Pause or Revoke; a revoked account shows nothing its tokens taught', async ({ page }) => {
  sims = await startSims({ banyan: { accessTtlSec: 1800 } });
  served = await startServe();
  await addFromSimulator(served, sims.banyan, 'banyan-ops');
  await waitForTokens(served, 1);
  await page.goto(served.url);
  await row(page, 'banyan-ops').click();
  const details = page.getByTestId('account-details');
  const result = page.getByTestId('action-result');
  await expect(details).toContainText('from the token’s JWT exp claim');
  await expect(details).toContainText('Obtained');

  await details.getByTestId('refresh-now').click();
  await expect(result).toContainText('Refreshed in');
  await details.getByRole('button', { name: 'Pause' }).click();
  await expect(row(page, 'banyan-ops')).toContainText('Paused');
  await expect(result).toBeEmpty();

  await details.getByRole('button', { name: 'Resume' }).click();
  await details.getByTestId('refresh-now').click();
  await expect(result).toContainText('Refreshed in');
  await details.getByRole('button', { name: 'Revoke' }).click();
  await page.getByTestId('revoke-dialog').getByRole('button', { name: 'Delete tokens here' }).click();
  await expect(row(page, 'banyan-ops')).toContainText('Revoked');
  await expect(result).toBeEmpty();
  const facts = details.locator('.facts');
  await expect(facts).not.toContainText('Obtained');
  await expect(facts).not.toContainText('Expiry known');
  await expect(facts).not.toContainText('JWT exp');
  await screenshot(page, 'revoked-details');
  // The owner forgot it too, so a restart shows the same.
  const view = await served.call('accounts.get', { account: 'banyan-ops' });
  expect([view.obtainedAt, view.expirySource, view.tokenType]).toEqual([undefined, undefined, undefined]);
});

test('the primary action fits the state: Edit where a refresh cannot work and TokenDesk cannot sign in, Sign in where it can', async ({ page }) => {
  sims = await startSims({ banyan: {}, oauth2: {} });
  served = await startServe();
  // A refresh token the vendor does not know: the first refresh ends in "Sign in again".
  await served.call('accounts.add', { providerId: 'banyan', name: 'banyan-refused', baseUrl: sims.banyan.url, values: { refresh_token: 'rt_this_banyan_token_was_never_issued' } });
  const grant = sims.oauth2.issue();
  const { access_token: _unused, ...values } = { ...grant.settings, ...grant.secrets };
  await served.call('accounts.add', { providerId: 'oauth2', name: 'oauth-refused', values: { ...values, refresh_token: 'rt_this_oauth_token_was_never_issued' } });
  await addFromSimulator(served, sims.banyan, 'banyan-fine');
  await expect.poll(async () => (await served!.call('accounts.list')).filter((a) => a.status === 'reauth_required').length, { timeout: 20_000 }).toBe(2);
  await page.goto(served.url);
  const toolbar = page.getByTestId('account-details').getByRole('toolbar');

  await row(page, 'banyan-refused').click();
  await expect(row(page, 'banyan-refused')).toContainText('Sign in again');
  await expect(toolbar.getByRole('button').first()).toHaveText('Edit');
  await expect(toolbar.getByTestId('refresh-now')).toHaveCount(0);
  await expect(toolbar.getByRole('button', { name: 'Edit' })).toHaveCount(1);
  await screenshot(page, 'primary-edit');
  await toolbar.getByRole('button').first().click();
  await expect(page.getByTestId('account-form')).toBeVisible();
  await page.keyboard.press('Escape');

  await row(page, 'oauth-refused').click();
  await expect(toolbar.getByRole('button').first()).toHaveText('Sign in');
  await expect(toolbar.getByTestId('refresh-now')).toHaveCount(0);
  // Nor does the list offer a refresh that cannot work: the row's button is off, and R on the
  // row opens the account (where Sign in is the action) instead of asking the owner.
  await expect(row(page, 'oauth-refused').getByRole('button', { name: 'Refresh oauth-refused now' })).toBeDisabled();
  const refusedRows = async () => (await served!.call('history.list', { account: 'oauth-refused' })).length;
  const rowsBefore = await refusedRows();
  await row(page, 'banyan-fine').click();
  await page.getByTestId('account-list').focus();
  await page.keyboard.press('Home');
  while (!(await row(page, 'oauth-refused').getAttribute('class'))?.includes('row-active')) await page.keyboard.press('ArrowDown');
  await expect(row(page, 'oauth-refused')).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('r');
  await expect(row(page, 'oauth-refused')).toHaveAttribute('aria-selected', 'true');
  await expect(toolbar.getByRole('button').first()).toHaveText('Sign in');
  await row(page, 'banyan-fine').click();
  expect(await refusedRows()).toBe(rowsBefore);

  await row(page, 'banyan-fine').click();
  await expect(toolbar.getByRole('button').first()).toHaveText('Refresh now');
});

test('copy feedback sits under the copy buttons, never over them; an empty curl URL is asked for, not replaced by a placeholder', async ({ page, context }) => {
  sims = await startSims({ teamup: { accessTtlSec: 900 } });
  served = await startServe();
  await addFromSimulator(served, sims.teamup, 'teamup-seeded');
  await waitForTokens(served, 1);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await page.goto(served.url);
  await row(page, 'teamup-seeded').click();
  const clipboard = () => page.evaluate<string>('navigator.clipboard.readText()');
  await page.evaluate('navigator.clipboard.writeText("before")');
  const { accessToken } = await served.call('accounts.token', { account: 'teamup-seeded', minValidSeconds: 0 });

  const url = page.getByLabel('URL for the curl line');
  const copied = page.getByTestId('copy-result');
  await page.getByRole('button', { name: 'curl line' }).click();
  await expect(copied).toContainText('Type the URL the curl line should call');
  await expect(url).toBeFocused();
  expect(await clipboard()).toBe('before');
  await url.fill('not a url');
  await page.getByRole('button', { name: 'curl line' }).click();
  await expect(copied).toContainText('is not a URL');
  expect(await clipboard()).toBe('before');

  await url.fill('https://goteamup.com/api/v2/customers');
  const buttons = [page.getByRole('button', { name: 'Token', exact: true }), page.getByRole('button', { name: 'Authorization header' }), page.getByRole('button', { name: 'curl line' })];
  for (const button of buttons) await button.click();
  await expect.poll(clipboard).toContain(`'https://goteamup.com/api/v2/customers'`);
  expect(await clipboard()).not.toContain('example.invalid');
  await expect(copied).toContainText('Copied a curl command line of teamup-seeded');
  await expect(copied).toContainText('The clipboard is cleared in 30 s');

  // Whatever toasts are up, none covers a copy button or the URL field.
  const boxes = await Promise.all([...buttons, url].map((l) => l.boundingBox()));
  const toasts = page.getByTestId('toast');
  for (let i = 0; i < (await toasts.count()); i++) {
    const t = await toasts.nth(i).boundingBox();
    if (!t) continue;
    for (const b of boxes) {
      const overlaps = b && t.x < b.x + b.width && b.x < t.x + t.width && t.y < b.y + b.height && b.y < t.y + t.height;
      expect(overlaps, 'a toast covers a copy control').toBeFalsy();
    }
  }
  await screenshot(page, 'copy-feedback');
  await expectNoSecretsInDom(page, [accessToken]);
});

test('Remove can be undone from its toast; the focus goes to the next row (the previous for the last); quitting inside the window loses nothing', async ({ page }) => {
  test.setTimeout(90_000);
  sims = await startSims({ pathstack: { accessTtlSec: 3600 } });
  served = await startServe();
  for (const name of ['acct-a', 'acct-b', 'acct-c']) await addFromSimulator(served, sims.pathstack, name);
  await waitForTokens(served, 3);
  await page.goto(served.url);
  await page.getByLabel('Sort accounts').selectOption('name:asc');
  const grid = page.getByTestId('account-list');
  const details = page.getByTestId('account-details');

  // Every icon button of the details pane has a name and a tooltip.
  await row(page, 'acct-b').click();
  const iconButtons = details.locator('.rt-IconButton');
  // The details pane is a chunk loaded on demand: wait for it before counting.
  await expect(iconButtons.first()).toBeVisible();
  expect(await iconButtons.count()).toBeGreaterThan(1);
  for (let i = 0; i < (await iconButtons.count()); i++) {
    const button = iconButtons.nth(i);
    await expect(button).toHaveAttribute('aria-label', /\w/);
    await button.focus();
    // An open Radix tooltip describes its trigger.
    await expect(button).toHaveAttribute('aria-describedby', /.+/);
  }

  const cId = await rowId(page, 'acct-c');
  await details.getByRole('button', { name: 'Remove acct-b' }).click();
  await page.getByTestId('remove-dialog').getByRole('button', { name: 'Remove account' }).click();
  await expect(row(page, 'acct-b')).toHaveCount(0);
  await expect(grid).toBeFocused();
  await expect(grid).toHaveAttribute('aria-activedescendant', cId);
  const toast = page.getByTestId('toast').filter({ hasText: 'acct-b removed' });
  await expect(toast).toContainText('unless you undo it');
  expect((await served.call('accounts.list')).map((a) => a.name)).toEqual(expect.arrayContaining(['acct-a', 'acct-c']));
  expect((await served.call('accounts.list')).some((a) => a.name === 'acct-b')).toBe(false);
  await screenshot(page, 'remove-undo');

  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(row(page, 'acct-b')).toBeVisible();
  await expect(row(page, 'acct-b')).toContainText('Active');
  // Its refresh token survived: it still refreshes.
  expect((await served.call('accounts.refresh', { account: 'acct-b' })).outcome.ok).toBe(true);

  // The last row removed: the focus goes to the previous one.
  const bId = await rowId(page, 'acct-b');
  await row(page, 'acct-c').click();
  await details.getByRole('button', { name: 'Remove acct-c' }).click();
  await page.getByTestId('remove-dialog').getByRole('button', { name: 'Remove account' }).click();
  await expect(row(page, 'acct-c')).toHaveCount(0);
  await expect(grid).toBeFocused();
  await expect(grid).toHaveAttribute('aria-activedescendant', bId);
  const cAccount = cId.replace('account-row-', '');
  // Once the window closed the removal is final: no undo, gone after a restart.
  await expect(page.getByTestId('toast').filter({ hasText: 'acct-c removed' })).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(() => served!.call('accounts.restore', { id: cAccount }).then(() => 'restored', (err: Error) => err.message), { timeout: 10_000 }).toContain('can no longer be undone');

  // Removed, and the owner stops inside the window: the account is still there at the next start.
  await page.close();
  await served.call('accounts.remove', { account: 'acct-a', undoSeconds: 60 });
  served = await restart(served);
  const names = (await served.call('accounts.list')).map((a) => a.name).sort();
  expect(names).toEqual(['acct-a', 'acct-b']);
  expect((await served.call('accounts.refresh', { account: 'acct-a' })).outcome.ok).toBe(true);
});

test('the refresh token and an OpenID Connect ID token: masked, revealed on request, the ID token’s claims decoded, copied like the access token', async ({ page, context }) => {
  sims = await startSims({ oauth2: { deviceIntervalSec: 1 } });
  served = await startServe();
  const sim = sims.oauth2;
  const { clientId, clientSecret } = sim.clientCredentials();
  await served.call('accounts.add', { providerId: 'oauth2', name: 'oidc-user', values: { issuer: sim.url, client_id: clientId, client_secret: clientSecret, scope: 'openid read' } });
  const started = await served.call('signin.start', { account: 'oidc-user', method: 'device' });
  if (started.method !== 'device') throw new Error('expected a device sign-in');
  sim.approveDevice(started.userCode);
  await served.call('signin.wait', { sessionId: started.sessionId });
  const account = await served.call('accounts.get', { account: 'oidc-user' });
  expect(account.hasIdToken).toBe(true);
  expect(account.hasRefreshToken).toBe(true);
  const { token: idToken } = await served.call('accounts.reveal', { account: 'oidc-user', token: 'id' });
  const { token: refreshToken } = await served.call('accounts.reveal', { account: 'oidc-user', token: 'refresh' });
  expect(sim.isValidRefreshToken(refreshToken)).toBe(true);

  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await page.goto(served.url);
  await row(page, 'oidc-user').click();
  const refresh = page.getByTestId('refresh-token');
  const id = page.getByTestId('id-token');
  await expect(refresh.getByTestId('refresh-token-masked')).toBeVisible();
  await expect(id.getByTestId('id-token-masked')).toBeVisible();
  const secrets = [idToken, refreshToken, ...(await knownSecrets([sim], served))];
  await expectNoSecretsInDom(page, secrets);

  await refresh.getByRole('button', { name: 'Reveal the refresh token' }).click();
  await expect(refresh.getByTestId('refresh-token-value')).toHaveText(refreshToken);
  await id.getByRole('button', { name: 'Reveal the ID token' }).click();
  await expect(id.getByTestId('id-token-value')).toHaveText(idToken);
  const claims = id.getByTestId('id-jwt-decoded');
  const claim = (name: string) => claims.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) });
  await expect(claim('iss')).toContainText(sim.url);
  await expect(claim('aud')).toContainText(clientId);
  await expect(claim('sub').locator('td')).toHaveText(/^user-/);
  await expect(claim('exp')).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in /);
  await id.scrollIntoViewIfNeeded();
  await screenshot(page, 'id-token');

  await id.getByRole('button', { name: 'Copy the ID token' }).click();
  await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(idToken);
  await expect(id.getByTestId('id-token-copy-result')).toContainText('Copied the ID token of oidc-user');
  await expect(id.getByTestId('id-token-copy-result')).toContainText('The clipboard is cleared in 30 s');
  await refresh.getByRole('button', { name: 'Copy the refresh token' }).click();
  await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(refreshToken);

  await refresh.getByRole('button', { name: 'Hide the refresh token' }).click();
  await id.getByRole('button', { name: 'Hide the ID token' }).click();
  await expectNoSecretsInDom(page, secrets);

  // Never in the owner's log; kept in the vault: still there after a restart.
  expect(served.log()).not.toContain(idToken);
  expect(served.log()).not.toContain(refreshToken);
  served = await restart(served);
  expect((await served.call('accounts.get', { account: 'oidc-user' })).hasIdToken).toBe(true);
});
