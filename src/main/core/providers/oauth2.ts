// Any RFC 6749 server (docs/PROVIDERS.md "oauth2"): refresh per §6, errors per §5.2,
// revocation per RFC 7009, endpoints given or discovered (RFC 8414 / OIDC).
import { z } from 'zod';
import { isAllowedEndpointUrl } from '../../../shared/provider-fields.js';
import { oauth2Descriptor, type ClientAuthMethod } from '../../../shared/providers/oauth2.js';
import {
  basicAuthRfc6749, classifyCommon, classifyUnknown, formBody, parseJsonLoose, parseSuccessJson, requireRefreshToken, requireValue, toTokenSet, vendorText,
} from './common.js';
import type { WireRequest } from '../net/http.js';
import { ProviderError } from '../net/provider-error.js';
import type { ProviderAccount, ProviderSpec, ResolvedEndpoints } from './types.js';

const SuccessSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).nullable().optional(),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.union([z.number(), z.string()]).optional(),
  scope: z.string().optional(),
});

const ErrorSchema = z.object({ error: z.string(), error_description: z.string().optional(), error_uri: z.string().optional() });

const DiscoverySchema = z.object({
  issuer: z.string().optional(),
  token_endpoint: z.string(),
  revocation_endpoint: z.string().optional(),
  authorization_endpoint: z.string().optional(),
  device_authorization_endpoint: z.string().optional(),
});

const CONFIG_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_request']);
/** OIDC / common extensions that mean "try again later". */
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);

/** Adds client authentication to a form request the way the account says (RFC 6749 §2.3). */
export function withClientAuth(account: ProviderAccount, url: string, fields: Record<string, string | undefined>): WireRequest {
  const method = (account.settings['client_auth'] || 'client_secret_basic') as ClientAuthMethod;
  const clientId = requireValue(account.settings, 'client_id', 'Client ID');
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = { ...fields };
  if (method === 'none') {
    body['client_id'] = clientId;
  } else {
    const secret = account.secrets['client_secret'];
    if (!secret) {
      throw new ProviderError({ errorClass: 'config_error', message: `Client secret is required for client authentication ${method} (choose "none" for a public client)` });
    }
    if (method === 'client_secret_post') Object.assign(body, { client_id: clientId, client_secret: secret });
    else headers['authorization'] = basicAuthRfc6749(clientId, secret);
  }
  return { method: 'POST', url, headers, body: formBody(body) };
}

/** Endpoints the account names itself; the sign-in ones are optional fields. */
function given(account: ProviderAccount): Omit<ResolvedEndpoints, 'tokenUrl'> {
  return {
    revocationUrl: account.settings['revocation_url'] || undefined,
    authorizationUrl: account.settings['authorization_url'] || undefined,
    deviceAuthorizationUrl: account.settings['device_authorization_url'] || undefined,
  };
}

function direct(account: ProviderAccount): ResolvedEndpoints | undefined {
  const tokenUrl = account.settings['token_url'];
  if (!tokenUrl) return undefined;
  // With an issuer too, the sign-in endpoints the account does not name come from discovery.
  const named = given(account);
  if (account.settings['issuer'] && (!named.authorizationUrl || !named.deviceAuthorizationUrl)) return undefined;
  return { tokenUrl, ...named };
}

/** Query parameters from "Extra sign-in parameters" (a query string); the ones TokenDesk sets itself are ignored. */
function extraAuthParams(text: string | undefined): Record<string, string> {
  const reserved = new Set(['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']);
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text ?? '')) if (!reserved.has(k)) out[k] = v;
  return out;
}

function signInEndpoint(endpoints: ResolvedEndpoints | undefined, key: 'authorizationUrl' | 'deviceAuthorizationUrl', what: string, field: string): string {
  const url = endpoints?.[key];
  if (!url) throw new ProviderError({ errorClass: 'config_error', message: `No ${what} is known for this account: set "${field}" or an issuer that publishes it` });
  return url;
}

function requireEndpoints(account: ProviderAccount, endpoints?: ResolvedEndpoints): ResolvedEndpoints {
  const resolved = endpoints ?? direct(account);
  if (!resolved) throw new ProviderError({ errorClass: 'config_error', message: 'Neither a token URL nor a discovered token endpoint is known for this account' });
  return resolved;
}

export const oauth2: ProviderSpec = {
  ...oauth2Descriptor,

  baseUrl: (account) => account.settings['token_url'] || account.settings['issuer'],

  buildRefreshRequest(account, endpoints) {
    const { tokenUrl } = requireEndpoints(account, endpoints);
    // Machine-to-machine: each access token comes from the client credentials (RFC 6749 §4.4).
    if (account.settings['grant'] === 'client_credentials') {
      return withClientAuth(account, tokenUrl, { grant_type: 'client_credentials', scope: account.settings['scope'] || undefined });
    }
    const refreshToken = requireRefreshToken(account);
    return withClientAuth(account, tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: account.settings['scope'] || undefined,
    });
  },

  parseRefreshResponse(response, ctx) {
    const body = parseSuccessJson(response, SuccessSchema);
    return toTokenSet(
      {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        idToken: body.id_token,
        tokenType: body.token_type,
        expiresIn: body.expires_in,
        refreshTokenExpiresIn: body.refresh_token_expires_in,
        scope: body.scope,
      },
      ctx,
      response.status,
    );
  },

  classifyFailure(response) {
    const parsed = ErrorSchema.safeParse(parseJsonLoose(response.bodyText));
    const code = parsed.success ? parsed.data.error : undefined;
    const description = parsed.success ? vendorText(parsed.data.error_description) : undefined;
    const message = [code, description].filter(Boolean).join(': ') || undefined;
    const common = classifyCommon(response, message);
    if (common) return { ...common, vendorCode: code };
    const status = response.status;
    if (code === 'invalid_grant') {
      return { errorClass: 'reauth_required', httpStatus: status, vendorCode: code, message: `${message} — the grant is no longer valid; sign in again` };
    }
    if (code && TRANSIENT_ERRORS.has(code)) return { errorClass: 'transient', httpStatus: status, vendorCode: code, message: `${message}` };
    if (code && CONFIG_ERRORS.has(code)) {
      return { errorClass: 'config_error', httpStatus: status, vendorCode: code, message: `The server rejected the client or request: ${message}` };
    }
    if (status === 401) {
      return { errorClass: 'config_error', httpStatus: status, vendorCode: code, message: `HTTP 401${message ? `: ${message}` : ''} — client authentication failed; check the client ID, secret and method` };
    }
    return classifyUnknown(response, message);
  },

  buildRevokeRequest(account, endpoints) {
    const { revocationUrl } = requireEndpoints(account, endpoints);
    if (!revocationUrl) return undefined;
    const refreshToken = account.secrets['refresh_token'];
    const token = refreshToken ?? account.secrets['access_token'];
    if (!token) return undefined;
    return withClientAuth(account, revocationUrl, { token, token_type_hint: refreshToken ? 'refresh_token' : 'access_token' });
  },

  discovery: {
    candidates(account) {
      const issuer = account.settings['issuer'];
      if (!issuer) return [];
      const url = new URL(issuer);
      const path = url.pathname.replace(/\/+$/, '');
      // RFC 8414 §3.1 inserts the well-known segment before the path; OIDC appends it.
      return [
        `${url.origin}/.well-known/oauth-authorization-server${path}`,
        `${url.origin}${path}/.well-known/openid-configuration`,
      ];
    },
    parse(doc, account) {
      const parsed = DiscoverySchema.safeParse(doc);
      if (!parsed.success) {
        throw new ProviderError({ errorClass: 'config_error', message: 'The discovery document has no token_endpoint' });
      }
      const issuer = account.settings['issuer']?.replace(/\/+$/, '');
      if (parsed.data.issuer && issuer && parsed.data.issuer.replace(/\/+$/, '') !== issuer) {
        throw new ProviderError({ errorClass: 'config_error', message: `The discovery document is for issuer ${parsed.data.issuer}, not ${issuer} (RFC 8414 §3.3)` });
      }
      for (const url of [parsed.data.token_endpoint, parsed.data.revocation_endpoint, parsed.data.authorization_endpoint, parsed.data.device_authorization_endpoint]) {
        if (url !== undefined && !isAllowedEndpointUrl(url)) {
          throw new ProviderError({ errorClass: 'config_error', message: `The discovered endpoint ${url} is not https (plain http is allowed only on localhost)` });
        }
      }
      const named = given(account);
      return {
        tokenUrl: account.settings['token_url'] || parsed.data.token_endpoint,
        revocationUrl: named.revocationUrl ?? parsed.data.revocation_endpoint,
        authorizationUrl: named.authorizationUrl ?? parsed.data.authorization_endpoint,
        deviceAuthorizationUrl: named.deviceAuthorizationUrl ?? parsed.data.device_authorization_endpoint,
      };
    },
    direct,
  },

  signIn: {
    authorizationCode: {
      authorizeUrl: (_account, endpoints) => signInEndpoint(endpoints, 'authorizationUrl', 'authorization endpoint', 'Authorization URL'),
      extraParams: (account) => ({
        scope: account.settings['scope'] || undefined,
        audience: account.settings['audience'] || undefined,
        resource: account.settings['resource'] || undefined,
        ...extraAuthParams(account.settings['auth_params']),
      }),
      registeredRedirectUri: (account) => account.settings['redirect_uri'] || undefined,
      buildExchange(account, grant, endpoints) {
        const { tokenUrl } = requireEndpoints(account, endpoints);
        return withClientAuth(account, tokenUrl, {
          grant_type: 'authorization_code',
          code: grant.code,
          redirect_uri: grant.redirectUri,
          code_verifier: grant.codeVerifier,
        });
      },
    },
    device: {
      buildDeviceRequest(account, endpoints) {
        const url = signInEndpoint(endpoints, 'deviceAuthorizationUrl', 'device authorization endpoint', 'Device authorization URL');
        return withClientAuth(account, url, { scope: account.settings['scope'] || undefined, audience: account.settings['audience'] || undefined });
      },
      buildPollRequest(account, deviceCode, endpoints) {
        const { tokenUrl } = requireEndpoints(account, endpoints);
        return withClientAuth(account, tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode });
      },
    },
  },
};
