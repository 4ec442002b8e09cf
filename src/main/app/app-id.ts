// The build's appId (electron-builder.yml `appId`; a test keeps the two equal). Windows
// shows toasts only for an app whose AppUserModelID matches its Start-menu shortcut.
export const APP_ID = 'dev.tokendesk.desktop';
