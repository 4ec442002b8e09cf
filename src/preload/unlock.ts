// Preload of the small passphrase window: four functions, nothing else (no contract,
// no ipcRenderer, no event objects). Bundled as CommonJS like the main preload.
import { contextBridge, ipcRenderer } from 'electron';
import { UNLOCK_CHANNELS, type UnlockInfo, type UnlockReply, type UnlockSubmit } from '../shared/unlock-ipc.js';

contextBridge.exposeInMainWorld(
  'tokendeskUnlock',
  Object.freeze({
    info: (): Promise<UnlockInfo> => ipcRenderer.invoke(UNLOCK_CHANNELS.info),
    submit: (input: UnlockSubmit): Promise<UnlockReply> =>
      ipcRenderer.invoke(UNLOCK_CHANNELS.submit, { passphrase: String(input?.passphrase ?? ''), ...(input?.repeat === undefined ? {} : { repeat: String(input.repeat) }) }),
    cancel: (): Promise<void> => ipcRenderer.invoke(UNLOCK_CHANNELS.cancel),
    useSystem: (): Promise<UnlockReply> => ipcRenderer.invoke(UNLOCK_CHANNELS.useSystem),
  }),
);
