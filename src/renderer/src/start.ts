// Runs the dashboard's bundle (main.tsx) in the built page, in place of a <script> for it
// (docs/ARCHITECTURE.md "Dashboard start"). This is a deferred module script like the one it
// replaces, so it runs once the document is parsed and its stylesheets are in; then it waits,
// at most a moment, until boot.ts's first calls are on the wire. Opening the WebSocket takes a
// turn of the page's only thread, which the bundle's evaluation would hold for a few hundred
// milliseconds: waiting for it first lets the owner answer while the bundle evaluates. The
// bundle was fetched meanwhile (a modulepreload link the build marks `data-tokendesk-main`).
import { early } from './boot.js';

const main = document.querySelector<HTMLLinkElement>('link[rel="modulepreload"][data-tokendesk-main]');
if (main) void early.sent.then(() => import(/* @vite-ignore */ main.href));
