// Sleep and screen lock stop timers; on the way back every overdue account refreshes
// at once (docs/ARCHITECTURE.md "Clock jumps").
import type { RefreshTrigger } from '../../shared/domain.js';

export interface PowerMonitorLike {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  off(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export const POWER_EVENTS = ['resume', 'unlock-screen'] as const;

/** Calls engine.catchUp('resume') on resume and unlock; returns a function that stops listening. */
export function watchPower(powerMonitor: PowerMonitorLike, engine: { catchUp(trigger?: RefreshTrigger): void }): () => void {
  const onWake = () => engine.catchUp('resume');
  for (const event of POWER_EVENTS) powerMonitor.on(event, onWake);
  return () => {
    for (const event of POWER_EVENTS) powerMonitor.off(event, onWake);
  };
}
