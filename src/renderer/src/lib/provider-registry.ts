// Every provider the dashboard can show: the built-ins, and those the owner loaded from
// provider files (README "Provider files"), whose descriptors are rebuilt here from their
// definitions so the form validates with the same schemas as the core.
import type { ProviderInfo } from '../../../shared/contract.js';
import { PROVIDER_IDS } from '../../../shared/domain.js';
import { checkProviderDefinition } from '../../../shared/provider-definition-check.js';
import { descriptorFromDefinition } from '../../../shared/provider-definition-descriptor.js';
import type { ProviderDescriptor } from '../../../shared/provider-fields.js';
import { providerDescriptors } from '../../../shared/providers/index.js';
import { localOnlyRevoke } from '../../../shared/providers/local-revoke.js';
import { PROVIDER_NAMES } from './providers.js';

const defined = new Map<string, ProviderDescriptor>();

/** Takes in the owner's provider list (providers.list): provider files become descriptors. */
export function registerProviders(infos: readonly ProviderInfo[]): void {
  defined.clear();
  for (const info of infos) {
    if (!info.definition) continue;
    const checked = checkProviderDefinition(info.definition);
    if (!checked.ok) continue;
    defined.set(info.id, descriptorFromDefinition(checked.definition));
    PROVIDER_NAMES[info.id] = info.name;
  }
}

/** A provider's descriptor; an id nobody knows (a file removed meanwhile) gets one with no fields. */
export function descriptorOf(id: string): ProviderDescriptor {
  if (Object.prototype.hasOwnProperty.call(providerDescriptors, id)) return providerDescriptors[id as keyof typeof providerDescriptors];
  return (
    defined.get(id) ?? { id, name: id, summary: 'A provider this TokenDesk does not know', fields: [], environments: [], authentication: '', rotation: 'optional', expirySource: '', revoke: localOnlyRevoke(id) }
  );
}

/** Built-in ids first, then the provider files' in the owner's order. */
export function providerIds(): string[] {
  return [...PROVIDER_IDS, ...defined.keys()];
}
