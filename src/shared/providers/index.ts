import type { ProviderId } from '../domain.js';
import type { ProviderDescriptor } from '../provider-fields.js';
import { banyanDescriptor } from './banyan.js';
import { oauth2Descriptor } from './oauth2.js';
import { pathstackDescriptor } from './pathstack.js';
import { teamupDescriptor } from './teamup.js';
import { upsDescriptor } from './ups.js';
import { vaultistDescriptor } from './vaultist.js';

export const providerDescriptors: Readonly<Record<ProviderId, ProviderDescriptor>> = {
  ups: upsDescriptor,
  pathstack: pathstackDescriptor,
  teamup: teamupDescriptor,
  banyan: banyanDescriptor,
  vaultist: vaultistDescriptor,
  oauth2: oauth2Descriptor,
};
