// The provider files of a data dir, loaded into the owner's registry at open (README
// "Provider files"). Each stored definition is checked again: one that this version refuses
// stays in providers.json, untouched, and is reported; its accounts cannot refresh until it is
// replaced with a definition that passes.
import { checkProviderDefinition, describeProblems } from '../../../shared/provider-definition-check.js';
import { ProviderRegistry } from '../providers/registry.js';
import { ProviderStore } from '../storage/provider-store.js';
import type { QuarantineReport } from '../storage/quarantine.js';

export async function loadProviderFiles(dir: string): Promise<{ store: ProviderStore; registry: ProviderRegistry; reports: QuarantineReport[] }> {
  const store = await ProviderStore.open(dir);
  const registry = new ProviderRegistry();
  const reports: QuarantineReport[] = [...store.quarantined];
  for (const entry of store.list()) {
    const checked = checkProviderDefinition(entry.definition);
    if (checked.ok && checked.definition.id === entry.id) {
      registry.define(checked.definition);
      continue;
    }
    const reason = checked.ok ? `the definition's id is ${checked.definition.id}, not ${entry.id}` : describeProblems(checked.problems.slice(0, 3));
    reports.push({ file: store.file, movedTo: null, reason: `The provider file ${entry.id} is refused by this version: ${reason}`, lost: `nothing is deleted, but accounts of ${entry.id} cannot refresh until it is replaced` });
  }
  return { store, registry, reports };
}

/**
 * The provider files of a data dir read without an owner (`tokendesk providers` needs no vault
 * key): the definitions that pass, nothing written, a damaged file ignored (the owner reports it).
 */
export async function readProviderFiles(dir: string): Promise<ProviderRegistry> {
  const registry = new ProviderRegistry();
  const stored = await ProviderStore.read(dir).catch(() => []);
  for (const entry of stored) {
    const checked = checkProviderDefinition(entry.definition);
    if (checked.ok && checked.definition.id === entry.id) registry.define(checked.definition);
  }
  return registry;
}
