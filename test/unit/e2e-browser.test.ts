// Which Chromium the browser suites use, and what happens when there is none.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseChromium, INSTALL_COMMAND, SYSTEM_CHROMIUM } from '../e2e/support/browser.js';

const root = path.resolve(import.meta.dirname, '../..');
const existing = (...files: string[]) => (file: string) => files.includes(file);
const OWN = '/home/dev/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';

describe('chooseChromium', () => {
  it('CHROMIUM_PATH first, then the system chromium, then Playwright’s own', () => {
    const all = existing('/opt/chrome', SYSTEM_CHROMIUM, OWN);
    expect(chooseChromium({ env: { CHROMIUM_PATH: '/opt/chrome' }, exists: all, playwrightPath: () => OWN })).toEqual({ executablePath: '/opt/chrome', source: 'CHROMIUM_PATH' });
    expect(chooseChromium({ env: {}, exists: all, playwrightPath: () => OWN })).toEqual({ executablePath: SYSTEM_CHROMIUM, source: 'system' });
    expect(chooseChromium({ env: {}, exists: existing(OWN), playwrightPath: () => OWN })).toEqual({ executablePath: OWN, source: 'playwright' });
  });

  it('with none, one problem naming the install command', () => {
    const choice = chooseChromium({ env: {}, exists: existing(), playwrightPath: () => OWN });
    expect(choice).toEqual({ problem: expect.stringContaining(INSTALL_COMMAND) });
    expect(chooseChromium({ env: {}, exists: existing(), playwrightPath: () => undefined })).toEqual({ problem: expect.stringContaining(INSTALL_COMMAND) });
  });

  it('a CHROMIUM_PATH that points nowhere is named, not silently replaced', () => {
    const choice = chooseChromium({ env: { CHROMIUM_PATH: '/nowhere/chrome' }, exists: existing(SYSTEM_CHROMIUM), playwrightPath: () => undefined });
    expect(choice).toEqual({ problem: expect.stringMatching(/CHROMIUM_PATH is set to \/nowhere\/chrome, which does not exist.*npx playwright install chromium/) });
  });

  it('npx playwright test stops at once with the message, not a wall of launch failures', async () => {
    const result = await promisify(execFile)('npx', ['playwright', 'test', '--reporter=list'], {
      cwd: root,
      env: { ...process.env, CHROMIUM_PATH: '/nowhere/chrome' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, output: '' }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(
      `CHROMIUM_PATH is set to /nowhere/chrome, which does not exist. Point it at a Chromium binary, or unset it and run \`${INSTALL_COMMAND}\`.`,
    );
  });
});
