// The Electron transport under `window.tokendesk` (src/shared/bridge.ts): calls go to
// their own `ipcMain.handle` channel, events arrive on their own channel and reach the
// listener as the payload alone — never Electron's event object, never ipcRenderer.
// Unknown names are refused here already (main refuses them again).
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { BridgeReply, BridgeTransport } from '../shared/bridge.js';
import type { CallName, EventName } from '../shared/contract.js';
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel } from '../shared/ipc.js';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

const KNOWN_CALLS: ReadonlySet<string> = new Set(CALL_NAMES);
const KNOWN_EVENTS: ReadonlySet<string> = new Set(EVENT_NAMES);

export function createElectronTransport(ipcRenderer: IpcRendererLike): BridgeTransport {
  return {
    host: 'electron',
    invoke(name: CallName, input: unknown): Promise<BridgeReply> {
      if (typeof name !== 'string' || !KNOWN_CALLS.has(name)) {
        return Promise.resolve({ ok: false, error: { code: 'invalid_input', message: `Unknown call ${JSON.stringify(String(name).slice(0, 60))}` } });
      }
      return ipcRenderer.invoke(callChannel(name), input) as Promise<BridgeReply>;
    },
    subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
      if (typeof event !== 'string' || !KNOWN_EVENTS.has(event)) throw new Error(`Unknown event ${JSON.stringify(String(event).slice(0, 60))}`);
      if (typeof listener !== 'function') throw new Error('The listener must be a function');
      const channel = eventChannel(event);
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(channel, forward);
      };
    },
  };
}
