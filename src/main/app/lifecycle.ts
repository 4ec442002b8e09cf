// Wires the QuitController (quit.ts) to Electron: `before-quit` always; the end of the OS
// session per platform — powerMonitor `shutdown` and SIGTERM on macOS/Linux, every window's
// `query-session-end` / `session-end` on Windows (see createSessionWatcherWindow) — and
// SIGINT as an ordinary quit. Returns the controller; `dispose` stops listening to the OS.
import type { BrowserWindow } from 'electron';
import { QuitController, type PreventableEvent } from './quit.js';

type Listener<A extends unknown[]> = (...args: A) => void;

export interface LifecycleDeps {
  app: {
    on(event: 'before-quit', listener: Listener<[PreventableEvent]>): unknown;
    on(event: 'browser-window-created', listener: Listener<[unknown, BrowserWindow]>): unknown;
    quit(): void;
  };
  platform: NodeJS.Platform;
  process?: { on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown };
  teardown(): Promise<void>;
}

export interface ShutdownSource {
  on(event: 'shutdown', listener: (event?: PreventableEvent) => void): unknown;
  off(event: 'shutdown', listener: (event?: PreventableEvent) => void): unknown;
}

export function wireQuit(deps: LifecycleDeps): QuitController {
  const { app, platform } = deps;
  const quit = new QuitController({ teardown: deps.teardown, quit: () => app.quit() });
  app.on('before-quit', quit.onBeforeQuit);
  if (platform === 'win32') {
    app.on('browser-window-created', (_event, win) => {
      win.on('query-session-end', quit.onSessionEnd);
      win.on('session-end', quit.onSessionEnd);
    });
  }
  const proc = deps.process ?? process;
  proc.on('SIGTERM', () => quit.onSystemShutdown());
  proc.on('SIGINT', () => app.quit());
  return quit;
}

/** macOS / Linux: powerMonitor `shutdown` (usable only once the app is ready). Returns a function that stops listening. */
export function watchShutdown(powerMonitor: ShutdownSource, quit: QuitController, platform: NodeJS.Platform): () => void {
  if (platform === 'win32') return () => undefined;
  powerMonitor.on('shutdown', quit.onSystemShutdown);
  return () => powerMonitor.off('shutdown', quit.onSystemShutdown);
}
