// UPS OAuth refresh (docs/PROVIDERS.md "ups"). Every success field is a JSON
// string, numbers included; UPS rotates the refresh token on every use.
import { z } from 'zod';
import { upsDescriptor } from '../../../shared/providers/ups.js';
import {
  baseUrlOf, basicAuthPlain, classifyCommon, classifyUnknown, endpoint, formBody,
  parseJsonLoose, parseSuccessJson, requireRefreshToken, requireValue, toTokenSet, vendorText,
} from './common.js';
import type { ProviderFailure } from '../net/provider-error.js';
import type { WireRequest } from '../net/http.js';
import type { ProviderAccount, ProviderSpec } from './types.js';

const numeric = z.union([z.string(), z.number()]);

const SuccessSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: numeric.optional(),
  issued_at: numeric.optional(),
  refresh_token_expires_in: numeric.optional(),
  refresh_token_issued_at: numeric.optional(),
  refresh_token_status: z.string().optional(),
  status: z.string().optional(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
  refresh_count: numeric.optional(),
});

const ErrorSchema = z.object({
  response: z.object({
    errors: z.array(z.object({ code: numeric.optional(), message: z.string().optional() })).min(1),
  }),
});

/** A form POST to UPS's OAuth API with HTTP Basic client_id:client_secret, as every UPS token call is. */
function oauthPost(account: ProviderAccount, path: string, fields: Record<string, string | undefined>, headers: Record<string, string> = {}): WireRequest {
  const clientId = requireValue(account.settings, 'client_id', 'Client ID');
  const clientSecret = requireValue(account.secrets, 'client_secret', 'Client secret');
  return {
    method: 'POST',
    url: endpoint(ups.baseUrl(account), path),
    headers: { authorization: basicAuthPlain(clientId, clientSecret), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: formBody(fields),
  };
}

export const ups: ProviderSpec = {
  ...upsDescriptor,

  baseUrl: (account) => baseUrlOf(account, upsDescriptor.environments, upsDescriptor.defaultEnvironment),

  buildRefreshRequest(account) {
    // Rating, Shipping and most UPS APIs take a client-credentials token: no user, no refresh token.
    if (account.settings['grant'] === 'client_credentials') {
      const merchant = account.settings['merchant_id'];
      return oauthPost(account, '/security/v1/oauth/token', { grant_type: 'client_credentials' }, merchant ? { 'x-merchant-id': merchant } : {});
    }
    return oauthPost(account, '/security/v1/oauth/refresh', { grant_type: 'refresh_token', refresh_token: requireRefreshToken(account) });
  },

  parseRefreshResponse(response, ctx) {
    const body = parseSuccessJson(response, SuccessSchema);
    const meta: Record<string, string | number> = {};
    if (body.refresh_count !== undefined) meta['refresh_count'] = Number(body.refresh_count);
    if (body.refresh_token_status) meta['refresh_token_status'] = body.refresh_token_status;
    if (body.status) meta['status'] = body.status;
    return toTokenSet(
      {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        tokenType: body.token_type,
        expiresIn: body.expires_in,
        refreshTokenExpiresIn: body.refresh_token_expires_in,
        scope: body.scope,
        meta,
      },
      ctx,
      response.status,
    );
  },

  classifyFailure(response) {
    const parsed = ErrorSchema.safeParse(parseJsonLoose(response.bodyText));
    const first = parsed.success ? parsed.data.response.errors[0] : undefined;
    const code = first?.code !== undefined ? String(first.code) : undefined;
    const message = vendorText(first?.message);
    const said = [code && `UPS ${code}`, message].filter(Boolean).join(': ') || undefined;
    const common = classifyCommon(response, said);
    if (common) return { ...common, vendorCode: code };
    const failure = (errorClass: ProviderFailure['errorClass'], text: string): ProviderFailure => ({
      errorClass,
      httpStatus: response.status,
      vendorCode: code,
      message: text,
    });
    // UPS reports a bad/used/expired refresh token as 10400 naming the refresh token.
    if (message && /refresh[ _-]?token/i.test(message)) {
      return failure('reauth_required', `${said} — sign in to UPS again to get a new refresh token`);
    }
    if (code === '10401') return failure('config_error', `${said} — check the client ID and secret`);
    if (code === '10400') return failure('config_error', `${said}`);
    if (response.status === 401 && !code) return failure('reauth_required', `HTTP 401 — UPS rejected the credentials; sign in again`);
    return classifyUnknown(response, said);
  },

  signIn: {
    // UPS's authorization-code flow: authorize at /security/v1/oauth/authorize, exchange at
    // /security/v1/oauth/token with HTTP Basic (PKCE is sent too; UPS accepts the verifier alongside).
    authorizationCode: {
      authorizeUrl: (account) => endpoint(ups.baseUrl(account), '/security/v1/oauth/authorize'),
      extraParams: () => ({}),
      buildExchange: (account, grant) =>
        oauthPost(account, '/security/v1/oauth/token', { grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier }),
    },
  },
};
