// Preload of the dashboard (docs/ARCHITECTURE.md "IPC"): exposes `window.tokendesk`,
// the bridge of src/shared/bridge.ts over IPC — `call(name, input)`, `on(event, listener)`
// and two constants — and nothing else. Bundled as CommonJS (sandboxed preloads cannot
// be ESM) and kept tiny: no zod here, main validates every call.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../shared/bridge.js';
import { createElectronTransport } from './transport.js';

contextBridge.exposeInMainWorld('tokendesk', createBridge(createElectronTransport(ipcRenderer)));
