import { accessTokenField, grantField, refreshTokenField, secretValue, textValue, type ProviderDescriptor } from '../provider-fields.js';
import { localOnlyRevoke } from './local-revoke.js';
import { BUILT_IN_PROVIDER_NAMES } from './names.js';

export const upsDescriptor: ProviderDescriptor = {
  id: 'ups',
  name: BUILT_IN_PROVIDER_NAMES.ups,
  summary: 'UPS OAuth (auth-code flow): rotating refresh tokens, 60-day refresh lifetime.',
  fields: [
    { id: 'client_id', label: 'Client ID', help: 'From your app on the UPS Developer Portal.', secret: false, required: true, schema: textValue('Client ID', 256) },
    { id: 'client_secret', label: 'Client secret', help: 'Shown once when the UPS app was created.', secret: true, required: true, schema: secretValue('Client secret', 1024) },
    grantField(),
    {
      id: 'merchant_id',
      label: 'Shipper number (optional)',
      help: 'Sent as x-merchant-id with client credentials (Rating, Shipping and other UPS APIs that take a client-credentials token).',
      secret: false,
      required: false,
      schema: textValue('Shipper number', 64),
    },
    refreshTokenField('From signing in to UPS (the authorization-code exchange); leave empty and use Sign in. UPS rotates it on every refresh.', false),
    accessTokenField(),
  ],
  environments: [
    { id: 'production', label: 'Production', baseUrl: 'https://onlinetools.ups.com' },
    { id: 'test', label: 'Test (CIE)', baseUrl: 'https://wwwcie.ups.com' },
  ],
  defaultEnvironment: 'production',
  authentication: 'HTTP Basic (client id : client secret), form body',
  rotation: 'always',
  expirySource: '`expires_in` (a string); refresh token `refresh_token_expires_in` (~60 days)',
  revoke: localOnlyRevoke('UPS'),
};
