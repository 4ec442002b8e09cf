// The built-in providers' display names, without the rest of their descriptors (whose field
// schemas need zod): the descriptors take their names from here, and the dashboard's first
// screen (lists, filters) reads them from here.
import type { ProviderId } from '../domain.js';

export const BUILT_IN_PROVIDER_NAMES: Readonly<Record<ProviderId, string>> = {
  ups: 'UPS',
  pathstack: 'PathStack',
  teamup: 'TeamUp',
  banyan: 'Banyan Security',
  vaultist: 'Vault.ist',
  oauth2: 'OAuth 2.0 server',
};
