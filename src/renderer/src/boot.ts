// The page's first script (its own small chunk, loaded `async` by index.html so it runs as
// soon as it arrives; main.tsx imports it too, and a module runs once): connects and sends
// the first screen's calls while the stylesheet and the dashboard's bundle load
// (bridge/early.ts, docs/ARCHITECTURE.md "Dashboard start").
import { startEarly } from './bridge/early.js';

export const early = startEarly(window);
