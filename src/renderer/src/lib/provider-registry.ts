// Providers' descriptors for the parts that validate or explain fields (the account form, the
// token inspector; loaded on demand): the built-ins', and those of provider files rebuilt from
// their definitions so the form validates with the same schemas as the core. zod, so never
// on the first screen (lib/providers.ts has the names and ids).
import '../zod-config.js';
import { checkProviderDefinition } from '../../../shared/provider-definition-check.js';
import { descriptorFromDefinition } from '../../../shared/provider-definition-descriptor.js';
import type { ProviderInfo } from '../../../shared/contract.js';
import type { ProviderDescriptor } from '../../../shared/provider-fields.js';
import { providerDescriptors } from '../../../shared/providers/index.js';
import { localOnlyRevoke } from '../../../shared/providers/local-revoke.js';
import { providerFiles } from './providers.js';

export { providerIds } from './providers.js';

/** Built once per provider-file info (a new providers.list brings new objects). */
const built = new WeakMap<ProviderInfo, ProviderDescriptor | null>();

function fromFile(info: ProviderInfo): ProviderDescriptor | undefined {
  let descriptor = built.get(info);
  if (descriptor === undefined) {
    const checked = info.definition ? checkProviderDefinition(info.definition) : undefined;
    descriptor = checked?.ok ? descriptorFromDefinition(checked.definition) : null;
    built.set(info, descriptor);
  }
  return descriptor ?? undefined;
}

/** A provider's descriptor; an id nobody knows (a file removed meanwhile) gets one with no fields. */
export function descriptorOf(id: string): ProviderDescriptor {
  if (Object.prototype.hasOwnProperty.call(providerDescriptors, id)) return providerDescriptors[id as keyof typeof providerDescriptors];
  const info = providerFiles().get(id);
  return (
    (info && fromFile(info)) ?? { id, name: id, summary: 'A provider this TokenDesk does not know', fields: [], environments: [], authentication: '', rotation: 'optional', expirySource: '', revoke: localOnlyRevoke(id) }
  );
}
