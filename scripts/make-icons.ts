// Writes the icon set into build/ (committed): `node --import tsx scripts/make-icons.ts`.
// build/icon.png (1024) is what electron-builder turns into .icns/.ico; build/icons/NxN.png
// is the Linux set; build/tray/ shows the tray icons (the app draws those at run time).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ICON_SIZES, appIconPng, trayIconPng, type Health } from '../src/main/app/icons.js';

const build = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');

await mkdir(path.join(build, 'icons'), { recursive: true });
await mkdir(path.join(build, 'tray'), { recursive: true });
for (const size of APP_ICON_SIZES) await writeFile(path.join(build, 'icons', `${size}x${size}.png`), appIconPng(size));
await writeFile(path.join(build, 'icon.png'), appIconPng(1024));
for (const health of ['ok', 'retrying', 'attention'] as Health[]) {
  await writeFile(path.join(build, 'tray', `tray-${health}.png`), trayIconPng(health, 16));
  await writeFile(path.join(build, 'tray', `tray-${health}@2x.png`), trayIconPng(health, 32));
}
console.log(`icons written to ${build}`);
