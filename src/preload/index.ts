// Preload: exposes the typed contract API and nothing else (DESIGN.md "Electron shell").
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('tokendesk', Object.freeze({ version: 1 }));
