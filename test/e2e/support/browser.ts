// Which Chromium the browser suites and the renderer bench drive: CHROMIUM_PATH, else the
// system's /usr/bin/chromium (Debian's package), else the browser `npx playwright install
// chromium` put in Playwright's cache. With none of them the run stops with that command,
// instead of every test failing on the same launch error.
import fs from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const INSTALL_COMMAND = 'npx playwright install chromium';

export type ChromiumChoice = { executablePath: string; source: 'CHROMIUM_PATH' | 'system' | 'playwright' } | { problem: string };

export interface ChooseOptions {
  env?: NodeJS.ProcessEnv;
  exists?: (file: string) => boolean;
  /** Where Playwright keeps its own Chromium (it may not be installed). */
  playwrightPath?: () => string | undefined;
}

function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export function chooseChromium({ env = process.env, exists = fs.existsSync, playwrightPath = playwrightChromium }: ChooseOptions = {}): ChromiumChoice {
  const explicit = env['CHROMIUM_PATH'];
  if (explicit) {
    if (exists(explicit)) return { executablePath: explicit, source: 'CHROMIUM_PATH' };
    return { problem: `CHROMIUM_PATH is set to ${explicit}, which does not exist. Point it at a Chromium binary, or unset it and run \`${INSTALL_COMMAND}\`.` };
  }
  if (exists(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: 'system' };
  const own = playwrightPath();
  if (own && exists(own)) return { executablePath: own, source: 'playwright' };
  return {
    problem: `The browser tests need Chromium and found none (CHROMIUM_PATH is unset, ${SYSTEM_CHROMIUM} is missing, Playwright has no browser installed). Install one with \`${INSTALL_COMMAND}\` (or your system's chromium package), then run the tests again.`,
  };
}

/** Launch options for the chosen Chromium; throws with the install command when there is none. */
export function chromiumLaunchOptions(extraArgs: string[] = []): { executablePath: string; args: string[] } {
  const choice = chooseChromium();
  if ('problem' in choice) throw new Error(choice.problem);
  return { executablePath: choice.executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] };
}
