// Provider files in the data dir across owner restarts: providers.json keeps each definition
// with its revision, the next owner loads it and its accounts refresh; a stored definition this
// version refuses is reported, left untouched, and its accounts cannot refresh; removal is
// refused while an account uses the provider.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROVIDERS_FILE } from '../../src/main/core/storage/provider-store.js';
import { startLedgerlySimulator, type Simulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir } from '../helpers/temp-owner.js';

const EXAMPLE = JSON.parse(fs.readFileSync('examples/providers/ledgerly.json', 'utf8')) as Record<string, unknown>;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(): Promise<{ dir: string; sim: Simulator }> {
  const t = await tempDir('tokendesk-provider-store-');
  cleanups.push(t.cleanup);
  const sim = await startLedgerlySimulator();
  cleanups.push(() => sim.close());
  return { dir: t.dir, sim };
}

describe('provider files in the data dir', () => {
  it('survive an owner restart with their revision, and their accounts keep refreshing', async () => {
    const { dir, sim } = await setup();
    let owner = await openTestOwner(dir, { schedule: false });
    const changes: unknown[] = [];
    owner.engine.on('providers-changed', (change) => changes.push(change));
    expect((await call(owner, 'providers.add', { definition: EXAMPLE })).revision).toBe(1);
    await expect(call(owner, 'providers.add', { definition: EXAMPLE })).rejects.toMatchObject({ code: 'conflict' });
    const replaced = await call(owner, 'providers.add', { definition: { ...EXAMPLE, version: 2 }, replace: true });
    expect(replaced).toMatchObject({ revision: 2, replaced: true });
    // Every client hears of it (the dashboard reloads its provider list).
    expect(changes).toEqual([{ id: 'ledgerly', change: 'added' }, { id: 'ledgerly', change: 'replaced' }]);
    const grant = sim.issue();
    await call(owner, 'accounts.add', { providerId: 'ledgerly', name: 'books', baseUrl: sim.url, values: { api_key: grant.secrets['api_key'], refresh_token: grant.refreshToken } });
    await owner.close();

    const stored = JSON.parse(fs.readFileSync(path.join(dir, PROVIDERS_FILE), 'utf8')) as { schemaVersion: number; providers: { id: string; revision: number }[] };
    expect(stored).toMatchObject({ schemaVersion: 1, providers: [{ id: 'ledgerly', revision: 2 }] });
    expect(fs.statSync(path.join(dir, PROVIDERS_FILE)).mode & 0o777).toBe(0o600);

    owner = await openTestOwner(dir, { schedule: false });
    cleanups.push(() => owner.close());
    expect((await call(owner, 'providers.show', { id: 'ledgerly' })).revision).toBe(2);
    const refreshed = await call(owner, 'accounts.refresh', { account: 'books' });
    expect(refreshed.outcome.ok).toBe(true);
    expect(refreshed.account.meta).toMatchObject({ plan: 'team' });
    await expect(call(owner, 'providers.remove', { id: 'ledgerly' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call(owner, 'providers.remove', { id: 'ups' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('reports a stored definition this version refuses, leaves the file untouched, and its accounts cannot refresh', async () => {
    const { dir, sim } = await setup();
    let owner = await openTestOwner(dir, { schedule: false });
    await call(owner, 'providers.add', { definition: EXAMPLE });
    const grant = sim.issue();
    await call(owner, 'accounts.add', { providerId: 'ledgerly', name: 'books', baseUrl: sim.url, values: { api_key: grant.secrets['api_key'], refresh_token: grant.refreshToken } });
    await owner.close();

    // As if written by a TokenDesk with laxer rules: a plain-http token URL off loopback.
    const file = path.join(dir, PROVIDERS_FILE);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { providers: { definition: { environments: { baseUrl: string }[] } }[] };
    doc.providers[0]!.definition.environments[0]!.baseUrl = 'http://api.ledgerly.example';
    fs.writeFileSync(file, JSON.stringify(doc));
    const before = fs.readFileSync(file, 'utf8');

    owner = await openTestOwner(dir, { schedule: false });
    cleanups.push(() => owner.close());
    const status = await call(owner, 'owner.status');
    expect(status.storageReports?.map((r) => r.reason).join('\n')).toMatch(/The provider file ledgerly is refused by this version: \/environments\/0\/baseUrl: the base URL must be an https:\/\/ URL/);
    expect((await call(owner, 'providers.list')).map((p) => p.id)).not.toContain('ledgerly');
    await expect(call(owner, 'accounts.refresh', { account: 'books' })).rejects.toMatchObject({ code: 'config_error', message: 'Unknown provider ledgerly' });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
