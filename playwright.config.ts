// Playwright: the dashboard in Debian's Chromium against the real `tokendesk serve` and the
// provider simulators (test/e2e/*.spec.ts), and the desktop app under _electron where an
// Electron binary exists (test/e2e/electron.spec.ts). `npx playwright install` cannot work
// here: the browser is /usr/bin/chromium (CHROMIUM_PATH overrides it).
import { defineConfig } from '@playwright/test';

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
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
