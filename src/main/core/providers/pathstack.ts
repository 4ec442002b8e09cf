// PathStack refresh (docs/PROVIDERS.md "pathstack"): no auth header, JSON
// body {sub, refresh_token}; the rotated refresh token is optional in the answer.
import { z } from 'zod';
import { PATHSTACK_DEFAULT_API_VERSION, pathstackDescriptor } from '../../../shared/providers/pathstack.js';
import {
  baseUrlOf, classifyCommon, classifyUnknown, endpoint, parseJsonLoose, parseSuccessJson, requireValue, toTokenSet, vendorText,
} from './common.js';
import type { ProviderSpec } from './types.js';

const SuccessSchema = z.object({
  data: z.object({
    token_type: z.string().min(1),
    expires_in: z.number().int(),
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
  }),
});

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
    const sub = requireValue(account.settings, 'sub', 'Subject (sub)');
    const refreshToken = requireValue(account.secrets, 'refresh_token', 'Refresh token');
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
};
