// Working with accounts in the dashboard, against the real `tokendesk serve` and the
// simulators: the add form of every provider ("Paste a refresh token" where signing in is
// the default; a bad field first: the error shows in words and nothing is saved; "test
// now" then save keeps a rotated refresh token), refresh now with its progress, revoke
// with the vendor's words, copy (read back from the clipboard), pause, resume and remove.
import { expect, test, type Page } from '@playwright/test';
import type { ProviderId } from '../../src/shared/domain.js';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { expectNoSecretsInDom, screenshot, startSims } from './support/fixtures.js';
import { listProviderInfo } from '../../src/main/core/providers/index.js';

test.describe.configure({ mode: 'serial' });

let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeAll(async () => {
  sims = await startSims({ ups: {}, pathstack: {}, teamup: {}, banyan: {}, vaultist: {}, oauth2: {} });
  served = await startServe();
  await addFromSimulator(served, sims.ups, 'ups-seeded');
  await addFromSimulator(served, sims.teamup, 'teamup-seeded');
  await addFromSimulator(served, sims.oauth2, 'oauth-seeded');
  await addFromSimulator(served, sims.banyan, 'banyan-seeded');
  await expect.poll(async () => (await served.call('accounts.list')).every((a) => a.hasAccessToken), { timeout: 15_000 }).toBe(true);
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
});

const row = (page: Page, name: string) => page.locator(`.list-row[data-account-name="${name}"]`);

interface AddCase {
  provider: ProviderId;
  label: string;
  /** The bad value entered first, and the words the form must show for it. */
  bad: { field: string; value: string } | { baseUrl: string };
  error: string;
  /** Run "test now" before saving. */
  test?: boolean;
}

/** The providers whose add form offers "Sign in with …" (ProviderInfo.signIn has 'browser'). */
/** Providers TokenDesk signs in to in the browser: the Add form offers it first. */
const SIGN_IN_PROVIDERS = listProviderInfo().filter((p) => p.signIn.includes('browser')).map((p) => p.id as ProviderId);

const CASES: AddCase[] = [
  { provider: 'ups', label: 'UPS', bad: { field: 'client_secret', value: '' }, error: 'Client secret is required', test: true },
  { provider: 'pathstack', label: 'PathStack', bad: { field: 'sub', value: 'not-a-uuid' }, error: 'Subject must be a UUID such as 3f2b8c1e-…' },
  { provider: 'teamup', label: 'TeamUp', bad: { field: 'refresh_token', value: 'two words' }, error: 'Refresh token must not contain spaces or line breaks', test: true },
  { provider: 'banyan', label: 'Banyan Security', bad: { baseUrl: 'ftp://files.example.com' }, error: 'Base URL must be an https:// URL (plain http is allowed only for localhost/127.0.0.1)' },
  { provider: 'vaultist', label: 'Vault.ist', bad: { field: 'partner_id', value: '12a' }, error: 'Partner ID must be a whole number' },
  {
    provider: 'oauth2',
    label: 'OAuth 2.0 server',
    bad: { field: 'token_url', value: 'http://auth.example.com/token' },
    error: 'Token URL must be an https:// URL (plain http is allowed only for localhost/127.0.0.1)',
    test: true,
  },
];

test('the add form of every provider: field errors in words, nothing saved, then test now and save', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(served.url);
  await expect(page.locator('.list-row')).toHaveCount(4);
  for (const c of CASES) {
    const sim = sims[c.provider];
    const grant = sim.issue();
    const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
    const name = `${c.provider}-added`;
    const before = (await served.call('accounts.list')).length;

    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByTestId('account-form');
    await form.getByRole('radio', { name: c.label, exact: true }).click();
    // Where TokenDesk can sign in, that is the default; these cases paste the simulator's tokens.
    if (SIGN_IN_PROVIDERS.includes(c.provider)) {
      await expect(form.getByRole('radio', { name: new RegExp(`^Sign in with ${c.label.replace(/\./g, '\\.')}`) }), c.provider).toBeChecked();
      await form.getByRole('radio', { name: /^Paste a refresh token/ }).click();
    } else {
      await expect(form.getByTestId('credential-source'), c.provider).toHaveCount(0);
    }
    if (c.provider === 'banyan') {
      // No sign-in: the field says where the API key comes from, with the vendor's docs.
      await expect(form.getByRole('link', { name: 'How to create a Banyan API key' })).toHaveAttribute('target', '_blank');
    }
    await form.locator('#f-name').fill(name);
    if (c.provider !== 'oauth2') await form.locator('#f-baseUrl').fill(sim.url);
    for (const [field, value] of Object.entries(values)) {
      const input = form.locator(`input[data-field="${field}"]`);
      if (await input.count()) await input.fill(value);
    }
    if ('field' in c.bad) await form.locator(`input[data-field="${c.bad.field}"]`).fill(c.bad.value);
    else await form.locator('#f-baseUrl').fill(c.bad.baseUrl);
    if (c.provider === 'ups') await screenshot(page, 'add-form-filled');

    await form.getByRole('button', { name: /^Save/ }).click();
    const key = 'field' in c.bad ? `values.${c.bad.field}` : 'baseUrl';
    await expect(form.getByTestId(`error-${key}`), c.provider).toHaveText(c.error);
    const badInput = 'field' in c.bad ? form.locator(`input[data-field="${c.bad.field}"]`) : form.locator('#f-baseUrl');
    await expect(badInput).toHaveAttribute('aria-invalid', 'true');
    await expect(badInput).toBeFocused();
    if (c.provider === 'ups') await screenshot(page, 'add-form-error');
    expect((await served.call('accounts.list')).length, `${c.provider}: nothing is saved`).toBe(before);

    // Fix it.
    if ('field' in c.bad) await badInput.fill(values[c.bad.field] ?? '');
    else await badInput.fill(sim.url);
    await expect(form.getByTestId(`error-${key}`)).toHaveCount(0);

    if (c.test) {
      await form.getByRole('button', { name: 'Test now' }).click();
      await expect(form.getByTestId('test-ok'), c.provider).toContainText('The refresh worked (HTTP 200)');
      await form.getByRole('button', { name: 'Save with tested tokens' }).click();
    } else {
      await form.getByRole('button', { name: 'Save account' }).click();
    }
    await expect(form).toHaveCount(0);
    await expect(row(page, name)).toBeVisible();
    await expect(page.getByTestId('account-details')).toContainText(name);
    await expect.poll(async () => (await served.call('accounts.get', { account: name })).hasAccessToken, { timeout: 10_000 }).toBe(true);
  }
  // "Test now" rotated UPS's, TeamUp's and the OAuth server's refresh tokens; saving kept the
  // new ones (the old ones are spent: reuse detection would refuse them). A refresh proves it.
  for (const name of ['ups-added', 'teamup-added', 'oauth2-added']) {
    const result = await served.call('accounts.refresh', { account: name, trigger: 'manual' });
    expect(result.outcome.ok, `${name}: ${result.outcome.event.message ?? ''}`).toBe(true);
  }
});

test('refresh now shows its progress, then the result; a failure is explained', async ({ page }) => {
  await page.goto(served.url);
  await row(page, 'banyan-seeded').click();
  // A slow answer (the body trickles in) keeps the refresh visible for a while.
  sims.banyan.fail({ kind: 'trickle', bytesPerSec: 150 });
  const button = page.getByTestId('refresh-now');
  await button.click();
  await expect(button).toHaveText(/Refreshing…/);
  await expect(button).toBeDisabled();
  await expect(row(page, 'banyan-seeded')).toContainText('Refreshing');
  await expect(page.getByTestId('action-result')).toContainText(/Refreshed in \d+ ms: the new token expires in/, { timeout: 15_000 });
  await expect(button).toHaveText('Refresh now');
  await expect(page.getByTestId('account-details').locator('tbody tr').first()).toContainText('manual');

  sims.banyan.fail({ kind: 'server_error' });
  await button.click();
  await expect(page.getByTestId('action-result')).toContainText('Refresh failed (HTTP 500): a temporary problem');
  await expect(page.getByTestId('status-explanation')).toContainText('retries with backoff');
  await expect(row(page, 'banyan-seeded')).toContainText('Retrying');
});

test('revoke: the confirm dialog says what revoking really does at each vendor', async ({ page }) => {
  await page.goto(served.url);
  const ups = await served.call('accounts.get', { account: 'ups-seeded' });
  await row(page, 'ups-seeded').click();
  await page.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByTestId('revoke-dialog');
  await expect(dialog).toContainText('Revoke ups-seeded?');
  await expect(dialog).toContainText(
    'UPS has no revocation endpoint. TokenDesk deletes the tokens from this computer and stops refreshing, but UPS keeps accepting the current access token until it expires.',
  );
  await expect(dialog).toContainText(/stays valid at UPS until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in \dh \d\dm\)/);
  await screenshot(page, 'revoke-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect((await served.call('accounts.get', { account: 'ups-seeded' })).status).toBe('active');

  await page.getByRole('button', { name: 'Revoke' }).click();
  await dialog.getByRole('button', { name: 'Delete tokens here' }).click();
  await expect(row(page, 'ups-seeded')).toContainText('Revoked');
  await expect(row(page, 'ups-seeded').locator('.col-expires')).toHaveText('revoked');
  await expect(page.getByTestId('status-explanation')).toContainText('deleted from this computer');
  const after = await served.call('accounts.get', { account: 'ups-seeded' });
  expect(after.status).toBe('revoked');
  expect(after.hasAccessToken).toBe(false);
  expect(ups.hasAccessToken).toBe(true);

  // The OAuth 2.0 server has an RFC 7009 endpoint: TokenDesk calls it.
  await row(page, 'oauth-seeded').click();
  await page.getByRole('button', { name: 'Revoke' }).click();
  await expect(dialog).toContainText('asks the server to revoke the refresh token (RFC 7009)');
  await dialog.getByRole('button', { name: 'Revoke at the server' }).click();
  await expect(row(page, 'oauth-seeded')).toContainText('Revoked');
  expect(sims.oauth2.requests.some((r) => r.method === 'POST' && r.path.endsWith('/oauth/revoke'))).toBe(true);
});

test('copy a token, an Authorization header and a curl line; read them back from the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await page.goto(served.url);
  await row(page, 'teamup-seeded').click();
  const { accessToken } = await served.call('accounts.token', { account: 'teamup-seeded', minValidSeconds: 0 });
  const clipboard = () => page.evaluate<string>('navigator.clipboard.readText()');

  await page.getByRole('button', { name: 'Token', exact: true }).click();
  await expect.poll(clipboard).toBe(accessToken);

  // TeamUp documents `Token`, its samples send `Bearer`: the user picks.
  await page.getByRole('radio', { name: 'Token' }).click();
  await page.getByRole('button', { name: 'Authorization header' }).click();
  await expect.poll(clipboard).toBe(`Authorization: Token ${accessToken}`);

  await page.getByLabel('URL for the curl line').fill('https://goteamup.com/api/v2/customers');
  await page.getByRole('button', { name: 'curl line' }).click();
  await expect
    .poll(clipboard)
    .toBe(`curl -H 'Authorization: Token ${accessToken}' -H 'TeamUp-Request-Mode: customer' 'https://goteamup.com/api/v2/customers'`);
  await expect(page.getByTestId('copy-result')).toContainText('Copied a curl command line of teamup-seeded');
  // Copying never put the token in the page.
  await expectNoSecretsInDom(page, [accessToken]);
});

test('pause and resume automatic refresh, then remove an account', async ({ page }) => {
  await page.goto(served.url);
  await row(page, 'pathstack-added').click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(row(page, 'pathstack-added')).toContainText('Paused');
  await expect(row(page, 'pathstack-added').locator('.col-next')).toHaveText('paused');
  expect((await served.call('accounts.get', { account: 'pathstack-added' })).paused).toBe(true);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(row(page, 'pathstack-added')).toContainText('Active');
  await expect(row(page, 'pathstack-added').locator('.col-next')).toHaveText(/^in /);

  await page.getByRole('button', { name: 'Remove' }).click();
  const dialog = page.getByTestId('remove-dialog');
  await expect(dialog).toContainText('Nothing is sent to the provider');
  await dialog.getByRole('button', { name: 'Remove account' }).click();
  await expect(row(page, 'pathstack-added')).toHaveCount(0);
  await expect(page.getByTestId('account-details')).toHaveCount(0);
  expect((await served.call('accounts.list')).some((a) => a.name === 'pathstack-added')).toBe(false);
});
