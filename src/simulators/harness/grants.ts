// Grant bookkeeping: which refresh and access tokens belong to which grant, rotation, reuse
// detection (with RFC 9700 family revocation where the vendor does it), expiry and revocation.
import { randomUUID } from 'node:crypto';
import type { Grant, TokenRotation } from './api.js';
import { recordIssuedSecret, tokenHash } from './tokens.js';
import type { Reply } from './wire.js';

export interface GrantRecord {
  readonly id: string;
  /** `sub` of the access tokens. */
  readonly subject: string;
  /** What the grant is bound to (client_id, sub, partner_id, scope…). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Extra JWT claims for this grant's access tokens. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly refreshTtlSec: number | undefined;
  currentRefreshToken: string;
  /** Successful refreshes of this grant. */
  refreshCount: number;
  revoked: boolean;
}

interface RefreshRecord {
  grantId: string;
  issuedAt: number;
  expiresAt: number | undefined;
  used: boolean;
}

interface AccessRecord {
  grantId: string;
  expiresAt: number;
  revoked: boolean;
}

export type RefreshRejection = 'unknown' | 'mismatch' | 'revoked' | 'reused' | 'expired';

export interface RedeemOptions {
  /** Lifetime of the new access token (pass CallContext.accessTtlSec). */
  accessTtlSec: number;
  /** Override the simulator's rotate setting for this call. */
  rotate?: boolean;
  /** Extra JWT claims for the new access token (a function is called after `check`). */
  claims?: Record<string, unknown> | (() => Record<string, unknown>);
  /** Whether the grant belongs to the caller (client id, sub, partner); false → 'mismatch', nothing consumed. */
  belongsTo?: (grant: GrantRecord) => boolean;
  /** A last vendor check on a valid token before it is consumed (scope…); a Reply refuses the call. */
  check?: (grant: GrantRecord) => Reply | undefined;
}

export type RedeemResult =
  | {
      ok: true;
      grant: GrantRecord;
      accessToken: string;
      /** Seconds, as the access token was minted. */
      expiresIn: number;
      /** The new refresh token, or the sent one when not rotated. */
      refreshToken: string;
      rotated: boolean;
      refreshIssuedAt: number;
      refreshExpiresAt: number | undefined;
    }
  | { ok: false; reason: RefreshRejection }
  | { ok: false; reason: 'check'; reply: Reply };

export interface GrantStoreConfig {
  now: () => number;
  accessTtlSec: number;
  refreshTtlSec: number | undefined;
  rotate: boolean;
  reuseDetection: boolean;
  /** RFC 9700: presenting a used refresh token revokes every token of the grant. */
  revokeFamilyOnReuse: boolean;
  mintAccessToken: (grant: GrantRecord, ttlSec: number, claims: Record<string, unknown>) => string;
  mintRefreshToken: () => string;
}

export class GrantStore {
  readonly rotations: TokenRotation[] = [];
  /** Successful refreshes served. */
  served = 0;
  private readonly grants = new Map<string, GrantRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();

  constructor(private readonly cfg: GrantStoreConfig) {}

  create(input: {
    subject: string;
    attrs?: Record<string, string>;
    claims?: Record<string, unknown>;
    refreshTtlSec?: number;
  }): { grant: GrantRecord; refreshToken: string; accessToken: string; expiresIn: number } {
    const grant: GrantRecord = {
      id: randomUUID(),
      subject: input.subject,
      attrs: { ...input.attrs },
      claims: { ...input.claims },
      refreshTtlSec: input.refreshTtlSec ?? this.cfg.refreshTtlSec,
      currentRefreshToken: '',
      refreshCount: 0,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    const refreshToken = this.addRefreshToken(grant).token;
    const accessToken = this.addAccessToken(grant, this.cfg.accessTtlSec, {});
    return { grant, refreshToken, accessToken, expiresIn: this.cfg.accessTtlSec };
  }

  /**
   * A grant with an access token and no refresh token (the client-credentials grant, RFC 6749
   * §4.4): nothing to refresh or rotate; the client runs the grant again for a new token.
   */
  createAccessOnly(input: {
    subject: string;
    attrs?: Record<string, string>;
    claims?: Record<string, unknown>;
    accessTtlSec: number;
  }): { grant: GrantRecord; accessToken: string; expiresIn: number } {
    const grant: GrantRecord = {
      id: randomUUID(),
      subject: input.subject,
      attrs: { ...input.attrs },
      claims: { ...input.claims },
      refreshTtlSec: undefined,
      currentRefreshToken: '',
      refreshCount: 0,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    const accessToken = this.addAccessToken(grant, input.accessTtlSec, {});
    return { grant, accessToken, expiresIn: input.accessTtlSec };
  }

  /** Side-effect free: what presenting this refresh token would meet. */
  classify(token: string, belongsTo?: (grant: GrantRecord) => boolean): { status: 'valid' | RefreshRejection; grant?: GrantRecord } {
    const record = this.refreshTokens.get(token);
    const grant = record ? this.grants.get(record.grantId) : undefined;
    if (!record || !grant) return { status: 'unknown' };
    if (belongsTo && !belongsTo(grant)) return { status: 'mismatch', grant };
    if (grant.revoked) return { status: 'revoked', grant };
    if (record.used && this.cfg.reuseDetection) return { status: 'reused', grant };
    if (record.expiresAt !== undefined && this.cfg.now() >= record.expiresAt) return { status: 'expired', grant };
    return { status: 'valid', grant };
  }

  /** Presents a refresh token: a new access token, and a new refresh token when rotating. */
  redeem(token: string, opts: RedeemOptions): RedeemResult {
    const { status, grant } = this.classify(token, opts.belongsTo);
    if (status !== 'valid' || !grant) {
      if (status === 'reused' && grant && this.cfg.revokeFamilyOnReuse) this.revokeGrant(grant);
      return { ok: false, reason: status === 'valid' ? 'unknown' : status };
    }
    const refused = opts.check?.(grant);
    if (refused) return { ok: false, reason: 'check', reply: refused };

    const record = this.refreshTokens.get(token)!;
    const rotate = opts.rotate ?? this.cfg.rotate;
    let refreshToken = token;
    let refreshIssuedAt = record.issuedAt;
    let refreshExpiresAt = record.expiresAt;
    if (rotate) {
      const next = this.rotate(grant, token);
      refreshToken = next.token;
      refreshIssuedAt = next.record.issuedAt;
      refreshExpiresAt = next.record.expiresAt;
    }
    const claims = typeof opts.claims === 'function' ? opts.claims() : (opts.claims ?? {});
    const accessToken = this.addAccessToken(grant, opts.accessTtlSec, claims);
    grant.refreshCount++;
    this.served++;
    return { ok: true, grant, accessToken, expiresIn: opts.accessTtlSec, refreshToken, rotated: rotate, refreshIssuedAt, refreshExpiresAt };
  }

  /** Mints a new refresh token for a grant and retires the current one (banyan v2). */
  renewRefreshToken(grant: GrantRecord): string {
    const { token } = this.rotate(grant, grant.currentRefreshToken);
    grant.refreshCount++;
    this.served++;
    return token;
  }

  /** The grant of a currently valid access token. */
  accessGrant(token: string): GrantRecord | undefined {
    const record = this.accessTokens.get(token);
    if (!record || record.revoked || this.cfg.now() >= record.expiresAt) return undefined;
    const grant = this.grants.get(record.grantId);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** RFC 7009 semantics: revoking a refresh token kills the grant, an access token only itself. */
  revokeToken(token: string, belongsTo?: (grant: GrantRecord) => boolean): 'refresh_token' | 'access_token' | undefined {
    const refresh = this.refreshTokens.get(token);
    const refreshGrant = refresh ? this.grants.get(refresh.grantId) : undefined;
    if (refreshGrant && (!belongsTo || belongsTo(refreshGrant))) {
      this.revokeGrant(refreshGrant);
      return 'refresh_token';
    }
    const access = this.accessTokens.get(token);
    const accessGrant = access ? this.grants.get(access.grantId) : undefined;
    if (access && accessGrant && (!belongsTo || belongsTo(accessGrant))) {
      access.revoked = true;
      return 'access_token';
    }
    return undefined;
  }

  revokeGrant(grant: GrantRecord): void {
    grant.revoked = true;
    for (const record of this.accessTokens.values()) if (record.grantId === grant.id) record.revoked = true;
  }

  isValidAccessToken(token: string): boolean {
    return this.accessGrant(token) !== undefined;
  }

  isValidRefreshToken(token: string): boolean {
    return this.classify(token).status === 'valid';
  }

  private rotate(grant: GrantRecord, oldToken: string): { token: string; record: RefreshRecord } {
    const old = this.refreshTokens.get(oldToken);
    if (old) old.used = true;
    const next = this.addRefreshToken(grant);
    this.rotations.push({ at: this.cfg.now(), oldTokenHash: tokenHash(oldToken), newTokenHash: tokenHash(next.token) });
    return next;
  }

  private addRefreshToken(grant: GrantRecord): { token: string; record: RefreshRecord } {
    const now = this.cfg.now();
    const token = this.cfg.mintRefreshToken();
    const record: RefreshRecord = {
      grantId: grant.id,
      issuedAt: now,
      expiresAt: grant.refreshTtlSec === undefined ? undefined : now + grant.refreshTtlSec * 1000,
      used: false,
    };
    this.refreshTokens.set(token, record);
    grant.currentRefreshToken = token;
    return { token, record };
  }

  private addAccessToken(grant: GrantRecord, ttlSec: number, claims: Record<string, unknown>): string {
    const token = this.cfg.mintAccessToken(grant, ttlSec, claims);
    this.accessTokens.set(token, { grantId: grant.id, expiresAt: this.cfg.now() + ttlSec * 1000, revoked: false });
    return token;
  }
}

/** The Grant handed to a test or the demo: the issued tokens plus the account field values. */
export function grantFor(
  issued: { refreshToken: string; accessToken: string; expiresIn: number },
  settings: Record<string, string>,
  extraSecrets: Record<string, string> = {},
): Grant {
  for (const secret of Object.values(extraSecrets)) recordIssuedSecret(secret);
  return {
    refreshToken: issued.refreshToken,
    accessToken: issued.accessToken,
    expiresIn: issued.expiresIn,
    settings,
    secrets: { ...extraSecrets, refresh_token: issued.refreshToken, access_token: issued.accessToken },
  };
}
