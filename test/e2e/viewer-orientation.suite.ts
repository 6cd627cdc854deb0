/**
 * Orientation: a synthetic volume whose affine permutes and flips the voxel axes (i → posterior,
 * j → superior, k → patient left) with BraTS-labelled marker blobs at known patient corners. Where
 * the markers land on screen is checked against the display conventions, not against the viewer's math.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/chromium.js';
import {
  findColour,
  harnessVolume,
  load,
  readCell,
  voxelToWorld,
  type HarnessSession,
  type Pixels,
} from './viewer-support.js';

const dims: [number, number, number] = [16, 20, 24];
// x = 12 − k (k → patient left), y = 15 − 2i (i → posterior), z = 1.5 j − 15 (j → superior).
const affine = [0, 0, -1, 12, -2, 0, 0, 15, 0, 1.5, 0, -15, 0, 0, 0, 1];
const index = (i: number, j: number, k: number): number => i + dims[0] * (j + dims[1] * k);
const voxels = dims[0] * dims[1] * dims[2];

// Label 4 (yellow) at the patient's right-anterior-superior corner: small k, small i, large j.
const RAS_MARKER: [number, number, number] = [3, 16, 3];
// Label 1 (red) at the left-posterior-inferior corner.
const LPI_MARKER: [number, number, number] = [12, 3, 20];
const YELLOW = [255, 255, 0];
const RED = [255, 0, 0];

const labels = new Uint8Array(voxels);
for (const [centre, value] of [
  [RAS_MARKER, 4],
  [LPI_MARKER, 1],
] as const) {
  for (let c = -1; c <= 1; c++)
    for (let b = -1; b <= 1; b++)
      for (let a = -1; a <= 1; a++) labels[index(centre[0] + a, centre[1] + b, centre[2] + c)] = value;
}
// Two modalities: brightness rising towards posterior (i) in the first, falling in the second.
const rising = new Uint8Array(voxels);
const falling = new Uint8Array(voxels);
for (let k = 0; k < dims[2]; k++)
  for (let j = 0; j < dims[1]; j++)
    for (let i = 0; i < dims[0]; i++) {
      rising[index(i, j, k)] = 5 + 10 * i;
      falling[index(i, j, k)] = 250 - 10 * i;
    }

const grid = { dims, affine };
let session: HarnessSession;

/** Marker centroid relative to the cell centre, in pixels (+x right, +y down). */
function offset(pixels: Pixels, colour: number[]): [number, number] {
  const found = findColour(pixels, colour);
  expect(found.count, `pixels of colour ${colour}`).toBeGreaterThan(4);
  return [found.centroid[0] - pixels.rect.width / 2, found.centroid[1] - pixels.rect.height / 2];
}

async function cursorAt(voxel: [number, number, number]): Promise<void> {
  await session.page.evaluate(
    (w) => window.viewerHarness.viewer!.setCursor(0, w),
    voxelToWorld(affine, voxel),
  );
}

/** Runs in viewer-e2e.test.ts, which opens one harness (Vite + Chromium) for all viewer suites. */
export function orientationSuite(open: () => HarnessSession): void {
  beforeAll(async () => {
    session = open();
    await session.page.setViewportSize({ width: 1000, height: 700 });
    await load(session.page, {
      image: harnessVolume('synthetic', 'synthetic', 'image', grid, [rising, falling], ['rising', 'falling']),
      truth: harnessVolume('markers', 'markers', 'labels', grid, [labels], ['labels']),
      table: 'brats',
      views: ['axial', 'coronal', 'sagittal'],
    });
    await session.page.evaluate(() => {
      const v = window.viewerHarness.viewer!;
      v.setCrosshair(false);
      for (const value of [1, 2, 4]) v.setLabelDisplay('BraTS', value, { visible: true, opacity: 1 });
    });
  });

  describe('orientation follows the NIfTI affine', () => {
    it('radiological: patient right on screen left, anterior and superior up', async () => {
      await cursorAt(RAS_MARKER);
      const axial = offset(await readCell(session.page, 0, 'axial'), YELLOW);
      expect(axial[0]).toBeLessThan(-20); // right → screen left
      expect(axial[1]).toBeLessThan(-20); // anterior → top
      const coronal = offset(await readCell(session.page, 0, 'coronal'), YELLOW);
      expect(coronal[0]).toBeLessThan(-20); // right → screen left
      expect(coronal[1]).toBeLessThan(-20); // superior → top
      const sagittal = offset(await readCell(session.page, 0, 'sagittal'), YELLOW);
      expect(sagittal[0]).toBeLessThan(-20); // anterior → screen left
      expect(sagittal[1]).toBeLessThan(-20); // superior → top
      await screenshot(session.page, 'viewer-orientation-radiological');

      await cursorAt(LPI_MARKER);
      const axialRed = offset(await readCell(session.page, 0, 'axial'), RED);
      expect(axialRed[0]).toBeGreaterThan(20);
      expect(axialRed[1]).toBeGreaterThan(20);
      const sagittalRed = offset(await readCell(session.page, 0, 'sagittal'), RED);
      expect(sagittalRed[0]).toBeGreaterThan(20); // posterior → screen right
      expect(sagittalRed[1]).toBeGreaterThan(20); // inferior → bottom
    });

    it('neurological: patient right on screen right, chosen in the UI', async () => {
      await session.page.getByTestId('convention').selectOption('neurological');
      await cursorAt(RAS_MARKER);
      const axial = offset(await readCell(session.page, 0, 'axial'), YELLOW);
      expect(axial[0]).toBeGreaterThan(20);
      expect(axial[1]).toBeLessThan(-20);
      const coronal = offset(await readCell(session.page, 0, 'coronal'), YELLOW);
      expect(coronal[0]).toBeGreaterThan(20);
      await screenshot(session.page, 'viewer-orientation-neurological');
      await session.page.getByTestId('convention').selectOption('radiological');
    });

    it('switches modality and applies the intensity window', async () => {
      const { page } = session;
      await cursorAt([8, 10, 12]);
      const greyAt = async (): Promise<[number, number]> => {
        const cell = await readCell(page, 0, 'axial');
        const x = Math.floor(cell.rect.width / 2);
        // Anterior (small i) is up in the axial view, posterior down.
        const column = [...Array(cell.rect.height).keys()].map((y) => cell.at(x, y)[0]);
        const image = column.map((g, y) => [g, y]).filter(([, y]) => cell.at(x, y)[0] > 0);
        return [image[2][0], image[image.length - 3][0]];
      };
      const [top0, bottom0] = await greyAt();
      expect(top0).toBeLessThan(bottom0); // "rising" brightens towards posterior
      await page.getByTestId('modality').selectOption({ label: 'falling' });
      const [top1, bottom1] = await greyAt();
      expect(top1).toBeGreaterThan(bottom1);
      await page.evaluate(() => window.viewerHarness.viewer!.setWindow(0, 1));
      const [topW, bottomW] = await greyAt();
      expect([topW, bottomW]).toEqual([255, 255]);
    });
  });
}
