// PathStack refresh (docs/PROVIDERS.md "pathstack"): no auth header, JSON
// body {sub, refresh_token}; the rotated refresh token is optional in the answer.
import { z } from 'zod';
import { PATHSTACK_DEFAULT_API_VERSION, pathstackDescriptor } from '../../../shared/providers/pathstack.js';
import {
  baseUrlOf, classifyCommon, classifyUnknown, endpoint, parseJsonLoose, parseSuccessJson, requireRefreshToken, requireValue, toTokenSet, vendorText,
} from './common.js';
import { ProviderError } from '../net/provider-error.js';
import type { ProviderSpec } from './types.js';

const SuccessSchema = z.object({
  data: z.object({
    token_type: z.string().min(1),
    expires_in: z.number().int(),
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
  }),
});

/** The sign-in answer's extra: the subject later refreshes send. */
const SignInAnswerSchema = z.object({ data: z.object({ sub: z.uuid() }) });

const ErrorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    loc: z.array(z.union([z.string(), z.number()])).optional(),
    msg: z.string().optional(),
    type: z.string().optional(),
  }),
});

export const pathstack: ProviderSpec = {
  ...pathstackDescriptor,

  baseUrl: (account) => baseUrlOf(account, pathstackDescriptor.environments, pathstackDescriptor.defaultEnvironment),

  buildRefreshRequest(account) {
    const refreshToken = requireRefreshToken(account);
    const sub = requireValue(account.settings, 'sub', 'Subject (sub)');
    return {
      method: 'POST',
      url: endpoint(pathstack.baseUrl(account), '/refresh'),
      headers: {
        'content-type': 'application/json',
        'x-api-version': account.settings['api_version'] || PATHSTACK_DEFAULT_API_VERSION,
      },
      body: JSON.stringify({ sub, refresh_token: refreshToken }),
    };
  },

  parseRefreshResponse(response, ctx) {
    const { data } = parseSuccessJson(response, SuccessSchema);
    return toTokenSet(
      { accessToken: data.access_token, refreshToken: data.refresh_token, tokenType: data.token_type, expiresIn: data.expires_in },
      ctx,
      response.status,
    );
  },

  classifyFailure(response) {
    const parsed = ErrorSchema.safeParse(parseJsonLoose(response.bodyText));
    const error = parsed.success ? parsed.data.error : undefined;
    const location = error?.loc?.length ? ` (${error.loc.join('.')})` : '';
    const message = vendorText(error?.message ?? error?.msg);
    const common = classifyCommon(response, message);
    if (common) return common;
    const status = response.status;
    if (status === 401) {
      return { errorClass: 'reauth_required', httpStatus: status, message: `${message ?? 'HTTP 401'} — sign in to PathStack again (POST /token)` };
    }
    if (status === 422 || status === 400 || status === 403) {
      return { errorClass: 'config_error', httpStatus: status, message: `PathStack rejected the request: ${message ?? `HTTP ${status}`}${location}` };
    }
    return classifyUnknown(response, message);
  },

  signIn: {
    // POST {base}/token with {username, password} answers {data: {…, refresh_token, sub}}: the
    // shape public material describes, unconfirmed — so the UI says "unverified".
    password: {
      verified: false,
      userLabel: 'Username',
      buildRequest: (account, { username, password }) => ({
        method: 'POST',
        url: endpoint(pathstack.baseUrl(account), '/token'),
        headers: { 'content-type': 'application/json', 'x-api-version': account.settings['api_version'] || PATHSTACK_DEFAULT_API_VERSION },
        body: JSON.stringify({ username, password }),
      }),
      settingsFrom(response): Record<string, string> {
        const answer = SignInAnswerSchema.safeParse(parseJsonLoose(response.bodyText));
        if (!answer.success) {
          throw new ProviderError({ errorClass: 'config_error', message: 'The sign-in answer carried no subject (sub), which refreshes need; paste the refresh token and sub instead' });
        }
        return { sub: answer.data.data.sub };
      },
    },
  },
};
