// Every provider the dashboard can show, as its first screen needs them (names and ids, no
// schemas): the built-ins, and those the owner loaded from provider files (README "Provider
// files"), from its providers.list. Their descriptors, for the form and the inspector, are
// built on demand by provider-registry.ts.
import type { ProviderInfo } from '../../../shared/contract.js';
import { PROVIDER_IDS } from '../../../shared/domain-values.js';
import { BUILT_IN_PROVIDER_NAMES } from '../../../shared/providers/names.js';

/** Each provider's display name, by id. */
export const PROVIDER_NAMES: Record<string, string> = Object.fromEntries(PROVIDER_IDS.map((id) => [id, BUILT_IN_PROVIDER_NAMES[id]]));

/** "a X, Y … or Z": every provider's name, in the registry's order. */
export const PROVIDER_LIST = `a ${new Intl.ListFormat('en', { type: 'disjunction' }).format(PROVIDER_IDS.map((id) => BUILT_IN_PROVIDER_NAMES[id]))}`;

/** The provider files in the owner's last providers.list, by id (the owner loads only those that pass the definition check). */
let fileProviders: ReadonlyMap<string, ProviderInfo> = new Map();

/** Takes in the owner's provider list (providers.list): the provider files' names and ids. */
export function registerProviders(infos: readonly ProviderInfo[]): void {
  const files = new Map<string, ProviderInfo>();
  for (const info of infos) {
    if (!info.definition) continue;
    files.set(info.id, info);
    PROVIDER_NAMES[info.id] = info.name;
  }
  fileProviders = files;
}

/** The provider files' infos as last registered, by id. */
export function providerFiles(): ReadonlyMap<string, ProviderInfo> {
  return fileProviders;
}

/** Built-in ids first, then the provider files' in the owner's order. */
export function providerIds(): string[] {
  return [...PROVIDER_IDS, ...fileProviders.keys()];
}
