import { accessTokenField, refreshTokenField, textValue, type ProviderDescriptor } from '../provider-fields.js';
import { localOnlyRevoke } from './local-revoke.js';
import { BUILT_IN_PROVIDER_NAMES } from './names.js';

export const vaultistDescriptor: ProviderDescriptor = {
  id: 'vaultist',
  name: BUILT_IN_PROVIDER_NAMES.vaultist,
  summary: 'Vault.ist partner API: partnerId + grantType headers, JSON refresh token.',
  fields: [
    {
      id: 'partner_id',
      label: 'Partner ID',
      help: 'Your numeric Vault.ist partner id (sent as the partnerId header).',
      secret: false,
      required: true,
      schema: textValue('Partner ID', 11)
        .refine((v) => /^-?\d+$/.test(v), 'Partner ID must be a whole number')
        .refine((v) => Number(v) >= -2147483648 && Number(v) <= 2147483647, 'Partner ID is outside the int32 range (-2147483648 to 2147483647)')
        .transform((v) => String(Number(v))),
    },
    refreshTokenField('From POST /v1/auth/token with grantType password_email; leave empty and use Sign in (with your Vault.ist email and password).', false),
    accessTokenField(),
  ],
  environments: [{ id: 'sandbox', label: 'Sandbox', baseUrl: 'https://api.vault.sandbox.testessential.net' }],
  defaultEnvironment: 'sandbox',
  authentication: 'headers `partnerId` + `grantType: refresh_token`, JSON body',
  rotation: 'optional',
  expirySource: '`expires_in` (integer seconds)',
  revoke: localOnlyRevoke('Vault.ist'),
};
