// The dashboard window's size, position and maximized state, kept across launches with
// electron-store under Electron's userData (window-state.json) — UI state only: accounts,
// secrets and settings live in the data dir's own durable files (docs/ARCHITECTURE.md
// "Storage"). Bounds are reused only while they still fit on a connected display.
import Store from 'electron-store';
import type { SavedBounds } from './window-bounds.js';

interface WindowStateSchema {
  dashboard?: SavedBounds;
}

const SCHEMA = {
  dashboard: {
    type: 'object',
    properties: {
      x: { type: 'integer' },
      y: { type: 'integer' },
      width: { type: 'integer', minimum: 1 },
      height: { type: 'integer', minimum: 1 },
      maximized: { type: 'boolean' },
    },
    required: ['x', 'y', 'width', 'height', 'maximized'],
  },
} as const;

export class WindowState {
  readonly #store: Store<WindowStateSchema>;

  constructor(cwd?: string) {
    // A damaged file is reset rather than stopping the app: it holds only window geometry.
    this.#store = new Store<WindowStateSchema>({ name: 'window-state', schema: SCHEMA as never, clearInvalidConfig: true, ...(cwd ? { cwd } : {}) });
  }

  get dashboard(): SavedBounds | undefined {
    return this.#store.get('dashboard');
  }

  saveDashboard(bounds: SavedBounds): void {
    try {
      this.#store.set('dashboard', bounds);
    } catch (err) {
      console.warn(`TokenDesk: window position not saved: ${(err as Error).message}`);
    }
  }
}
