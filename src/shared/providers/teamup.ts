import { accessTokenField, choice, refreshTokenField, secretValue, textValue, type ProviderDescriptor } from '../provider-fields.js';
import { localOnlyRevoke } from './local-revoke.js';
import { BUILT_IN_PROVIDER_NAMES } from './names.js';

export const TEAMUP_TOKEN_TYPES = ['customer', 'provider'] as const;

export const teamupDescriptor: ProviderDescriptor = {
  id: 'teamup',
  name: BUILT_IN_PROVIDER_NAMES.teamup,
  summary: 'TeamUp API v2: a new refresh token on every refresh; customer or provider tokens.',
  fields: [
    {
      id: 'new_access_token_type',
      label: 'Token type',
      help: 'customer or provider. Requests made with the token must send the same value in TeamUp-Request-Mode.',
      secret: false,
      required: false,
      default: 'customer',
      options: TEAMUP_TOKEN_TYPES,
      schema: choice('Token type', TEAMUP_TOKEN_TYPES),
    },
    {
      id: 'scope',
      label: 'Scopes (optional)',
      help: 'Space-separated scopes to request; empty keeps the current ones.',
      secret: false,
      required: false,
      schema: textValue('Scopes', 1024),
    },
    {
      id: 'provider_id',
      label: 'Provider ID (optional)',
      help: 'Sent as TeamUp-Provider-ID in copied headers when you belong to several businesses.',
      secret: false,
      required: false,
      schema: textValue('Provider ID', 64),
    },
    {
      id: 'client_id',
      label: 'OAuth client ID (for Sign in)',
      help: 'Your TeamUp OAuth application; needed only to sign in from TokenDesk.',
      secret: false,
      required: false,
      schema: textValue('OAuth client ID', 256),
    },
    {
      id: 'client_secret',
      label: 'OAuth client secret (optional)',
      help: 'Empty for a public client: the sign-in then proves itself with PKCE alone.',
      secret: true,
      required: false,
      schema: secretValue('OAuth client secret', 1024),
    },
    refreshTokenField('From the TeamUp OAuth sign-in; leave empty and use Sign in. TeamUp returns a new one on every refresh.', false),
    accessTokenField(),
  ],
  environments: [{ id: 'production', label: 'Production', baseUrl: 'https://goteamup.com/api/v2' }],
  defaultEnvironment: 'production',
  authentication: 'none (refresh token in a JSON body)',
  rotation: 'always',
  expirySource: '`expires_in` (may be null → JWT `exp`, else "refresh every")',
  revoke: localOnlyRevoke('TeamUp'),
  // TeamUp documents `Token`; its own samples send `Bearer`.
  authorizationSchemes: ['Bearer', 'Token'],
};
