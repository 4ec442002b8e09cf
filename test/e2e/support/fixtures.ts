// Shared pieces of the dashboard e2e tests: simulators, screenshots, the secret scan, a CSP
// watch, axe and Escape for a dialog that has just opened. Screenshots go to test-results/screenshots/; with DOCS_SCREENSHOTS=1 the
// README's ones are refreshed in docs/screenshots/ too.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulators/index.js';
import type { ProviderId } from '../../../src/shared/domain.js';
import type { Served } from './serve.js';

export async function startSims(spec: Partial<Record<ProviderId, SimulatorOptions>>): Promise<Record<ProviderId, Simulator> & { closeAll(): Promise<void> }> {
  const entries = await Promise.all(Object.entries(spec).map(async ([id, options]) => [id, await startSimulator(id as ProviderId, options)] as const));
  const sims = Object.fromEntries(entries) as Record<ProviderId, Simulator>;
  return Object.assign(sims, {
    async closeAll() {
      await Promise.all(entries.map(([, s]) => s.close()));
    },
  });
}

export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  const dir = path.resolve('test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  // Let dialogs and toasts finish animating in (spinners run forever: skip those).
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))`);
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
  if (options.docs && process.env['DOCS_SCREENSHOTS'] === '1') {
    const docs = path.resolve('docs/screenshots');
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: path.join(docs, `${name}.png`) });
  }
}

const TOKEN_PATTERNS = [
  /\b(?:at|rt)_[A-Za-z0-9_-]{20,}/g, // the simulators' opaque tokens
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, // JWT-shaped tokens
];

/**
 * Every token the simulators handed out that the test can know: the grants issued, every
 * refresh token and bearer credential the owner sent them (recorded requests), and the
 * owner's current access tokens.
 */
export async function knownSecrets(sims: Simulator[], served: Pick<Served, 'call'>, extra: string[] = []): Promise<string[]> {
  const found = new Set<string>(extra);
  for (const sim of sims) {
    for (const req of sim.requests) {
      const text = `${req.bodyText} ${req.headers['authorization'] ?? ''}`;
      for (const re of TOKEN_PATTERNS) for (const m of text.matchAll(re)) found.add(m[0]);
    }
  }
  for (const account of await served.call('accounts.list')) {
    if (!account.hasAccessToken || account.status === 'revoked') continue;
    try {
      const t = await served.call('accounts.token', { account: account.id, minValidSeconds: 0 });
      found.add(t.accessToken);
    } catch {
      // an account that cannot give a token (reauth_required) has none to leak
    }
  }
  return [...found].filter((s) => s.length >= 16);
}

/** No secret — nor the signature or payload part of a JWT one — appears anywhere in the DOM. */
export async function expectNoSecretsInDom(page: Page, secrets: string[]): Promise<void> {
  const html = await page.content();
  // Kept for the closing leak scan of `npm test` (scripts/leak-scan.mjs), which also knows
  // the secrets this test could not (every one the simulators issued).
  const domDir = path.resolve('test-results/dom');
  mkdirSync(domDir, { recursive: true });
  writeFileSync(path.join(domDir, `masked-${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.html`), html);
  const leaked: string[] = [];
  for (const secret of secrets) {
    const parts = secret.split('.');
    const needles = parts.length === 3 ? [secret, parts[1]!, parts[2]!] : [secret];
    if (needles.some((n) => n.length >= 16 && html.includes(n))) leaked.push(`${secret.slice(0, 6)}…(${secret.length} chars)`);
  }
  expect(leaked, 'secrets visible in the DOM while masked').toEqual([]);
}

/** Collects CSP violations in the page (must be called before navigation). */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));`,
  });
  return () => page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations);
}

/** Accessibility problems axe finds inside one element (WCAG 2 A and AA rules). */
export async function axeViolations(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('; ')})`);
}

/**
 * Escape until `dialog` closes. A dialog that has just opened gets the key one render after
 * it mounts (Radix), so on a loaded machine the first Escape may find nobody listening; a user
 * presses again. It presses only while the dialog is open, so a dialog below never gets the key.
 */
export async function escapeToClose(page: Page, dialog: Locator): Promise<void> {
  const open = dialog.and(page.locator('[data-state="open"]'));
  await expect(async () => {
    if ((await open.count()) > 0) await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}
