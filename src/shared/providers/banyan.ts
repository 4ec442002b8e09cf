import { accessTokenField, refreshTokenField, type ProviderDescriptor } from '../provider-fields.js';
import { localOnlyRevoke } from './local-revoke.js';
import { BUILT_IN_PROVIDER_NAMES } from './names.js';

export const banyanDescriptor: ProviderDescriptor = {
  id: 'banyan',
  name: BUILT_IN_PROVIDER_NAMES.banyan,
  summary: 'Banyan Command Center API: refresh token (or API key) as a Bearer header.',
  fields: [
    {
      ...refreshTokenField("An API token you generate in Banyan's Command Center (Settings → API Keys). Banyan has no sign-in for it: paste it here. Sent as the Bearer credential."),
      docs: { label: 'How to create a Banyan API key', url: 'https://docs.banyanops.com/' },
    },
    accessTokenField(),
  ],
  environments: [
    { id: 'production', label: 'Production', baseUrl: 'https://net.banyanops.com/api' },
    { id: 'dev', label: 'Dev (bnntest)', baseUrl: 'https://dev02.console.bnntest.com/api' },
  ],
  defaultEnvironment: 'production',
  authentication: 'Bearer refresh token / API key, no body',
  rotation: 'never',
  expirySource: 'JWT `exp` of the access token, else "refresh every"',
  revoke: localOnlyRevoke('Banyan'),
};
