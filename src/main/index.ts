// Electron entry: wires the headless core to the Electron adapters (docs/ARCHITECTURE.md "Layers").
// Kept thin on purpose: behaviour lives in src/main/core (tested headless) and the
// adapters in src/main/app (tested with stand-ins for the Electron objects).
import {
  app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, safeStorage, screen, session, shell, Tray,
} from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDesktop } from './app/desktop.js';

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

startDesktop(
  { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, safeStorage, screen, session, shell, Tray },
  { outDir },
);
