// Crash safety: a writer killed with SIGKILL at random moments leaves every file
// readable, holding either the value before or the value after the write in flight.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountStore } from '../../src/main/core/storage/account-store.js';
import { HistoryLog } from '../../src/main/core/storage/history-log.js';
import { PassphraseWrapper } from '../../src/main/core/vault/key-wrappers.js';
import { openVault } from '../../src/main/core/vault/vault.js';
import { exited, spawnFixture, waitForLine } from '../fixtures/child-process.js';
import { CRASH_HISTORY, CRASH_SCRYPT_COST } from '../fixtures/storage-crash-config.js';
import { makeTempDir, removeDir } from '../fixtures/storage-helpers.js';

const PASSPHRASE = 'crash test passphrase';
const TARGET = 1000;
const KILLS = 20;

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(() => removeDir(dir));

interface Values {
  vault: number;
  store: number;
  history: number;
}

/** Opens everything the way the next run would, and reads the three counters. */
async function readValues(): Promise<Values> {
  const vault = await openVault({ dir, wrapper: new PassphraseWrapper(PASSPHRASE, CRASH_SCRYPT_COST) });
  const store = await openAccountStore({ dir });
  const history = await HistoryLog.open({ dir, ...CRASH_HISTORY });
  expect(store.quarantined).toEqual([]);
  expect(vault.quarantined).toEqual([]);
  expect(history.reports.filter((r) => r.movedTo !== null)).toEqual([]); // a torn last line is fine, nothing else
  expect(fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toEqual([]);
  const account = store.findByNameOrId('crash');
  const ids = account ? history.list({ accountId: account.id }).map((e) => Number(e.id.slice(3))) : [];
  expect(ids).toEqual([...ids].sort((a, b) => b - a)); // newest first, no duplicates
  const counter = account ? Number((await vault.getPassword(account.id, 'counter')) ?? 0) : 0;
  if (account && counter > 0) {
    expect(await vault.getPassword(account.id, 'refresh_token')).toBe(`rt-${counter}`); // setMany: all fields or none
    expect(await vault.getPassword(account.id, 'access_token')).toBe(`at-${counter}`);
  }
  return { vault: counter, store: Number(account?.settings['counter'] ?? 0), history: ids[0] ?? 0 };
}

describe('crash safety', () => {
  it(`${KILLS} SIGKILLs at random moments, then ${TARGET} writes completed: every file old-or-new, never torn`, { timeout: 180_000 }, async () => {
    let prev: Values = { vault: 0, store: 0, history: 0 };
    const log: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const child = spawnFixture('storage-crash-child.ts', [dir, String(TARGET)], { TOKENDESK_PASSPHRASE: PASSPHRASE });
      let out = await waitForLine(child, /ready \d+\n/);
      child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
      const delay = Math.floor(Math.random() * 80);
      await sleep(delay);
      child.kill('SIGKILL');
      await exited(child);
      const start = Number(/ready (\d+)/.exec(out)![1]);
      const begins = [...out.matchAll(/begin (\d+)/g)].map((m) => Number(m[1]));
      const b = begins.at(-1);
      const now = await readValues();
      log.push(`kill ${kill} after ${delay} ms: start ${start}, last begin ${b ?? '-'}, values ${JSON.stringify(now)}`);
      expect(start).toBe(prev.vault);
      for (const key of ['vault', 'store', 'history'] as const) {
        // Before the write of b, component c held b-1 (or, in the run's first iteration, what it held at the start).
        const old = b === undefined || b === start + 1 ? prev[key] : b - 1;
        expect([old, b ?? old], `${key}\n${log.join('\n')}`).toContain(now[key]);
      }
      prev = now;
    }
    expect(prev.vault).toBeGreaterThan(0);

    const child = spawnFixture('storage-crash-child.ts', [dir, String(TARGET)], { TOKENDESK_PASSPHRASE: PASSPHRASE });
    const out = await waitForLine(child, /finished/, 120_000);
    expect(await exited(child)).toBe(0);
    const midRun = log.filter((l) => !l.includes('last begin -')).length;
    console.info(`crash test: ${KILLS} kills (${midRun} while writing), final run ${/finished .*/.exec(out)![0]}\n${log.join('\n')}`);
    expect(await readValues()).toEqual({ vault: TARGET, store: TARGET, history: TARGET });
  });
});
