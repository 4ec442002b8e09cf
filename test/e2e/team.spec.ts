// The team vault in the dashboard, against the real `tokendesk serve` in a team on a real
// PostgreSQL cluster: team accounts badged, "refreshed by MEMBER at TIME" in the details, the team's
// status in Settings, and "Team store offline" while the database is stopped.
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { addFromSimulator, startServe, type Served } from './support/serve.js';
import { axeViolations, expectNoSecretsInDom, screenshot, startSims } from './support/fixtures.js';

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
  // Leaving says what it takes away; Cancel leaves nothing.
  await team.getByRole('button', { name: 'Leave the team…' }).click();
  const leave = page.getByTestId('team-leave-dialog');
  await expect(leave).toContainText('Its 1 account disappears from this computer, which stops refreshing it; the other members keep it.');
  await leave.getByRole('button', { name: 'Cancel' }).click();
  await expect(leave).toHaveCount(0);
  expect((await served.call('team.status')).joined).toBe(true);
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

/** An empty database in the cluster, for a team made from the dashboard. */
async function emptyDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

async function openTeamSettings(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Settings' }).click();
  return page.getByTestId('team-status');
}

test('Settings creates a team, makes an invite that another TokenDesk joins with, and leaves it', async ({ page, browser }) => {
  const database = await emptyDatabase('team_from_the_dashboard');
  const first = await startServe();
  const second = await startServe();
  try {
    // Create, from a TokenDesk that is in no team.
    let team = await openTeamSettings(page, first.url);
    await expect(team).toContainText('Not in a team');
    await team.getByRole('button', { name: 'Create a team…' }).click();
    const create = page.getByTestId('team-setup-dialog');
    await create.getByRole('button', { name: 'Create the team' }).click();
    await expect(create.getByTestId('team-setup-error')).toHaveText(/Enter the database URL/);
    await screenshot(page, 'team-create'); // before the URL (it holds the database password) is typed
    expect(await axeViolations(page, '[data-testid="team-setup-dialog"]')).toEqual([]);
    await create.getByLabel('Database URL').fill(database);
    await create.getByLabel('Your name on the team (optional)').fill('carol');
    await create.getByRole('button', { name: 'Create the team' }).click();
    await expect(create).toHaveCount(0);
    await expect(team.getByTestId('team-connection')).toHaveText('online');
    await expect(team).toContainText('carol');
    expect((await first.call('team.status')).member).toBe('carol');
    // The Settings form was not submitted by the team dialog's own form.
    await expect(page.getByTestId('settings-dialog')).toBeVisible();

    await team.getByRole('button', { name: 'Invite a member' }).click();
    await expect(team.getByTestId('team-invite-code')).toBeInViewport();
    const code = (await team.getByTestId('team-invite-code').textContent())!.trim();
    expect(code.length).toBeGreaterThan(20);
    expect(await axeViolations(page, '[data-testid="team-status"]')).toEqual([]);

    // Join from a second TokenDesk: a wrong code is refused in words and joins nothing; the right one joins.
    const other = await browser.newPage();
    team = await openTeamSettings(other, second.url);
    await team.getByRole('button', { name: 'Join a team…' }).click();
    const join = other.getByTestId('team-setup-dialog');
    await join.getByLabel('Database URL').fill(database);
    await join.getByLabel('Your name on the team (optional)').fill('dave');
    await join.getByLabel('Invite code').fill(`${code.split('.')[0]}.not-the-secret`);
    await join.getByRole('button', { name: 'Join the team' }).click();
    await expect(join.getByTestId('team-setup-error')).not.toHaveText('');
    expect((await second.call('team.status')).joined).toBe(false);
    await join.getByLabel('Invite code').fill(code);
    await join.getByRole('button', { name: 'Join the team' }).click();
    await expect(join).toHaveCount(0);
    await expect(team.getByTestId('team-connection')).toHaveText('online');
    await expect(team.locator('.team-members')).toContainText('carol');
    expect((await second.call('team.status')).member).toBe('dave');

    // Leave, after a confirmation.
    await team.getByRole('button', { name: 'Leave the team…' }).click();
    await expect(other.getByTestId('team-leave-dialog')).toContainText('The team has no accounts yet. Your own accounts stay.');
    await other.getByTestId('team-leave-dialog').getByRole('button', { name: 'Leave the team' }).click();
    await expect(team).toContainText('Not in a team');
    expect((await second.call('team.status')).joined).toBe(false);
    await other.close();
  } finally {
    await first.stop();
    await second.stop();
  }
});

test('a local account is shared with the team from its details, and becomes a team account', async ({ page }) => {
  await page.goto(served.url);
  await row(page, 'ups-mine').click();
  const details = page.getByTestId('account-details');
  await expect(details).toContainText('only on this computer');
  await details.getByRole('button', { name: 'Share with the team…' }).click();
  const dialog = page.getByTestId('team-share-dialog');
  await expect(dialog.getByRole('checkbox')).not.toBeChecked(); // UPS rotates its refresh tokens
  expect(await axeViolations(page, '[data-testid="team-share-dialog"]')).toEqual([]);
  await dialog.getByRole('button', { name: 'Share with the team' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row(page, 'ups-mine').getByTestId('team-badge')).toBeVisible();
  await screenshot(page, 'team-shared');
  // The details stay on the account, now with its team facts.
  await expect(details.getByTestId('team-refreshed-by')).toBeVisible();
  const shared = (await served.call('accounts.list')).find((a) => a.name === 'ups-mine');
  expect(shared?.team).toMatchObject({ rotating: true });
  // Its token still works, now served from the team vault.
  expect((await served.call('accounts.token', { account: 'ups-mine' })).accessToken).toBeTruthy();
});

test('Settings removes another member after a confirmation; that TokenDesk is refused and says so', async ({ page }) => {
  const { code } = await served.call('team.invite');
  const other = await startServe();
  try {
    await other.call('team.join', { database: cluster.url, invite: code, member: 'erin' });
    const team = await openTeamSettings(page, served.url);
    const members = team.locator('.team-members');
    await expect(members).toContainText('alice (you)');
    // No Remove for this TokenDesk itself.
    await expect(members.getByRole('button', { name: 'Remove alice from the team' })).toHaveCount(0);
    await members.getByRole('button', { name: 'Remove erin from the team' }).click();
    const dialog = page.getByTestId('team-remove-member-dialog');
    await expect(dialog).toContainText('revoke its database access too');
    expect(await axeViolations(page, '[data-testid="team-remove-member-dialog"]')).toEqual([]);
    await dialog.getByRole('button', { name: 'Remove erin' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await expect(members.getByRole('row').filter({ hasText: 'erin' })).toContainText('left');
    await expect(members.getByRole('button', { name: 'Remove erin from the team' })).toHaveCount(0);
    await expect.poll(async () => (await other.call('team.status')).connection?.message ?? '', { timeout: 15_000 }).toMatch(/left the team/);
  } finally {
    await other.stop();
  }
});
