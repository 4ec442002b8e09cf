// The device authorization grant (RFC 8628): device and user codes handed out, the user's
// decision, and the token endpoint's polling answers (authorization_pending, slow_down,
// access_denied, expired_token), on the simulator's clock.
import { randomInt } from 'node:crypto';
import { randomToken, recordIssuedSecret } from './tokens.js';

/** RFC 8628 §6.1: 20 consonants, no vowels (no words), no look-alikes. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

export interface DeviceRecord {
  readonly deviceCode: string;
  /** As shown: ABCD-EFGH. */
  readonly userCode: string;
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
  /** Seconds; grows by 5 on each slow_down (RFC 8628 §3.5). */
  interval: number;
  lastPollAt: number | undefined;
  status: DeviceStatus;
}

export type DevicePollError = 'invalid_request' | 'invalid_grant' | 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token';

export type DevicePoll = { ok: true; record: DeviceRecord } | { ok: false; error: DevicePollError; description: string };

export interface DeviceFlowConfig {
  now: () => number;
  expiresInSec: number;
  intervalSec: number;
  /** The absolute URL of the verification page (RFC 8628 §3.2 verification_uri). */
  verificationUri: () => string;
}

/** The key of a user code: its letters, upper-cased (the user may type it without the dash, in lower case). */
export function userCodeKey(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z]/g, '');
}

export class DeviceFlow {
  private readonly byDeviceCode = new Map<string, DeviceRecord>();
  private readonly byUserCode = new Map<string, DeviceRecord>();

  constructor(private readonly cfg: DeviceFlowConfig) {}

  /** RFC 8628 §3.2: the device authorization answer for a client. */
  start(clientId: string, scope: string): Record<string, unknown> {
    const deviceCode = recordIssuedSecret(`dc_${randomToken(32)}`);
    let key: string;
    do {
      key = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
    } while (this.byUserCode.has(key));
    const userCode = `${key.slice(0, 4)}-${key.slice(4)}`;
    const record: DeviceRecord = {
      deviceCode,
      userCode,
      clientId,
      scope,
      expiresAt: this.cfg.now() + this.cfg.expiresInSec * 1000,
      interval: this.cfg.intervalSec,
      lastPollAt: undefined,
      status: 'pending',
    };
    this.byDeviceCode.set(deviceCode, record);
    this.byUserCode.set(key, record);
    const verificationUri = this.cfg.verificationUri();
    return {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
      expires_in: this.cfg.expiresInSec,
      interval: this.cfg.intervalSec,
    };
  }

  /** The pending, unexpired request a user code names; undefined otherwise. */
  pending(typedUserCode: string): DeviceRecord | undefined {
    const record = this.byUserCode.get(userCodeKey(typedUserCode));
    if (!record || record.status !== 'pending' || this.expired(record)) return undefined;
    return record;
  }

  /** The user's answer; false when the code is unknown, expired or already decided. */
  decide(typedUserCode: string, approve: boolean): boolean {
    const record = this.pending(typedUserCode);
    if (!record) return false;
    record.status = approve ? 'approved' : 'denied';
    return true;
  }

  /**
   * A poll of the token endpoint by an authenticated client (RFC 8628 §3.4–3.5). Pending polls
   * closer than `interval` seconds to the previous one get slow_down and a 5 s longer interval
   * (never with interval 0). An approved request gives its tokens once; the caller mints them.
   */
  poll(clientId: string, deviceCode: string | null): DevicePoll {
    if (!deviceCode) return { ok: false, error: 'invalid_request', description: 'device_code is required.' };
    const record = this.byDeviceCode.get(deviceCode);
    if (!record || record.clientId !== clientId) return { ok: false, error: 'invalid_grant', description: 'The device code is invalid.' };
    if (record.status === 'redeemed') return { ok: false, error: 'invalid_grant', description: 'The device code was already used.' };
    if (this.expired(record)) return { ok: false, error: 'expired_token', description: 'The device code has expired; start again.' };
    const now = this.cfg.now();
    const previous = record.lastPollAt;
    record.lastPollAt = now;
    if (record.status === 'denied') return { ok: false, error: 'access_denied', description: 'The user denied the request.' };
    if (record.status === 'approved') {
      record.status = 'redeemed';
      return { ok: true, record };
    }
    if (record.interval > 0 && previous !== undefined && now - previous < record.interval * 1000) {
      record.interval += 5;
      return { ok: false, error: 'slow_down', description: `Polling too fast: wait ${record.interval} seconds between requests.` };
    }
    return { ok: false, error: 'authorization_pending', description: 'The user has not answered yet.' };
  }

  private expired(record: DeviceRecord): boolean {
    return this.cfg.now() >= record.expiresAt;
  }
}
