import { accessTokenField, choice, endpointUrl, grantField, refreshTokenField, secretValue, textValue, type ProviderDescriptor } from '../provider-fields.js';
import { BUILT_IN_PROVIDER_NAMES } from './names.js';

export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** A client that authenticates with its secret, or gets tokens with client credentials, cannot do without the secret. */
function clientSecretProblem(values: Record<string, string>): { field: string; message: string }[] {
  if (values['grant'] === 'client_credentials') return [{ field: 'client_secret', message: 'Client secret is required for client credentials' }];
  const method = values['client_auth'] ?? 'client_secret_basic';
  if (method === 'none') return [];
  return [{ field: 'client_secret', message: `Client secret is required for client authentication ${method} (choose "none" for a public client)` }];
}

export const oauth2Descriptor: ProviderDescriptor = {
  id: 'oauth2',
  name: BUILT_IN_PROVIDER_NAMES.oauth2,
  summary: 'Any RFC 6749 server: token URL or issuer discovery, RFC 7009 revocation.',
  fields: [
    { id: 'issuer', label: 'Issuer URL', help: 'Discovers the endpoints (RFC 8414 / OpenID Connect). Give this or a token URL.', secret: false, required: false, schema: endpointUrl('Issuer URL') },
    { id: 'token_url', label: 'Token URL', help: 'The token endpoint, when you do not use discovery.', secret: false, required: false, schema: endpointUrl('Token URL') },
    { id: 'revocation_url', label: 'Revocation URL (optional)', help: 'RFC 7009 endpoint; discovered from the issuer when empty.', secret: false, required: false, schema: endpointUrl('Revocation URL') },
    { id: 'client_id', label: 'Client ID', help: 'The OAuth client id.', secret: false, required: true, schema: textValue('Client ID', 512) },
    { id: 'client_secret', label: 'Client secret', help: 'Empty for public clients (client authentication "none").', secret: true, required: false, schema: secretValue('Client secret', 2048) },
    {
      id: 'client_auth',
      label: 'Client authentication',
      help: 'How the client authenticates to the token endpoint.',
      secret: false,
      required: false,
      default: 'client_secret_basic',
      options: CLIENT_AUTH_METHODS,
      schema: choice('Client authentication', CLIENT_AUTH_METHODS),
    },
    { id: 'scope', label: 'Scope (optional)', help: 'Space-separated; empty keeps the scope of the grant.', secret: false, required: false, schema: textValue('Scope', 2048) },
    grantField(),
    {
      id: 'authorization_url',
      label: 'Authorization URL (optional)',
      help: 'For signing in with the browser; discovered from the issuer when empty.',
      secret: false,
      required: false,
      schema: endpointUrl('Authorization URL'),
    },
    {
      id: 'device_authorization_url',
      label: 'Device authorization URL (optional)',
      help: 'For signing in with a code on another device (RFC 8628); discovered from the issuer when empty.',
      secret: false,
      required: false,
      schema: endpointUrl('Device authorization URL'),
    },
    {
      id: 'redirect_uri',
      label: 'Registered redirect URI (optional)',
      help: 'Only if the server requires an exact one, e.g. http://127.0.0.1:8765/callback. Empty: a free port on 127.0.0.1.',
      secret: false,
      required: false,
      schema: textValue('Registered redirect URI', 512),
    },
    { id: 'audience', label: 'Audience (optional)', help: 'Sent as `audience` when signing in (Auth0 and others).', secret: false, required: false, schema: textValue('Audience', 512) },
    { id: 'resource', label: 'Resource (optional)', help: 'Sent as `resource` when signing in (RFC 8707).', secret: false, required: false, schema: textValue('Resource', 512) },
    {
      id: 'auth_params',
      label: 'Extra sign-in parameters (optional)',
      help: 'Added to the authorization request, as a query string: prompt=consent&access_type=offline',
      secret: false,
      required: false,
      schema: textValue('Extra sign-in parameters', 1024),
    },
    refreshTokenField('From a sign-in elsewhere; leave empty and use Sign in to get one.', false),
    accessTokenField(),
  ],
  environments: [],
  authentication: 'client_secret_basic (default), client_secret_post or none; form body',
  rotation: 'optional',
  expirySource: '`expires_in`, else JWT `exp`, else "refresh every"',
  revoke: {
    kind: 'rfc7009',
    sentence: 'TokenDesk asks the server to revoke the refresh token (RFC 7009), which ends the whole grant, then deletes the tokens from this computer.',
  },
  checkValues: (values) => [
    ...(values['token_url'] || values['issuer'] ? [] : [{ field: 'token_url', message: 'Token URL is required (or an issuer URL to discover it)' }]),
    ...(values['client_secret'] ? [] : clientSecretProblem(values)),
  ],
};
