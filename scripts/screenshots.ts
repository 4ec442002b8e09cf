// `npm run screenshots`: builds, starts `tokendesk serve --demo` (simulated providers, its demo
// data dir in a private temp dir) the way the e2e tests start serve, waits until the demo has
// something to show (automatic refreshes, a rate limit recovered, an account needing the
// user), then saves the dashboard's views — list, details, timeline, history — at 1280×800,
// 800×600 and 600×800, light and dark, as docs/screenshots/<view>-<w>x<h>-<theme>.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../test/e2e/support/browser.js';
import { startServe, type Served } from '../test/e2e/support/serve.js';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
  { width: 600, height: 800 },
] as const;
const THEMES = ['light', 'dark'] as const;
const OUT_DIR = path.resolve('docs/screenshots');
/** The demo account shown in the details view (healthy, rotating, with history). */
const DETAILS_ACCOUNT = 'Rotates its refresh token';

/** Until the demo has a scheduled refresh, a recovered rate limit and the rejected account explained (at most 60 s). */
async function waitForDemoStory(served: Served): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const events = await served.call('history.list', { limit: 200 });
    const accounts = await served.call('accounts.list');
    const scheduled = events.some((e) => e.trigger === 'scheduled' && e.outcome === 'ok');
    const recovered = events.some((e) => e.trigger === 'retry' && e.outcome === 'ok');
    const rejected = accounts.some((a) => a.status === 'reauth_required');
    if (scheduled && recovered && rejected) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.stderr.write('screenshots: the demo did not show everything within 60 s; taking the pictures anyway\n');
}

/** Lets dialogs, toasts and tab changes finish animating (spinners run forever: skipped). */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))`);
}

async function shoot(browser: Browser, url: string, size: (typeof SIZES)[number], theme: (typeof THEMES)[number]): Promise<string[]> {
  const context = await browser.newContext({ viewport: size, colorScheme: theme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const saved: string[] = [];
  const save = async (view: string) => {
    await settle(page);
    const file = path.join(OUT_DIR, `${view}-${size.width}x${size.height}-${theme}.png`);
    await page.screenshot({ path: file });
    saved.push(file);
  };
  try {
    await page.goto(url);
    await page.locator('.list-row').first().waitFor();
    await page.locator(`.app[data-appearance="${theme}"]`).waitFor();
    await save('list');

    await page.locator(`.list-row[data-account-name="${DETAILS_ACCOUNT}"]`).click();
    await page.getByTestId('account-details').waitFor();
    await save('details');
    await page.getByRole('button', { name: 'Close account details' }).click();
    await page.getByTestId('account-details').waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('radio', { name: '15 min' }).click();
    await page.getByTestId('now-line').waitFor();
    await save('timeline');

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('history-table').waitFor();
    await save('history');
  } finally {
    await context.close();
  }
  return saved;
}

execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: ['ignore', 2, 2] });
mkdirSync(OUT_DIR, { recursive: true });
// The demo keeps its data dir in the temp dir: a private one, removed at the end.
const tmp = mkdtempSync(path.join(tmpdir(), 'tokendesk-screenshots-'));
const served = await startServe({ args: ['--demo'], env: { TMPDIR: tmp } });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  await waitForDemoStory(served);
  for (const theme of THEMES) {
    for (const size of SIZES) {
      for (const file of await shoot(browser, served.url, size, theme)) console.log(path.relative(process.cwd(), file));
    }
  }
} finally {
  await browser.close();
  await served.stop();
  rmSync(tmp, { recursive: true, force: true });
}
