// settings.get and settings.set; a new refresh-margin policy reaches the engine at once.
import type { Handlers } from '../contract.js';
import type { Shared } from './context.js';

export function settingsHandlers(s: Shared): Pick<Handlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': async () => s.store.getSettings(),

    'settings.set': async (patch) => {
      const settings = await s.store.setSettings(patch);
      s.engine.setMarginPolicy(settings.refreshMarginPolicy);
      return settings;
    },
  };
}
