// Where to reopen the dashboard: the bounds saved at its last close (window-state.ts),
// reused only while they still fit on a connected display.
import type { Rectangle } from 'electron';

export interface SavedBounds extends Rectangle {
  maximized: boolean;
}

export interface DisplayArea {
  workArea: Rectangle;
}

/** At least this much of the window must lie on one display to restore it there. */
const MIN_VISIBLE = 100;

function visibleOn(bounds: Rectangle, area: Rectangle): boolean {
  const w = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
  const h = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
  return w >= MIN_VISIBLE && h >= MIN_VISIBLE;
}

/** The bounds to open with: the saved ones when they are still on screen, else only their size. */
export function restoredBounds(saved: SavedBounds | undefined, displays: readonly DisplayArea[]): Partial<SavedBounds> {
  if (!saved) return {};
  const { x, y, width, height, maximized } = saved;
  if (displays.some((d) => visibleOn(saved, d.workArea))) return { x, y, width, height, maximized };
  return { width, height, maximized };
}

