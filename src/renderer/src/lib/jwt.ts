// Decoding a revealed access token for the inspector (jwt-decode: no signature check,
// which is right here — we show what the token claims, we do not trust it).
import { InvalidTokenError, jwtDecode, type JwtHeader, type JwtPayload } from 'jwt-decode';

export interface DecodedJwt {
  header: JwtHeader & Record<string, unknown>;
  claims: JwtPayload & Record<string, unknown>;
}

/** Claims holding NumericDate seconds (RFC 7519 §4.1, OIDC): shown as dates. */
export const DATE_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

export function decodeJwt(token: string): DecodedJwt | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    const header = jwtDecode<JwtHeader & Record<string, unknown>>(token, { header: true });
    const claims = jwtDecode<JwtPayload & Record<string, unknown>>(token);
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return { header, claims };
  } catch (err) {
    if (err instanceof InvalidTokenError) return undefined;
    throw err;
  }
}

/** A claim's value as text; NumericDate claims become epoch ms for the caller to format. */
export function claimRows(claims: Record<string, unknown>): { name: string; value: string; dateMs?: number }[] {
  return Object.entries(claims).map(([name, value]) => {
    if (DATE_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) return { name, value: String(value), dateMs: value * 1000 };
    return { name, value: typeof value === 'string' ? value : JSON.stringify(value) };
  });
}
