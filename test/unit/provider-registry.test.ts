// One registry of providers (PROVIDER_IDS in src/shared/domain.ts): everything that lists
// providers derives from it or is checked against it here, so a vendor added in one place
// and forgotten in another fails this test (docs/ARCHITECTURE.md "Adding a provider").
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/core/demo.js';
import { listProviderInfo, providers } from '../../src/main/core/providers/index.js';
import { PROVIDER_IDS } from '../../src/shared/domain.js';
import { providerDescriptors } from '../../src/shared/providers/index.js';
import { SIMULATOR_STARTERS } from '../../src/simulators/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const sorted = (ids: Iterable<string>) => [...ids].sort();
const ALL = sorted(PROVIDER_IDS);

describe('the provider registry', () => {
  it('core specs, shared descriptors and the contract list cover exactly the registry', () => {
    expect(sorted(Object.keys(providers))).toEqual(ALL);
    expect(sorted(Object.keys(providerDescriptors))).toEqual(ALL);
    expect(listProviderInfo().map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    for (const id of PROVIDER_IDS) expect(providers[id].id, id).toBe(id);
  });

  it('every provider has a simulator and a demo account', () => {
    expect(sorted(Object.keys(SIMULATOR_STARTERS))).toEqual(ALL);
    expect(sorted(new Set(DEMO_ACCOUNTS.map((a) => a.providerId)))).toEqual(ALL);
  });

  it('the README table and docs/PROVIDERS.md have a row and a section per provider', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    // The providers table: rows that start with a bare id (the CLI table's rows start with `tokendesk …`).
    const tableIds = [...readme.matchAll(/^\| `([a-z0-9]+)` \|/gm)].map((m) => m[1]!);
    expect(sorted(tableIds)).toEqual(ALL);
    const docs = fs.readFileSync(path.join(root, 'docs/PROVIDERS.md'), 'utf8');
    expect(sorted([...docs.matchAll(/^## ([a-z0-9]+)$/gm)].map((m) => m[1]!).filter((id) => id !== 'revoke'))).toEqual(ALL);
  });

  it('the dashboard names every provider from the registry (no list of its own)', () => {
    const renderer = path.join(root, 'src/renderer/src');
    for (const entry of fs.readdirSync(renderer, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
      const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      // A hand-written list of provider ids or vendor names.
      expect(text, entry.name).not.toMatch(/'ups',\s*'pathstack'|UPS, PathStack/);
    }
  });
});
