import type { ProviderId } from '../../../shared/domain.js';
import { banyan } from './banyan.js';
import { oauth2 } from './oauth2.js';
import { pathstack } from './pathstack.js';
import { teamup } from './teamup.js';
import type { ProviderSpec } from './types.js';
import { ups } from './ups.js';
import { vaultist } from './vaultist.js';

export const providers: Readonly<Record<ProviderId, ProviderSpec>> = { ups, pathstack, teamup, banyan, vaultist, oauth2 };

export function providerSpec(id: string): ProviderSpec | undefined {
  return Object.prototype.hasOwnProperty.call(providers, id) ? providers[id as ProviderId] : undefined;
}

export type { ProviderAccount, ProviderSpec, ResolvedEndpoints } from './types.js';
