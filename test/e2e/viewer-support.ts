/**
 * Shared set-up for the viewer's end-to-end tests: a Vite dev server for renderer/viewer/harness.html,
 * Debian's Chromium, NIfTI fixtures read in Node with nifti-reader-js (the renderer never parses NIfTI),
 * and pixel read-back from the page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as nifti from 'nifti-reader-js';
import type { Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import type { VolumeHeader } from '../../engine/protocol/volume.js';
import type { HarnessLoad, HarnessVolume } from '../../renderer/viewer/harness.js';
import type { Rect, ViewName } from '../../renderer/viewer/comparison-viewer.js';
import { launchChromium, type LaunchedBrowser } from './helpers/chromium.js';

export const ITK = path.resolve('test/fixtures/debian/itk');

export type FixtureVoxels = Uint8Array | Int16Array;

export interface NiftiVolume<T extends FixtureVoxels = FixtureVoxels> {
  dims: [number, number, number];
  affine: number[];
  data: T;
}

/** Reads a uint8 or int16 .nii.gz fixture; the affine is NIfTI's voxel → RAS+ mm (sform, else qform). */
export function readNiftiFixture(file: string): NiftiVolume {
  const buffer = readFileSync(file);
  let bytes: ArrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  if (nifti.isCompressed(bytes)) bytes = nifti.decompress(bytes) as ArrayBuffer;
  const header = nifti.readHeader(bytes);
  if (!header) throw new Error(`${file}: not a NIfTI file`);
  const dims: [number, number, number] = [header.dims[1], header.dims[2], header.dims[3]];
  const raw = nifti.readImage(header, bytes);
  const data =
    header.datatypeCode === 2 ? new Uint8Array(raw) : header.datatypeCode === 4 ? new Int16Array(raw) : null;
  if (!data)
    throw new Error(`${file}: expected uint8 or int16 voxels, got NIfTI datatype ${header.datatypeCode}`);
  return { dims, affine: header.affine.flat(), data };
}

/** Reads a label map fixture (uint8 voxels). */
export function readLabelFixture(file: string): NiftiVolume<Uint8Array> {
  const volume = readNiftiFixture(file);
  if (!(volume.data instanceof Uint8Array)) throw new Error(`${file}: expected a uint8 label map`);
  return volume as NiftiVolume<Uint8Array>;
}

export function harnessVolume(
  id: string,
  title: string,
  kind: 'image' | 'labels',
  grid: { dims: [number, number, number]; affine: number[] },
  channels: FixtureVoxels[],
  channelNames: string[],
): HarnessVolume {
  const dataType = channels[0] instanceof Int16Array ? 'int16' : 'uint8';
  if (channels.some((c) => c instanceof Int16Array !== (dataType === 'int16'))) {
    throw new Error(`harnessVolume ${id}: all channels must share one data type`);
  }
  const payload = Buffer.concat(channels.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  const ranges = channels.map((c): [number, number] => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of c) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return [min, max];
  });
  const header: VolumeHeader = {
    id,
    title,
    kind,
    dims: grid.dims,
    channels: channelNames,
    dataType,
    affine: grid.affine,
    ranges,
  };
  return { header, base64: payload.toString('base64') };
}

/** Voxel (i, j, k) → world, computed here independently of the viewer's code. */
export function voxelToWorld(affine: number[], v: [number, number, number]): [number, number, number] {
  return [0, 1, 2].map(
    (r) => affine[r * 4] * v[0] + affine[r * 4 + 1] * v[1] + affine[r * 4 + 2] * v[2] + affine[r * 4 + 3],
  ) as [number, number, number];
}

export interface HarnessSession {
  browser: LaunchedBrowser;
  page: Page;
  server: ViteDevServer;
  close(): Promise<void>;
}

export async function openHarness(viewport = { width: 1400, height: 900 }): Promise<HarnessSession> {
  const server = await createServer({
    configFile: path.resolve('vite.config.ts'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const address = server.httpServer!.address();
  if (!address || typeof address === 'string') throw new Error('vite dev server has no TCP address');
  const browser = await launchChromium(viewport);
  const errors: string[] = [];
  browser.page.on('pageerror', (e) => errors.push(e.message));
  await browser.page.goto(`http://127.0.0.1:${address.port}/viewer/harness.html`);
  await browser.page.waitForFunction(() => 'viewerHarness' in window, undefined, { timeout: 60_000 });
  if (errors.length) throw new Error(`harness page errors: ${errors.join('; ')}`);
  return {
    browser,
    page: browser.page,
    server,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export async function load(page: Page, request: HarnessLoad): Promise<void> {
  await page.evaluate((r) => window.viewerHarness.load(r), request);
}

export interface Pixels {
  rect: Rect;
  data: Buffer;
  /** RGB at a cell-relative pixel. */
  at(x: number, y: number): [number, number, number];
}

export async function cellRect(page: Page, panel: number, view: ViewName): Promise<Rect> {
  return page.evaluate(([p, v]) => window.viewerHarness.viewer!.cellRect(p, v), [panel, view] as const);
}

export async function readCell(page: Page, panel: number, view: ViewName): Promise<Pixels> {
  const rect = await cellRect(page, panel, view);
  const { base64 } = await page.evaluate((r) => window.viewerHarness.pixels(r), rect);
  return pixelsOf(rect, base64);
}

/** RGBA rows (top to bottom) of `rect`, sent from the page in base64. */
export function pixelsOf(rect: Rect, base64: string): Pixels {
  const data = Buffer.from(base64, 'base64');
  return {
    rect,
    data,
    at: (x, y) => {
      const o = (y * rect.width + x) * 4;
      return [data[o], data[o + 1], data[o + 2]];
    },
  };
}

/** Pixels whose RGB equals `colour` within `tolerance` per channel, and their centroid (cell-relative). */
export function findColour(
  pixels: Pixels,
  colour: readonly number[],
  tolerance = 2,
): { count: number; centroid: [number, number] } {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < pixels.rect.height; y++) {
    for (let x = 0; x < pixels.rect.width; x++) {
      const [r, g, b] = pixels.at(x, y);
      if (
        Math.abs(r - colour[0]) <= tolerance &&
        Math.abs(g - colour[1]) <= tolerance &&
        Math.abs(b - colour[2]) <= tolerance
      ) {
        count++;
        sx += x;
        sy += y;
      }
    }
  }
  return { count, centroid: [sx / Math.max(1, count), sy / Math.max(1, count)] };
}

/** Pixels that are not grey (r, g, b differ): an overlay colour is there. */
export function colouredPixels(pixels: Pixels): number {
  let count = 0;
  for (let o = 0; o < pixels.data.length; o += 4) {
    const r = pixels.data[o];
    const g = pixels.data[o + 1];
    const b = pixels.data[o + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 8) count++;
  }
  return count;
}

export function samePixels(a: Pixels, b: Pixels): boolean {
  return a.data.equals(b.data);
}
