// Starting a simulator: resolve the options, give the vendor its grant store and context,
// listen, and hand back the Simulator handle.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { RecordedRequest, Simulator, SimulatorOptions } from './api.js';
import { FaultQueue } from './faults.js';
import { GrantStore } from './grants.js';
import { ServerLifecycle } from './lifecycle.js';
import { checkNonNegative, resolveOptions, type ResolvedOptions } from './options.js';
import { requestListener } from './routing.js';
import { mintJwt, opaqueToken } from './tokens.js';
import type { HarnessContext, SimulatorDefinition } from './vendor.js';

/** Starts a simulator for a vendor definition: listens on 127.0.0.1:0, resolves once listening. */
export async function startSimulatorServer(def: SimulatorDefinition, options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(def.defaults, options);
  const bound: { origin?: string } = {};
  const listening = (): string => {
    if (bound.origin === undefined) throw new Error('simulator is not listening yet');
    return bound.origin;
  };
  const url = (): string => listening() + def.basePath;

  const grants = createGrantStore(def, resolved, url);
  const context: HarnessContext = {
    options: resolved,
    grants,
    now: resolved.now,
    get origin() {
      return listening();
    },
    get url() {
      return url();
    },
  };
  const wire = def.setup(context);

  const signIn = () => {
    if (!wire.signIn) throw new Error(`the ${def.providerId} simulator has no sign-in`);
    return wire.signIn;
  };

  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue(wire);
  const server = createServer();
  const lifecycle = new ServerLifecycle(server);
  server.on('request', requestListener({ def, options: resolved, wire, requests, faults, scheduler: lifecycle }));
  bound.origin = await lifecycle.listen();

  return {
    providerId: def.providerId,
    url: context.url,
    requests,
    rotations: grants.rotations,
    issue: (overrides = {}) => {
      checkNonNegative('refreshTtlSec', overrides.refreshTtlSec);
      return wire.issue(overrides);
    },
    fail: (fault, times = 1) => faults.add(fault, times),
    clearFaults: () => faults.clear(),
    isValidAccessToken: (token) => grants.isValidAccessToken(token),
    isValidRefreshToken: (token) => grants.isValidRefreshToken(token),
    get refreshCount() {
      return grants.served;
    },
    authorizationRequests: wire.signIn?.authorizationRequests ?? [],
    approveDevice: (userCode) => signIn().approveDevice(userCode),
    denyDevice: (userCode) => signIn().denyDevice(userCode),
    clientCredentials: () => signIn().defaultClientCredentials(),
    passwordUser: () => {
      if (!wire.passwordUser) throw new Error(`the ${def.providerId} simulator has no password sign-in`);
      return { ...wire.passwordUser };
    },
    close: () => lifecycle.close(),
  };
}

/** The grant store with the vendor's token shapes: JWT access tokens carry `iss` = the simulator's URL. */
function createGrantStore(def: SimulatorDefinition, options: ResolvedOptions, url: () => string): GrantStore {
  const now = options.now;
  return new GrantStore({
    now,
    accessTtlSec: options.accessTtlSec,
    refreshTtlSec: options.refreshTtlSec,
    rotate: options.rotate,
    reuseDetection: options.reuseDetection,
    revokeFamilyOnReuse: def.revokeFamilyOnReuse ?? false,
    mintRefreshToken: () => opaqueToken('rt'),
    mintAccessToken: (grant, ttlSec, claims) => {
      if (!options.jwtAccessTokens) return opaqueToken('at');
      const iat = Math.floor(now() / 1000);
      return mintJwt({ ...grant.claims, ...claims, iss: url(), sub: grant.subject, iat, exp: iat + ttlSec, jti: randomUUID() });
    },
  });
}
