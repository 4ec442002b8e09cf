// Renderer entry. In the desktop app the preload has put `window.tokendesk` in place; in a
// browser (`tokendesk serve`) the web bridge builds the same object over a WebSocket. boot.ts
// has done that already, and sent the first screen's calls, before this bundle ran.
import { early } from './boot.js';
// Radix Themes à la carte: the tokens, only the colours the dashboard uses, components, utilities.
import '@radix-ui/themes/tokens/base.css';
import '@radix-ui/themes/tokens/colors/gray.css';
import '@radix-ui/themes/tokens/colors/slate.css';
import '@radix-ui/themes/tokens/colors/indigo.css';
import '@radix-ui/themes/tokens/colors/green.css';
import '@radix-ui/themes/tokens/colors/amber.css';
import '@radix-ui/themes/tokens/colors/orange.css';
import '@radix-ui/themes/tokens/colors/red.css';
import '@radix-ui/themes/tokens/colors/crimson.css';
import '@radix-ui/themes/tokens/colors/blue.css';
import '@radix-ui/themes/components.css';
import '@radix-ui/themes/utilities.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setNonce } from 'get-nonce';
import { App, type ConnectionSource } from './App.js';
import { store } from './state/store.js';

// `tokendesk serve` allows inline <style> only with this per-page nonce (Radix's scroll lock).
const nonce = document.querySelector<HTMLMetaElement>('meta[name="tokendesk-style-nonce"]')?.content;
if (nonce) setNonce(nonce);

const { transport } = early;
const connection: ConnectionSource | undefined = transport && { status: () => transport.status, subscribe: (l) => transport.onStatus(l) };

void store.load();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App connection={connection} />
    </StrictMode>,
  );
}
