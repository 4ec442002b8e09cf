// A damaged file in the data dir, as the dashboard shows it: `tokendesk serve` starts, moves
// the file aside (kept byte-identical, never overwritten), and the page says which file,
// why, where it went and what was lost.
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe } from './support/serve.js';
import { screenshot } from './support/fixtures.js';

test('a damaged accounts.json found at start is moved aside and explained on the dashboard', async ({ page }) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tokendesk-e2e-damaged-'));
  const damaged = '{"schemaVersion":2,"accounts":[{"name":"half-writ';
  await writeFile(path.join(dataDir, 'accounts.json'), damaged, { mode: 0o600 });
  const served = await startServe({ dataDir });
  try {
    const moved = (await readdir(dataDir)).filter((f) => f.startsWith('accounts.json.corrupt-'));
    expect(moved).toHaveLength(1);
    expect(await readFile(path.join(dataDir, moved[0]!), 'utf8')).toBe(damaged);
    expect(served.log()).toMatch(/warning: .*accounts\.json was unreadable \(the account store is not valid JSON\); it was moved to .*accounts\.json\.corrupt-/);

    await page.goto(served.url);
    const banner = page.getByTestId('storage-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('found damaged files in its data dir');
    await expect(banner).toContainText('the account store is not valid JSON');
    await expect(banner).toContainText(moved[0]!);
    await expect(banner).toContainText('Lost: the list of accounts and their settings');
    await screenshot(page, 'storage-reports');
  } finally {
    await served.stop();
  }
});
