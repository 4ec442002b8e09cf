import { z } from 'zod';
import { accessTokenField, refreshTokenField, textValue, type ProviderDescriptor } from '../provider-fields.js';
import { localOnlyRevoke } from './local-revoke.js';
import { BUILT_IN_PROVIDER_NAMES } from './names.js';

export const PATHSTACK_DEFAULT_API_VERSION = '2024-03-27';

export const pathstackDescriptor: ProviderDescriptor = {
  id: 'pathstack',
  name: BUILT_IN_PROVIDER_NAMES.pathstack,
  summary: 'PathStack API: subject UUID + refresh token, 60-minute access tokens.',
  fields: [
    {
      id: 'sub',
      label: 'Subject (sub)',
      help: 'The `sub` UUID returned by POST /token at sign-in; filled in for you when you sign in from TokenDesk.',
      secret: false,
      required: false,
      schema: textValue('Subject').pipe(z.uuid('Subject must be a UUID such as 3f2b8c1e-…')),
    },
    {
      id: 'api_version',
      label: 'API version',
      help: 'Sent as the x-api-version header (a date).',
      secret: false,
      required: false,
      default: PATHSTACK_DEFAULT_API_VERSION,
      schema: textValue('API version', 10).pipe(z.iso.date('API version must be a date such as 2024-03-27')),
    },
    refreshTokenField('From POST /token at sign-in; leave empty and use Sign in (with your PathStack password).', false),
    accessTokenField(),
  ],
  // A pasted refresh token is only usable with the subject it belongs to.
  checkValues: (values) => (values['refresh_token'] && !values['sub'] ? [{ field: 'sub', message: 'Subject is required with a refresh token (the sub that goes with it)' }] : []),
  environments: [{ id: 'production', label: 'Production', baseUrl: 'https://api.pathstack.io' }],
  defaultEnvironment: 'production',
  authentication: 'none (sub + refresh token in a JSON body), `x-api-version` header',
  rotation: 'optional',
  expirySource: '`expires_in` (integer seconds)',
  revoke: localOnlyRevoke('PathStack'),
};
