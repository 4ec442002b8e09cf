// Vault.ist partner refresh (docs/PROVIDERS.md "vaultist"): headers partnerId
// and grantType, JSON body {refreshToken}; OAuth-style error bodies.
import { z } from 'zod';
import { vaultistDescriptor } from '../../../shared/providers/vaultist.js';
import {
  baseUrlOf, classifyCommon, classifyUnknown, endpoint, parseJsonLoose, parseSuccessJson, requireRefreshToken, requireValue, toTokenSet, vendorText,
} from './common.js';
import type { ProviderSpec } from './types.js';

const SuccessSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int(),
  token_type: z.string().min(1).optional(),
});

const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
/** The sign-in endpoint's other error shape. */
const ProblemSchema = z.object({ status: z.number().optional(), message: z.string(), traceId: z.string().optional() });

export const vaultist: ProviderSpec = {
  ...vaultistDescriptor,

  baseUrl: (account) => baseUrlOf(account, vaultistDescriptor.environments, vaultistDescriptor.defaultEnvironment),

  buildRefreshRequest(account) {
    const partnerId = requireValue(account.settings, 'partner_id', 'Partner ID');
    const refreshToken = requireRefreshToken(account);
    return {
      method: 'POST',
      url: endpoint(vaultist.baseUrl(account), '/v1/auth/token'),
      headers: { partnerId, grantType: 'refresh_token', 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    };
  },

  parseRefreshResponse(response, ctx) {
    const body = parseSuccessJson(response, SuccessSchema);
    return toTokenSet(
      { accessToken: body.access_token, refreshToken: body.refresh_token, tokenType: body.token_type, expiresIn: body.expires_in },
      ctx,
      response.status,
    );
  },

  classifyFailure(response) {
    const raw = parseJsonLoose(response.bodyText);
    const oauth = OAuthErrorSchema.safeParse(raw);
    const problem = ProblemSchema.safeParse(raw);
    const code = oauth.success ? oauth.data.error : undefined;
    const message = oauth.success
      ? [code, vendorText(oauth.data.error_description)].filter(Boolean).join(': ')
      : vendorText(problem.success ? problem.data.message : undefined);
    const common = classifyCommon(response, message);
    if (common) return { ...common, vendorCode: code };
    const status = response.status;
    if (code === 'invalid_grant') {
      return { errorClass: 'reauth_required', httpStatus: status, vendorCode: code, message: `${message} — sign in to Vault.ist again (grantType password_email)` };
    }
    if (code || status === 400 || status === 401 || status === 403) {
      return { errorClass: 'config_error', httpStatus: status, vendorCode: code, message: `Vault.ist rejected the request: ${message || `HTTP ${status}`}` };
    }
    return classifyUnknown(response, message);
  },

  signIn: {
    // The token endpoint with grantType password_email and {email, password}: described in
    // public material, unconfirmed — the UI says "unverified".
    password: {
      verified: false,
      userLabel: 'Email',
      buildRequest: (account, { username, password }) => ({
        method: 'POST',
        url: endpoint(vaultist.baseUrl(account), '/v1/auth/token'),
        headers: { partnerId: requireValue(account.settings, 'partner_id', 'Partner ID'), grantType: 'password_email', 'content-type': 'application/json' },
        body: JSON.stringify({ email: username, password }),
      }),
    },
  },
};
