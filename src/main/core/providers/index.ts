import type { ProviderInfo } from '../../../shared/contract.js';
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

/** What the contract says of a provider: its fields (without their schemas), environments, behaviour. */
export function providerInfo(spec: ProviderSpec): ProviderInfo {
  return {
    id: spec.id,
    name: spec.name,
    summary: spec.summary,
    fields: spec.fields.map(({ schema: _schema, ...field }) => ({ ...field, options: field.options ? [...field.options] : undefined })),
    environments: spec.environments.map((e) => ({ ...e })),
    defaultEnvironment: spec.defaultEnvironment,
    authentication: spec.authentication,
    rotation: spec.rotation,
    expirySource: spec.expirySource,
    revoke: { ...spec.revoke },
    signIn: [
      ...(spec.signIn?.authorizationCode ? ['browser' as const] : []),
      ...(spec.signIn?.device ? ['device' as const] : []),
      ...(spec.signIn?.password ? ['password' as const] : []),
    ],
    ...(spec.signIn?.password ? { passwordSignIn: { userLabel: spec.signIn.password.userLabel, verified: spec.signIn.password.verified } } : {}),
    ...(spec.authorizationSchemes ? { authorizationSchemes: [...spec.authorizationSchemes] } : {}),
  };
}

/** Every provider this build supports: static, so listing them needs no data dir and no vault key. */
export function listProviderInfo(): ProviderInfo[] {
  return Object.values(providers).map(providerInfo);
}

export type { ProviderAccount, ProviderSpec, ResolvedEndpoints } from './types.js';
