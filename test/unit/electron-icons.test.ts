// The icon set: valid PNGs (signature, CRCs, size, decodable pixels), the committed
// files in build/ are what scripts/make-icons.ts draws, and the three tray colours differ.
import fs from 'node:fs';
import path from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { APP_ICON_SIZES, HEALTH_COLORS, appIconPng, encodePng, pngSize, trayIconPng } from '../../src/main/app/icons.js';

const build = path.resolve(import.meta.dirname, '../../build');

/** A strict little PNG reader: every chunk's CRC, IHDR, and the pixel rows. */
function decode(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (;;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `${type} CRC`).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)) >>> 0);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  expect(offset).toBe(png.length);
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, rgba };
}

describe('icons', () => {
  it('encodes pixels losslessly', () => {
    const pixels = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const { width, height, rgba } = decode(encodePng(2, 2, pixels));
    expect([width, height]).toEqual([2, 2]);
    expect([...rgba]).toEqual([...pixels]);
    expect(() => encodePng(3, 3, pixels)).toThrow(/wrong size/);
  });

  it('has the app icon set in build/ (16…1024) and build/icon.png at 1024, as the script draws them', () => {
    for (const size of APP_ICON_SIZES) {
      const file = fs.readFileSync(path.join(build, 'icons', `${size}x${size}.png`));
      expect(pngSize(file), `${size}`).toEqual({ width: size, height: size });
      if (size <= 256) expect(file.equals(appIconPng(size)), `build/icons/${size}x${size}.png is stale: npm run icons`).toBe(true);
    }
    expect(pngSize(fs.readFileSync(path.join(build, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('draws the tray in three distinct health colours (and matches build/tray)', () => {
    for (const [health, color] of Object.entries(HEALTH_COLORS)) {
      const png = trayIconPng(health as keyof typeof HEALTH_COLORS, 32);
      expect(png.equals(fs.readFileSync(path.join(build, 'tray', `tray-${health}@2x.png`))), health).toBe(true);
      const { rgba } = decode(png);
      // A pixel of the disc, left of centre, away from the white marks.
      const o = (16 * 32 + 5) * 4;
      expect([...rgba.subarray(o, o + 4)], health).toEqual([...color]);
    }
  });
});
