// The application menu: small, with the usual roles (copy/paste need the Edit menu on
// macOS), the dashboard and vault passphrase entries, and developer tools only in an
// unpackaged build.
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  isMac: boolean;
  isPackaged: boolean;
  openDashboard(): void;
  setPassphrase(): void;
}

export function appMenuTemplate(o: AppMenuOptions): MenuItemConstructorOptions[] {
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  const ours: MenuItemConstructorOptions[] = [
    { id: 'open-dashboard', label: 'Open dashboard', accelerator: 'CmdOrCtrl+D', click: () => o.openDashboard() },
    { id: 'set-passphrase', label: 'Vault passphrase…', click: () => o.setPassphrase() },
  ];
  const first: MenuItemConstructorOptions = o.isMac
    ? { label: 'TokenDesk', submenu: [{ role: 'about' }, sep, ...ours, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit', label: 'Quit TokenDesk' }] }
    : { label: '&File', submenu: [...ours, sep, { role: 'close', label: 'Close window' }, { role: 'quit', label: 'Quit TokenDesk' }] };
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' }];
  if (!o.isPackaged) view.push(sep, { role: 'reload' }, { role: 'toggleDevTools' });
  return [first, { role: 'editMenu' }, { label: '&View', submenu: view }, { role: 'windowMenu' }];
}
