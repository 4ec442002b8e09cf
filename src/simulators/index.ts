// Local simulators of the vendors' token-refresh endpoints (docs/ARCHITECTURE.md
// "Provider simulators"): used by the integration and e2e tests, and by the demo mode.
// Plain node:http on 127.0.0.1.
import type { ProviderId } from '../shared/domain.js';
import { startBanyanSimulator } from './banyan.js';
import { startLedgerlySimulator } from './ledgerly.js';
import type { Simulator, SimulatorOptions } from './harness.js';
import { startOAuth2Simulator } from './oauth2.js';
import { startPathstackSimulator } from './pathstack.js';
import { startTeamupSimulator } from './teamup.js';
import { startUpsSimulator } from './ups.js';
import { startVaultistSimulator } from './vaultist.js';

export type {
  Fault,
  Grant,
  OAuth2ClientAuth,
  OAuth2Discovery,
  RecordedRequest,
  Simulator,
  SimulatorOptions,
  TokenRotation,
} from './harness.js';
export {
  startBanyanSimulator,
  /** Not a built-in: a made-up vendor described only by examples/providers/ledgerly.json. */
  startLedgerlySimulator,
  startOAuth2Simulator,
  startPathstackSimulator,
  startTeamupSimulator,
  startUpsSimulator,
  startVaultistSimulator,
};

export const SIMULATOR_STARTERS: Readonly<Record<ProviderId, (options?: SimulatorOptions) => Promise<Simulator>>> = {
  ups: startUpsSimulator,
  pathstack: startPathstackSimulator,
  teamup: startTeamupSimulator,
  banyan: startBanyanSimulator,
  vaultist: startVaultistSimulator,
  oauth2: startOAuth2Simulator,
};

/** Starts the simulator of a provider on 127.0.0.1 with an ephemeral port; resolves once it listens. */
export function startSimulator(providerId: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const start = SIMULATOR_STARTERS[providerId];
  if (!start) return Promise.reject(new Error(`No simulator for provider "${String(providerId)}"`));
  return start(options);
}
