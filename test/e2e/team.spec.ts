// The team vault in the dashboard, against the real `tokendesk serve` in a team on a real
// PostgreSQL cluster: team accounts badged, "refreshed by MEMBER at TIME" in the details, the team's
// status in Settings, and "Team store offline" while the database is stopped.
import { expect, test, type Page } from '@playwright/test';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { expectNoSecretsInDom, screenshot, startSims } from './support/fixtures.js';

test.describe.configure({ mode: 'serial' });
test.skip(!postgresAvailable(), 'PostgreSQL is not installed');

let cluster: PostgresCluster;
let served: Served;
let sims: Awaited<ReturnType<typeof startSims>>;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startPostgres();
  sims = await startSims({ ups: {} });
  served = await startServe();
  await served.call('team.create', { database: cluster.url, member: 'alice' });
  await addFromSimulator(served, sims.ups, 'ups-shared', { team: true });
  await addFromSimulator(served, sims.ups, 'ups-mine');
  await expect.poll(async () => (await served.call('accounts.list')).every((a) => a.hasAccessToken), { timeout: 15_000 }).toBe(true);
});

test.afterAll(async () => {
  await served?.stop();
  await sims?.closeAll();
  await cluster?.stop();
});

const row = (page: Page, name: string) => page.locator(`.list-row[data-account-name="${name}"]`);

test('team accounts carry a badge and say who refreshed them; Settings shows the team', async ({ page }) => {
  await page.goto(served.url);
  await expect(row(page, 'ups-shared').getByTestId('team-badge')).toBeVisible();
  await expect(row(page, 'ups-mine').getByTestId('team-badge')).toHaveCount(0);
  await row(page, 'ups-shared').click();
  await expect(page.getByTestId('team-refreshed-by')).toContainText('refreshed by alice');
  await screenshot(page, 'team-details');
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.locator('.history-message').filter({ hasText: 'refreshed by alice' }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  const team = page.getByTestId('team-status');
  await expect(team.getByTestId('team-connection')).toHaveText('online');
  await expect(team).toContainText('alice');
  await expect(team.getByTestId('team-locks')).toHaveText('No refresh locks held.');
  await screenshot(page, 'team-settings');
  const tokens = await Promise.all(['ups-shared', 'ups-mine'].map(async (name) => (await served.call('accounts.token', { account: name })).accessToken));
  await expectNoSecretsInDom(page, tokens);
});

test('the database stopped: "Team store offline" in a banner and in Settings, gone once it is back', async ({ page }) => {
  await page.goto(served.url);
  await expect(row(page, 'ups-shared')).toBeVisible();
  await cluster.stopServer('immediate');
  try {
    await expect(page.getByTestId('team-offline-banner')).toBeVisible({ timeout: 15_000 });
    await screenshot(page, 'team-offline');
  } finally {
    await cluster.start();
  }
  await expect(page.getByTestId('team-offline-banner')).toHaveCount(0, { timeout: 15_000 });
});
