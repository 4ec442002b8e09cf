// accounts.test ("test now"): one refresh with credentials not saved yet. The tokens it obtains
// are kept as a draft for 30 minutes, and accounts.add with the draft's id takes them over, so
// a refresh token the test rotated is not lost.
import type { ErrorClass } from '../../../shared/domain.js';
import { ContractError, type Handlers } from '../contract.js';
import type { AccountRecord } from '../engine/types.js';
import { randomId } from '../ids.js';
import { ProviderError } from '../net/provider-error.js';
import { refreshTokens, type RefreshResult } from '../providers/call.js';
import { newAccount } from './account-input.js';
import type { Shared } from './context.js';

const DRAFT_TTL_MS = 30 * 60_000;

/** Tokens obtained by "test now", kept until the form is saved. */
interface Draft {
  providerId: string;
  sentRefreshToken: string;
  secrets: Record<string, string>;
  expiry: Partial<AccountRecord>;
  expires: number;
}

export class Drafts {
  readonly #drafts = new Map<string, Draft>();
  constructor(private readonly now: () => number) {}

  /** Keeps what a test obtained; returns the draft's id. */
  keep(record: AccountRecord, secrets: Record<string, string>, result: RefreshResult): string {
    const { tokens } = result;
    this.#prune();
    const draftId = randomId();
    this.#drafts.set(draftId, {
      providerId: record.providerId,
      sentRefreshToken: secrets['refresh_token'] ?? '',
      secrets: {
        ...secrets,
        access_token: tokens.accessToken,
        ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
        ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      },
      expiry: {
        expiresAt: tokens.expiresAt,
        expirySource: tokens.expirySource,
        refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
        tokenType: tokens.tokenType,
        scope: tokens.scope,
        obtainedAt: tokens.obtainedAt,
        lastRefreshAt: tokens.obtainedAt,
        meta: tokens.meta,
        endpoints: result.endpoints,
      },
      expires: this.now() + DRAFT_TTL_MS,
    });
    return draftId;
  }

  /** Takes over, into `record` and `secrets`, the tokens a test obtained for these same credentials. */
  adopt(draftId: string, record: AccountRecord, secrets: Record<string, string>): void {
    this.#prune();
    const draft = this.#drafts.get(draftId);
    if (!draft) throw new ContractError('invalid_input', 'draftId: the test result expired or is unknown; test again or save without it');
    if (draft.providerId !== record.providerId || draft.sentRefreshToken !== secrets['refresh_token']) {
      throw new ContractError('invalid_input', 'draftId: the credentials changed since the test; test again');
    }
    this.#drafts.delete(draftId);
    Object.assign(secrets, draft.secrets);
    Object.assign(record, draft.expiry);
  }

  #prune(): void {
    for (const [id, d] of this.#drafts) if (d.expires < this.now()) this.#drafts.delete(id);
  }
}

export function accountTestHandlers(s: Shared, drafts: Drafts): Pick<Handlers, 'accounts.test'> {
  return {
    'accounts.test': async (input) => {
      const { spec, record, secrets } = newAccount(s, input);
      const started = performance.now();
      try {
        const result = await refreshTokens(
          spec,
          { id: record.id, settings: record.settings, secrets, environment: record.environment, baseUrl: record.baseUrl, refreshEveryMs: record.refreshEveryMs },
          { timeoutMs: s.ctx.timeoutMs, now: s.now },
        );
        const draftId = drafts.keep(record, secrets, result);
        const rotatedNote = result.tokens.rotated ? ' The provider rotated the refresh token: save now to keep the new one.' : '';
        return {
          ok: true,
          httpStatus: result.httpStatus,
          durationMs: result.durationMs,
          expiresAt: result.tokens.expiresAt,
          rotated: result.tokens.rotated,
          draftId,
          message: `The refresh worked (HTTP ${result.httpStatus}).${rotatedNote}`,
        };
      } catch (err) {
        const wire = toFailure(err);
        return { ok: false, durationMs: performance.now() - started, ...wire };
      }
    },
  };
}

function toFailure(err: unknown): { errorClass?: ErrorClass; httpStatus?: number; message: string } {
  if (err instanceof ProviderError) return { errorClass: err.errorClass, httpStatus: err.httpStatus, message: err.message };
  if (err instanceof ContractError) return { message: err.message };
  return { errorClass: 'transient', message: 'The test failed unexpectedly' };
}
