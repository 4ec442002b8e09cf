// The CLI's exit codes (README "CLI"), one per kind of failure a script can act on.
import type { ErrorCode } from '../shared/contract.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  reauth: 3,
  provider: 4,
  transient: 5,
  vaultLocked: 6,
  busy: 7,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'invalid_input':
    case 'not_found':
    case 'forbidden':
      return EXIT.usage;
    case 'reauth_required':
      return EXIT.reauth;
    case 'config_error':
      return EXIT.provider;
    case 'rate_limited':
    case 'transient':
      return EXIT.transient;
    case 'vault_locked':
      return EXIT.vaultLocked;
    case 'owner_busy':
    case 'conflict':
      return EXIT.busy;
    case 'storage_error':
    case 'internal':
      return EXIT.failure;
  }
}
