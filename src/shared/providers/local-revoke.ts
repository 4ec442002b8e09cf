import type { RevokeInfo } from '../provider-fields.js';

/** Vendors that document no revocation endpoint (docs/PROVIDERS.md "Revoke"): say what "Revoke" really does. */
export function localOnlyRevoke(vendor: string): RevokeInfo {
  return {
    kind: 'local_only',
    sentence:
      `${vendor} has no revocation endpoint. TokenDesk deletes the tokens from this computer and stops refreshing, ` +
      `but ${vendor} keeps accepting the current access token until it expires.`,
  };
}
