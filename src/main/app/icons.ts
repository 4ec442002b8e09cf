// TokenDesk's icons, drawn in code and encoded as PNG with node:zlib: the app icon
// (a refresh ring around clock hands) and the tray icon in the three health colours.
// scripts/make-icons.ts writes them into build/ for electron-builder; the tray builds
// its images from the same code at run time, so no file path can go missing in a package.
import { crc32, deflateSync } from 'node:zlib';

export type Health = 'ok' | 'retrying' | 'attention';

type RGBA = readonly [number, number, number, number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes straight (non-premultiplied) RGBA pixels, row by row, as an 8-bit RGBA PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('encodePng: pixel buffer has the wrong size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Reads back width and height (tests, and a sanity check of the committed files). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('Not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A shape in unit coordinates (0..1): the colour at a point, or undefined where it is empty. */
type Painter = (x: number, y: number) => RGBA | undefined;

/** Renders layered painters with 4×4 supersampling (smooth edges at every size). */
function render(size: number, layers: Painter[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          // Top-most layer wins (the marks are opaque).
          let c: RGBA | undefined;
          for (let i = layers.length - 1; i >= 0 && !c; i--) c = layers[i]!(x, y);
          if (!c) continue;
          const alpha = c[3] / 255;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
      }
      out[o + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return out;
}

const WHITE: RGBA = [255, 255, 255, 255];

function segmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

const capsule = (ax: number, ay: number, bx: number, by: number, width: number, color: RGBA): Painter => (x, y) =>
  segmentDistance(x, y, ax, ay, bx, by) <= width / 2 ? color : undefined;

const disc = (cx: number, cy: number, radius: number, color: RGBA): Painter => (x, y) => (Math.hypot(x - cx, y - cy) <= radius ? color : undefined);

function roundedSquare(inset: number, radius: number, top: RGBA, bottom: RGBA): Painter {
  return (x, y) => {
    const lo = inset, hi = 1 - inset;
    if (x < lo || x > hi || y < lo || y > hi) return undefined;
    const cx = Math.min(Math.max(x, lo + radius), hi - radius);
    const cy = Math.min(Math.max(y, lo + radius), hi - radius);
    if (Math.hypot(x - cx, y - cy) > radius) return undefined;
    const t = (y - lo) / (hi - lo);
    return [0, 1, 2, 3].map((i) => Math.round(top[i]! + (bottom[i]! - top[i]!) * t)) as unknown as RGBA;
  };
}

/** A ring with a gap (clockwise angles in radians from 12 o'clock) and an arrowhead at the gap's start: "refresh". */
function refreshRing(cx: number, cy: number, radius: number, width: number, gapFrom: number, gapTo: number, color: RGBA): Painter[] {
  const ring: Painter = (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    if (Math.abs(d - radius) > width / 2) return undefined;
    let angle = Math.atan2(x - cx, -(y - cy)); // 0 at 12 o'clock, clockwise
    if (angle < 0) angle += 2 * Math.PI;
    return angle > gapFrom && angle < gapTo ? undefined : color;
  };
  // Arrowhead at the end of the arc (angle gapFrom), pointing clockwise into the gap.
  const tipAngle = gapFrom + 0.42;
  const at = (angle: number, r: number): [number, number] => [cx + Math.sin(angle) * r, cy - Math.cos(angle) * r];
  const [tx, ty] = at(tipAngle, radius);
  const [ax, ay] = at(gapFrom - 0.05, radius + width * 1.25);
  const [bx, by] = at(gapFrom - 0.05, radius - width * 1.25);
  const arrow: Painter = (x, y) => (inTriangle(x, y, tx, ty, ax, ay, bx, by) ? color : undefined);
  return [ring, arrow];
}

function inTriangle(x: number, y: number, ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
  const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

/** The application icon: a blue rounded square, a white refresh ring, clock hands. */
export function appIconPng(size: number): Buffer {
  const layers: Painter[] = [
    roundedSquare(0.06, 0.2, [47, 129, 247, 255], [18, 64, 160, 255]),
    ...refreshRing(0.5, 0.5, 0.29, 0.075, 0.55, 1.35, WHITE),
    capsule(0.5, 0.5, 0.5, 0.32, 0.07, WHITE),
    capsule(0.5, 0.5, 0.63, 0.56, 0.07, WHITE),
    disc(0.5, 0.5, 0.055, WHITE),
  ];
  return encodePng(size, size, render(size, layers));
}

export const HEALTH_COLORS: Readonly<Record<Health, RGBA>> = {
  ok: [46, 160, 67, 255],
  retrying: [212, 150, 20, 255],
  attention: [218, 54, 51, 255],
};

/**
 * The tray icon: a disc in the health colour. Colour is not the only signal: all good
 * shows clock hands, retrying a refresh arrow, "needs you" an exclamation mark.
 */
export function trayIconPng(health: Health, size: number): Buffer {
  const color = HEALTH_COLORS[health];
  const marks: Painter[] =
    health === 'attention'
      ? [capsule(0.5, 0.24, 0.5, 0.56, 0.15, WHITE), disc(0.5, 0.75, 0.085, WHITE)]
      : health === 'retrying'
        ? refreshRing(0.5, 0.5, 0.25, 0.12, 0.45, 1.75, WHITE)
        : [capsule(0.5, 0.52, 0.5, 0.22, 0.13, WHITE), capsule(0.5, 0.52, 0.72, 0.62, 0.13, WHITE)];
  return encodePng(size, size, render(size, [disc(0.5, 0.5, 0.48, color), ...marks]));
}

/** Sizes of the app icon set in build/icons (electron-builder's Linux icon directory). */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
