/**
 * Writes the installer icons to assets/build (electron-builder's buildResources):
 *   npx tsx scripts/make-icons.ts
 * icon.png (512², Linux), icon.ico (16–256 px, Windows), icon.icns (128–512 px, macOS). The picture:
 * a small 3D CNN drawn as four layers of neurons, the pruned ones hollow, on a rounded square.
 * PNG, ICO and ICNS are written here byte by byte (both containers hold PNG images), so no image
 * tool is needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '../assets/build');

type Rgb = [number, number, number];
const BACKGROUND: Rgb = [28, 45, 74];
const KEPT: Rgb = [92, 200, 168];
const PRUNED: Rgb = [150, 165, 190];

/** Which neurons (layer, row) are pruned; layer sizes 4, 4, 4, 4 like a tiny U-Net stage. */
const PRUNED_NEURONS = new Set(['1,0', '1,3', '2,1', '2,2', '2,3', '3,0']);

/** Coverage in [0, 1] of a pixel whose centre is `d` pixels inside (positive) an edge. */
const cover = (d: number) => Math.min(1, Math.max(0, d + 0.5));

function render(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const s = size / 512;
  const radius = 96 * s;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      // Rounded square: distance to the inset rectangle, minus the corner radius.
      const qx = Math.max(Math.abs(px - size / 2) - (size / 2 - 24 * s - radius), 0);
      const qy = Math.max(Math.abs(py - size / 2) - (size / 2 - 24 * s - radius), 0);
      const alpha = cover(radius - Math.hypot(qx, qy));
      let colour: Rgb = BACKGROUND;
      for (let layer = 0; layer < 4; layer++)
        for (let row = 0; row < 4; row++) {
          const cx = (112 + layer * 96) * s;
          const cy = (112 + row * 96) * s;
          const d = Math.hypot(px - cx, py - cy);
          const r = 34 * s;
          const pruned = PRUNED_NEURONS.has(`${layer},${row}`);
          // Kept: a filled disc; pruned: a ring 7 px wide.
          const inside = pruned ? Math.min(cover(r - d), cover(d - (r - 7 * s))) : cover(r - d);
          if (inside > 0) {
            const fg = pruned ? PRUNED : KEPT;
            colour = colour.map((c, i) => c + (fg[i] - c) * inside) as Rgb;
          }
        }
      rgba.set([...colour.map(Math.round), Math.round(255 * alpha)], (y * size + x) * 4);
    }
  return rgba;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** ICO with PNG-compressed entries (Windows Vista and later); 256 px is stored as width 0. */
function encodeIco(images: Map<number, Buffer>): Buffer {
  const head = Buffer.alloc(6 + 16 * images.size);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(images.size, 4);
  let offset = head.length;
  [...images].forEach(([size, png], i) => {
    const at = 6 + 16 * i;
    head.writeUInt8(size % 256, at);
    head.writeUInt8(size % 256, at + 1);
    head.writeUInt16LE(1, at + 4); // colour planes
    head.writeUInt16LE(32, at + 6); // bits per pixel
    head.writeUInt32LE(png.length, at + 8);
    head.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...images.values()]);
}

/** ICNS with PNG entries: ic07 128 px, ic08 256 px, ic09 512 px. */
function encodeIcns(images: Map<number, Buffer>): Buffer {
  const type: Record<number, string> = { 128: 'ic07', 256: 'ic08', 512: 'ic09' };
  const entries = [...images].map(([size, png]) => {
    const head = Buffer.alloc(8);
    head.write(type[size], 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const png = new Map([16, 32, 48, 128, 256, 512].map((size) => [size, encodePng(size, render(size))]));
  const pick = (sizes: number[]) => new Map(sizes.map((s) => [s, png.get(s)!]));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'icon.png'), png.get(512)!);
  writeFileSync(join(out, 'icon.ico'), encodeIco(pick([16, 32, 48, 256])));
  writeFileSync(join(out, 'icon.icns'), encodeIcns(pick([128, 256, 512])));
  console.log(`wrote icon.png, icon.ico, icon.icns to ${out}`);
}
