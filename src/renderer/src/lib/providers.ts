// Provider names for the dashboard's lists, filters and texts, in the registry's order
// (src/shared/providers).
import { PROVIDER_IDS } from '../../../shared/domain.js';
import { providerDescriptors } from '../../../shared/providers/index.js';

/** Each provider's display name, by id. */
export const PROVIDER_NAMES: Record<string, string> = Object.fromEntries(PROVIDER_IDS.map((id) => [id, providerDescriptors[id].name]));

/** "a X, Y … or Z": every provider's name, in the registry's order. */
export const PROVIDER_LIST = `a ${new Intl.ListFormat('en', { type: 'disjunction' }).format(PROVIDER_IDS.map((id) => providerDescriptors[id].name))}`;
