// TeamUp refresh (docs/PROVIDERS.md "teamup"): JSON body, no Authorization
// header, a new refresh token every time, `expires_in` may be null.
import { z } from 'zod';
import { teamupDescriptor } from '../../../shared/providers/teamup.js';
import {
  baseUrlOf, classifyCommon, classifyUnknown, endpoint, formBody, parseJsonLoose, parseSuccessJson, requireRefreshToken, requireValue, toTokenSet, vendorText,
} from './common.js';
import type { ProviderSpec } from './types.js';

const SuccessSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().nullable(),
  refresh_token: z.string().min(1),
});

/** Django REST errors: {"detail": "..."} or {"field": ["..."]}. */
const ErrorSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export function errorText(body: unknown): string | undefined {
  const parsed = ErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const parts = Object.entries(parsed.data).map(([key, value]) => {
    const text = Array.isArray(value) ? value.join(' ') : value;
    return key === 'detail' || key === 'non_field_errors' ? text : `${key}: ${text}`;
  });
  return vendorText(parts.join('; '));
}

export const teamup: ProviderSpec = {
  ...teamupDescriptor,

  baseUrl: (account) => baseUrlOf(account, teamupDescriptor.environments, teamupDescriptor.defaultEnvironment),

  buildRefreshRequest(account) {
    const refreshToken = requireRefreshToken(account);
    const scope = account.settings['scope']?.split(/[\s,]+/).filter(Boolean);
    const body: Record<string, unknown> = {
      refresh_token: refreshToken,
      new_access_token_type: account.settings['new_access_token_type'] || 'customer',
    };
    if (scope?.length) body['scope'] = scope;
    return {
      method: 'POST',
      url: `${endpoint(teamup.baseUrl(account), '/auth/refresh_access_token')}?format=json`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
  },

  parseRefreshResponse(response, ctx) {
    const body = parseSuccessJson(response, SuccessSchema);
    return toTokenSet(
      {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        expiresIn: body.expires_in,
        // TeamUp documents the `Token` prefix; the token type is not in the response.
        tokenType: 'Bearer',
        meta: { request_mode: ctx.account.settings['new_access_token_type'] || 'customer' },
      },
      ctx,
      response.status,
    );
  },

  classifyFailure(response) {
    const message = errorText(parseJsonLoose(response.bodyText));
    const common = classifyCommon(response, message);
    if (common) return common;
    const status = response.status;
    if (status === 401 || (status === 400 && message && /refresh[_ ]?token/i.test(message) && /invalid|expired|revoked/i.test(message))) {
      return { errorClass: 'reauth_required', httpStatus: status, message: `${message ?? 'HTTP 401'} — sign in to TeamUp again` };
    }
    if (status === 400 || status === 403) {
      return { errorClass: 'config_error', httpStatus: status, message: `TeamUp rejected the request: ${message ?? `HTTP ${status}`}` };
    }
    return classifyUnknown(response, message);
  },

  signIn: {
    // TeamUp's OAuth: authorization code + PKCE at {base}/auth/oauth/authorize, scope read_write;
    // the exchange at {base}/auth/oauth/token (form), with the client secret when there is one.
    authorizationCode: {
      authorizeUrl: (account) => endpoint(teamup.baseUrl(account), '/auth/oauth/authorize'),
      extraParams: (account) => ({ scope: account.settings['scope'] || 'read_write' }),
      buildExchange(account, grant) {
        return {
          method: 'POST',
          url: endpoint(teamup.baseUrl(account), '/auth/oauth/token'),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: formBody({
            grant_type: 'authorization_code',
            code: grant.code,
            redirect_uri: grant.redirectUri,
            code_verifier: grant.codeVerifier,
            client_id: requireValue(account.settings, 'client_id', 'Client ID'),
            client_secret: account.secrets['client_secret'] || undefined,
          }),
        };
      },
    },
  },
};
