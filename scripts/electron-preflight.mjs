// prestart / predev: stop at once, in plain words, when there is no Electron binary to open
// (electron-vite would otherwise fail with a bare "Electron uninstall" after building).
import { findElectronBinary, MISSING_BINARY_MESSAGE } from './electron-binary.mjs';

if (!findElectronBinary().found) {
  console.error(MISSING_BINARY_MESSAGE);
  process.exit(1);
}
