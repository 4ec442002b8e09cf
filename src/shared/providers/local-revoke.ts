import type { RevokeInfo } from '../provider-fields.js';

/** The five seed vendors have no revocation endpoint (PROVIDERS.md): say what "Revoke" really does. */
export function localOnlyRevoke(vendor: string): RevokeInfo {
  return {
    kind: 'local_only',
    sentence:
      `${vendor} has no revocation endpoint. TokenDesk deletes the tokens from this computer and stops refreshing, ` +
      `but ${vendor} keeps accepting the current access token until it expires.`,
  };
}
