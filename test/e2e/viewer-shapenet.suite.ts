/**
 * ShapeNet-style part segmentation as voxels, built from a real scanned shape: the Stanford bunny
 * (npm "bunny", public domain) sampled over its triangles and voxelised with the ShapeNet rule
 * (farthest point at distance 1, voxel floor(n/2 · p + n/2)), parts by height, shown in the app's
 * ShapeComparison. The "unpruned prediction" is derived (the top part relabelled as the middle one), the
 * "pruned" one is the truth itself; test/e2e/viewer-shapenet-app.test.ts shows real predictions.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/chromium.js';
import { findColour, pixelsOf, type HarnessSession, type Pixels } from './viewer-support.js';

const require = createRequire(import.meta.url);
const bunny = require('bunny') as {
  positions: [number, number, number][];
  cells: [number, number, number][];
};

const N = 32;
const EMPTY = 255;
const PARTS = [12, 13, 14];

function voxelise(): Uint8Array {
  const centre = [0, 1, 2].map((a) => bunny.positions.reduce((s, p) => s + p[a], 0) / bunny.positions.length);
  const radius = Math.max(
    ...bunny.positions.map((p) => Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2])),
  );
  const labels = new Uint8Array(N * N * N).fill(EMPTY);
  const heights = bunny.positions.map((p) => p[1]);
  const [low, high] = [Math.min(...heights), Math.max(...heights)];
  for (const [a, b, c] of bunny.cells) {
    for (let s = 0; s <= 6; s++) {
      for (let t = 0; t <= 6 - s; t++) {
        const w = [s / 6, t / 6, 1 - s / 6 - t / 6];
        const p = [0, 1, 2].map(
          (ax) =>
            w[0] * bunny.positions[a][ax] + w[1] * bunny.positions[b][ax] + w[2] * bunny.positions[c][ax],
        );
        const q = p.map((v, ax) => (v - centre[ax]) / radius);
        // Bunny y is up; the grid's k is up.
        const [i, j, k] = [q[0], q[2], q[1]].map((v) => Math.min(N - 1, Math.floor((N / 2) * v + N / 2)));
        const band = (p[1] - low) / (high - low);
        labels[i + N * (j + N * k)] = band < 0.35 ? 12 : band < 0.75 ? 13 : 14;
      }
    }
  }
  return labels;
}

const truth = voxelise();
const prediction = truth.map((v) => (v === 14 ? 13 : v));
/** ShapeComparison's panels. */
const PANEL = { truth: 0, unpruned: 1, pruned: 2 } as const;

/** Independent part IoU: per part over occupied voxels, absent parts count 1. */
function meanIoU(): number {
  const ious = PARTS.map((part) => {
    let inter = 0;
    let union = 0;
    truth.forEach((t, v) => {
      if (t === EMPTY) return;
      if (t === part && prediction[v] === part) inter++;
      if (t === part || prediction[v] === part) union++;
    });
    return union ? inter / union : 1;
  });
  return ious.reduce((s, x) => s + x, 0) / ious.length;
}

let session: HarnessSession;

async function panel(p: number): Promise<Pixels> {
  const { width, height, base64 } = await session.page.evaluate(
    (x) => window.viewerHarness.shapePixels(x),
    p,
  );
  return pixelsOf({ x: 0, y: 0, width, height }, base64);
}

/** Runs in viewer-e2e.test.ts, which opens one harness (Vite + Chromium) for all viewer suites. */
export function shapeNetSuite(open: () => HarnessSession): void {
  beforeAll(async () => {
    session = open();
    await session.page.setViewportSize({ width: 900, height: 500 });
    await session.page.evaluate((r) => window.viewerHarness.loadShape(r), {
      category: 'bunny',
      titles: { unpruned: 'top part missed', pruned: 'exact' },
      dims: [N, N, N] as [number, number, number],
      truth: Buffer.from(truth).toString('base64'),
      unpruned: Buffer.from(prediction).toString('base64'),
      pruned: Buffer.from(truth).toString('base64'),
      parts: PARTS,
    });
  });

  describe('ShapeNet voxel view', () => {
    it('draws each part in its colour, and the prediction without the part it missed', async () => {
      const occupied = truth.filter((v) => v !== EMPTY).length;
      expect(occupied).toBeGreaterThan(500);
      const colours = new Map(
        await session.page.evaluate(() =>
          window.viewerHarness.table!.labels.map((l) => [l.value, l.colour] as const),
        ),
      );
      const [truthPixels, predictionPixels] = [await panel(PANEL.truth), await panel(PANEL.unpruned)];
      for (const part of PARTS) {
        expect(findColour(truthPixels, colours.get(part)!).count, `truth part ${part}`).toBeGreaterThan(20);
      }
      expect(findColour(predictionPixels, colours.get(14)!).count).toBe(0);
      expect(findColour(predictionPixels, colours.get(13)!).count).toBeGreaterThan(
        findColour(truthPixels, colours.get(13)!).count,
      );
      await screenshot(session.page, 'viewer-shapenet');
    });

    it('shows the per-shape IoU computed over the category parts', async () => {
      const cell = session.page.getByTestId('shape-iou-unpruned');
      expect(await cell.textContent()).toBe(`${(meanIoU() * 100).toFixed(1)}%`);
      expect(Number(await cell.getAttribute('data-iou'))).toBeCloseTo(meanIoU(), 12);
      expect(meanIoU()).toBeLessThan(1);
      expect(await session.page.getByTestId('shape-iou-pruned').textContent()).toBe('100.0%');
    });

    it('draws only the wrong voxels in errors-only mode: the missed part in the truth, what was predicted for it', async () => {
      const colours = new Map(
        await session.page.evaluate(() =>
          window.viewerHarness.table!.labels.map((l) => [l.value, l.colour] as const),
        ),
      );
      await session.page.getByLabel('errors only').check();
      const [truthPixels, predictionPixels] = [await panel(PANEL.truth), await panel(PANEL.unpruned)];
      // Only part 14 was predicted wrong (as 13): the truth keeps 14, the prediction its 13 there.
      expect(findColour(truthPixels, colours.get(14)!).count).toBeGreaterThan(20);
      for (const part of [12, 13]) expect(findColour(truthPixels, colours.get(part)!).count).toBe(0);
      expect(findColour(predictionPixels, colours.get(13)!).count).toBeGreaterThan(20);
      for (const part of [12, 14]) expect(findColour(predictionPixels, colours.get(part)!).count).toBe(0);
      const wrong = truth.filter((v) => v === 14).length;
      const drawn = await session.page.evaluate(() =>
        [0, 1, 2].map((p) => window.viewerHarness.shapeView!.drawnVoxels(p)),
      );
      // The truth keeps the voxels either net got wrong; the exact "pruned" net has none.
      expect(drawn).toEqual([wrong, wrong, 0]);
      await session.page.getByLabel('errors only').uncheck();
      const occupied = truth.filter((v) => v !== EMPTY).length;
      expect(
        await session.page.evaluate(() =>
          [0, 1, 2, 3].map((p) => window.viewerHarness.shapeView!.drawnVoxels(p)),
        ),
      ).toEqual([occupied, occupied, occupied, occupied]);
    });
  });
}
