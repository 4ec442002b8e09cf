// The providers one owner knows: the built-ins, and those loaded from provider files in its
// data dir (README "Provider files"). `specs` is one object the engine reads at every refresh,
// so a provider file added while the owner runs is usable at once.
import type { ProviderInfo } from '../../../shared/contract.js';
import type { ProviderDefinition } from '../../../shared/provider-definition.js';
import { specFromDefinition } from './definition.js';
import { providerInfo, providers as builtIns } from './index.js';
import type { ProviderSpec } from './types.js';

export class ProviderRegistry {
  /** Every spec by id, built-ins first; mutated in place when a definition comes or goes. */
  readonly specs: Record<string, ProviderSpec> = { ...builtIns };
  readonly #definitions = new Map<string, ProviderDefinition>();

  constructor(definitions: readonly ProviderDefinition[] = []) {
    for (const def of definitions) this.define(def);
  }

  isBuiltIn(id: string): boolean {
    return Object.prototype.hasOwnProperty.call(builtIns, id);
  }

  spec(id: string): ProviderSpec | undefined {
    return Object.prototype.hasOwnProperty.call(this.specs, id) ? this.specs[id] : undefined;
  }

  definition(id: string): ProviderDefinition | undefined {
    return this.#definitions.get(id);
  }

  /** Adds or replaces a checked definition (checkProviderDefinition first). */
  define(def: ProviderDefinition): void {
    if (this.isBuiltIn(def.id)) throw new Error(`${def.id} is a built-in provider`);
    this.specs[def.id] = specFromDefinition(def);
    this.#definitions.set(def.id, def);
  }

  forget(id: string): void {
    if (this.isBuiltIn(id)) return;
    delete this.specs[id];
    this.#definitions.delete(id);
  }

  /** What providers.list says: the built-ins, then each provider file with its definition. */
  infos(): ProviderInfo[] {
    return Object.values(this.specs).map((spec) => {
      const def = this.#definitions.get(spec.id);
      return def ? { ...providerInfo(spec), definition: def } : providerInfo(spec);
    });
  }
}
