// The tray says "team store offline" while the team database does not answer (docs/ARCHITECTURE.md "Team vault").
import { describe, expect, it } from 'vitest';
import { trayMenuModel } from '../../src/main/app/tray-model.js';

describe('tray: team store offline', () => {
  it('adds a disabled line under the summary only while the team store is offline', () => {
    const offline = trayMenuModel({ accounts: [], pausedAll: false, teamOffline: true, now: 0 });
    expect(offline[1]).toMatchObject({ id: 'team-offline', enabled: false });
    expect(offline[1]!.label).toMatch(/Team store offline/);
    const online = trayMenuModel({ accounts: [], pausedAll: false, teamOffline: false, now: 0 });
    expect(online.some((i) => i.id === 'team-offline')).toBe(false);
  });
});
