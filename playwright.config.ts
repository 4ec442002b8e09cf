// Playwright: the dashboard in Chromium against the real `tokendesk serve` and the provider
// simulators (test/e2e/*.spec.ts), and the desktop app under _electron where an Electron
// binary exists (test/e2e/electron.spec.ts). The browser: CHROMIUM_PATH, else
// /usr/bin/chromium, else Playwright's own (test/e2e/support/browser.ts); with none the run
// stops at once with the command that installs one.
import { defineConfig } from '@playwright/test';
import { chooseChromium, CHROMIUM_ARGS } from './test/e2e/support/browser.js';

const browser = chooseChromium();
if ('problem' in browser) {
  console.error(browser.problem);
  process.exit(1);
}

export default defineConfig({
  testDir: 'test/e2e',
  // Not test-results/ itself: Playwright empties its outputDir, and scripts/test-all.sh keeps
  // the other suites' reports there.
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/support/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two cores: two workers, each test starting its own `tokendesk serve` and simulators.
  workers: 2,
  retries: 0,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    viewport: { width: 1360, height: 820 },
    launchOptions: {
      executablePath: browser.executablePath,
      args: CHROMIUM_ARGS,
    },
  },
});
