// Banyan Command Center refresh (docs/PROVIDERS.md "banyan"): v1 with the
// refresh token (or API key) as Bearer, no body. Answers {Message: <access token>}
// or, on newer servers, the v2 envelope {request_id, error_code, error_description, data}.
import { z } from 'zod';
import { banyanDescriptor } from '../../../shared/providers/banyan.js';
import {
  baseUrlOf, classifyCommon, classifyUnknown, endpoint, malformed, parseJsonLoose, parseSuccessJson, requireValue, toTokenSet, vendorText,
} from './common.js';
import type { ProviderSpec } from './types.js';

const EnvelopeSchema = z.object({
  request_id: z.string().optional(),
  error_code: z.number().optional(),
  error_description: z.string().optional(),
  data: z.unknown().optional(),
});

const SuccessSchema = z.union([
  z.object({ Message: z.string().min(1) }),
  EnvelopeSchema.extend({
    data: z.union([
      z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1).optional() }),
      z.object({ Message: z.string().min(1) }),
    ]),
  }),
]);

export const banyan: ProviderSpec = {
  ...banyanDescriptor,

  baseUrl: (account) => baseUrlOf(account, banyanDescriptor.environments, banyanDescriptor.defaultEnvironment),

  buildRefreshRequest(account) {
    const refreshToken = requireValue(account.secrets, 'refresh_token', 'Refresh token');
    return {
      method: 'POST',
      url: endpoint(banyan.baseUrl(account), '/v1/refresh_token'),
      headers: { authorization: `Bearer ${refreshToken}` },
    };
  },

  parseRefreshResponse(response, ctx) {
    const raw = parseJsonLoose(response.bodyText);
    const envelope = EnvelopeSchema.safeParse(raw);
    if (envelope.success && envelope.data.error_code) {
      throw malformed(`HTTP ${response.status} carried error ${envelope.data.error_code}: ${vendorText(envelope.data.error_description) ?? 'no description'}`, response.status);
    }
    const body = parseSuccessJson(response, SuccessSchema);
    const tokens =
      'Message' in body
        ? { accessToken: body.Message }
        : 'access_token' in body.data
          ? { accessToken: body.data.access_token, refreshToken: body.data.refresh_token }
          : { accessToken: body.data.Message };
    return toTokenSet({ ...tokens, tokenType: 'Bearer' }, ctx, response.status);
  },

  classifyFailure(response) {
    const raw = parseJsonLoose(response.bodyText);
    const envelope = EnvelopeSchema.safeParse(raw);
    const legacy = z.object({ Message: z.string() }).safeParse(raw);
    const message = vendorText(envelope.success ? envelope.data.error_description : undefined) ?? vendorText(legacy.success ? legacy.data.Message : undefined);
    const common = classifyCommon(response, message);
    if (common) return common;
    const status = response.status;
    if (status === 401) {
      return { errorClass: 'reauth_required', httpStatus: status, message: `${message ?? 'HTTP 401'} — create a new refresh token or API key in Banyan Command Center` };
    }
    if (status === 403) {
      return { errorClass: 'config_error', httpStatus: status, message: `Banyan refused the request: ${message ?? 'HTTP 403'} (SAML admins need the org setting refresh_token_for_saml_enabled)` };
    }
    if (status === 400) return { errorClass: 'config_error', httpStatus: status, message: `Banyan rejected the request: ${message ?? 'HTTP 400'}` };
    return classifyUnknown(response, message);
  },
};
