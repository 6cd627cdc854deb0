/**
 * The comparison viewer on a real MRI (Debian ITK example T1, 128×128×62, coronal slices, 2×2×3 mm)
 * with its real label map as ground truth. The "predictions" are derived from that label map (an eroded
 * copy and a one-voxel shifted copy) until a training run's predictions are available.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, SCREENSHOT_DIR } from './helpers/chromium.js';
import {
  colouredPixels,
  harnessVolume,
  ITK,
  load,
  readCell,
  readLabelFixture,
  readNiftiFixture,
  samePixels,
  voxelToWorld,
  type HarnessSession,
  type NiftiVolume,
} from './viewer-support.js';

const t1 = readNiftiFixture(path.join(ITK, 'KmeansTest_T1UCharRaw.nii.gz'));
const truth = readLabelFixture(path.join(ITK, 'KmeansTest_T1KmeansPrelimSegmentation.nii.gz'));
const [ni, nj, nk] = truth.dims;
const index = (i: number, j: number, k: number): number => i + ni * (j + nj * k);
const LABELS = [1, 2, 3, 4, 5, 6];
/** SwiftShader draws the 3D view slowly: only the test about it shows it. */
const SLICES = ['axial', 'coronal', 'sagittal'] as ('axial' | 'coronal' | 'sagittal')[];

/** Derived "unpruned prediction": label 6 eroded by one voxel (its boundary becomes label 1). */
function eroded(labels: Uint8Array): Uint8Array {
  const out = labels.slice();
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        if (labels[index(i, j, k)] !== 6) continue;
        const neighbours = [
          [i - 1, j, k], [i + 1, j, k], [i, j - 1, k], [i, j + 1, k], [i, j, k - 1], [i, j, k + 1],
        ]; // prettier-ignore
        const boundary = neighbours.some(
          ([a, b, c]) =>
            a < 0 || b < 0 || c < 0 || a >= ni || b >= nj || c >= nk || labels[index(a, b, c)] !== 6,
        );
        if (boundary) out[index(i, j, k)] = 1;
      }
    }
  }
  return out;
}

/** Derived "pruned prediction": the label map shifted by one voxel along i. */
function shifted(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) out[index(i, j, k)] = labels[index(Math.max(0, i - 1), j, k)];
    }
  }
  return out;
}

/** Independent count: per truth label, voxels where the two predictions differ / differ from truth. */
function countDisagreement(
  t: Uint8Array,
  u: Uint8Array,
  p: Uint8Array,
): Map<number, [number, number, number]> {
  const counts = new Map<number, [number, number, number]>();
  for (let v = 0; v < t.length; v++) {
    const c = counts.get(t[v]) ?? [0, 0, 0];
    if (u[v] !== p[v]) c[0]++;
    if (u[v] !== t[v]) c[1]++;
    if (p[v] !== t[v]) c[2]++;
    counts.set(t[v], c);
  }
  return counts;
}

/** For a label, a voxel whose whole (2r+1)³ neighbourhood carries it, so every view shows it around the cursor. */
function uniformVoxel(labels: Uint8Array, label: number, r: number): [number, number, number] | null {
  for (let k = r; k < nk - r; k++) {
    for (let j = r; j < nj - r; j++) {
      for (let i = r; i < ni - r; i++) {
        if (labels[index(i, j, k)] !== label) continue;
        let uniform = true;
        for (let c = -r; c <= r && uniform; c++)
          for (let b = -r; b <= r && uniform; b++)
            for (let a = -r; a <= r && uniform; a++) uniform = labels[index(i + a, j + b, k + c)] === label;
        if (uniform) return [i, j, k];
      }
    }
  }
  return null;
}

const grid = (v: NiftiVolume) => ({ dims: v.dims, affine: v.affine });
const image = harnessVolume('t1', 'T1', 'image', grid(t1), [t1.data], ['T1']);
const truthVolume = harnessVolume('truth', 'ground truth', 'labels', grid(truth), [truth.data], ['labels']);
const unprunedLabels = eroded(truth.data);
const prunedLabels = shifted(truth.data);

let session: HarnessSession;

/** Runs in viewer-e2e.test.ts, which opens one harness (Vite + Chromium) for all viewer suites. */
export function mriSuite(open: () => HarnessSession): void {
  beforeAll(async () => {
    session = open();
    await session.page.setViewportSize({ width: 1200, height: 760 });
  });

  describe('viewer on a real MRI with label maps', () => {
    it('loads image, truth and both predictions, and shows each label colour where that label is', async () => {
      const { page } = session;
      await load(page, {
        image,
        truth: truthVolume,
        unpruned: harnessVolume(
          'unpruned',
          'unpruned (truth eroded)',
          'labels',
          grid(truth),
          [unprunedLabels],
          ['labels'],
        ),
        pruned: harnessVolume(
          'pruned',
          'pruned (truth shifted)',
          'labels',
          grid(truth),
          [prunedLabels],
          ['labels'],
        ),
        table: LABELS,
        views: SLICES,
      });
      await screenshot(page, 'viewer-mri-comparison');
      const colours = await page.evaluate(() =>
        window.viewerHarness.table!.labels.map((l) => [l.value, l.colour] as const),
      );
      const colourOf = new Map(colours);
      await page.evaluate(() => {
        const v = window.viewerHarness.viewer!;
        v.setCrosshair(false);
        for (const value of [1, 2, 3, 4, 5, 6])
          v.setLabelDisplay('labels', value, { visible: true, opacity: 1 });
      });
      let checked = 0;
      for (const label of LABELS) {
        const voxel = uniformVoxel(truth.data, label, 2) ?? uniformVoxel(truth.data, label, 1);
        if (!voxel) continue;
        const world = voxelToWorld(truth.affine, voxel);
        await page.evaluate((w) => {
          const v = window.viewerHarness.viewer!;
          v.setCursor(0, w);
          v.centreOnCursor(0);
        }, world);
        for (const view of ['axial', 'coronal', 'sagittal'] as const) {
          const cell = await readCell(page, 0, view);
          const centre = cell.at(Math.floor(cell.rect.width / 2), Math.floor(cell.rect.height / 2));
          expect(centre, `label ${label} at voxel ${voxel} in the ${view} view`).toEqual(colourOf.get(label));
        }
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(4);
    });

    it('moves linked panels together and leaves an unlinked panel alone', async () => {
      const { page } = session;
      await page.evaluate(() => window.viewerHarness.viewer!.setCrosshair(true));
      const before = [await readCell(page, 1, 'axial'), await readCell(page, 2, 'axial')];
      await page.evaluate(() => window.viewerHarness.viewer!.moveSlice(0, 'axial', 6));
      const afterLinked = [await readCell(page, 1, 'axial'), await readCell(page, 2, 'axial')];
      expect(samePixels(before[0], afterLinked[0])).toBe(false);
      expect(samePixels(before[1], afterLinked[1])).toBe(false);
      const cursors = await page.evaluate(() =>
        [0, 1, 2].map((p) => window.viewerHarness.viewer!.stateOf(p).cursor),
      );
      expect(cursors[1]).toEqual(cursors[0]);
      expect(cursors[2]).toEqual(cursors[0]);

      // Unlink panel 2 with its checkbox, as a user would.
      await page.getByTestId('link-2').uncheck();
      const frozen = await readCell(page, 2, 'axial');
      const linkedBefore = await readCell(page, 1, 'axial');
      await page.evaluate(() => {
        const v = window.viewerHarness.viewer!;
        v.moveSlice(0, 'axial', -4);
        v.setZoom(0, 1.7);
        v.pan(0, 'coronal', 10, -5);
      });
      expect(samePixels(await readCell(page, 2, 'axial'), frozen)).toBe(true);
      expect(samePixels(await readCell(page, 1, 'axial'), linkedBefore)).toBe(false);
      const states = await page.evaluate(() => [0, 1, 2].map((p) => window.viewerHarness.viewer!.stateOf(p)));
      expect(states[1].zoom).toBe(1.7);
      expect(states[1].pan.coronal).toEqual(states[0].pan.coronal);
      expect(states[2].zoom).toBe(states[0].zoom === 1.7 ? 1 : NaN);
      expect(states[2].cursor).not.toEqual(states[0].cursor);
      await screenshot(page, 'viewer-mri-unlinked');
      await page.getByTestId('link-2').check();
      expect(await page.evaluate(() => window.viewerHarness.viewer!.stateOf(2).zoom)).toBe(1.7);
    });

    it('counts disagreements exactly and shows them in the disagreement panel', async () => {
      const { page } = session;
      const expected = countDisagreement(truth.data, unprunedLabels, prunedLabels);
      const rows = await page
        .getByTestId('disagreement-table')
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => ({
            label: Number(tr.getAttribute('data-label')),
            counts: ['prunedVsUnpruned', 'unprunedVsTruth', 'prunedVsTruth'].map((key) =>
              Number(tr.querySelector(`[data-count="${key}"]`)!.textContent),
            ),
          })),
        );
      expect(rows.map((r) => r.label)).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const row of rows) expect(row.counts, `label ${row.label}`).toEqual(expected.get(row.label));
      const totalDiffer = [...expected.values()].reduce((s, c) => s + c[0], 0);
      expect(totalDiffer).toBeGreaterThan(0);

      await page.evaluate(() => window.viewerHarness.viewer!.setCrosshair(false));
      for (const view of ['axial', 'coronal', 'sagittal'] as const) {
        expect(colouredPixels(await readCell(page, 3, view)), `disagreement ${view}`).toBeGreaterThan(0);
      }
    });

    it("reads out voxel index, world mm, intensity and every panel's label at the cursor, as the NIfTI files hold them", async () => {
      const { page } = session;
      for (const voxel of [
        [40, 70, 30],
        [90, 50, 12],
        [0, 0, 0],
      ] as [number, number, number][]) {
        const world = voxelToWorld(t1.affine, voxel);
        await page.evaluate((w) => window.viewerHarness.viewer!.setCursor(0, w), world);
        const readout = page.getByTestId('readout');
        await expect.poll(() => readout.getByTestId('readout-voxel').textContent()).toBe(voxel.join(', '));
        const at = index(...voxel);
        expect(await readout.getByTestId('readout-intensity-T1').textContent()).toBe(String(t1.data[at]));
        expect(await readout.getByTestId('readout-world').textContent()).toBe(
          world.map((v) => v.toFixed(1)).join(', '),
        );
        const labels = [truth.data[at], unprunedLabels[at], prunedLabels[at]];
        for (const [panel, value] of labels.entries()) {
          expect(await readout.getByTestId(`readout-label-${panel}`).textContent()).toMatch(
            new RegExp(`^${value} `),
          );
        }
      }
    });

    it('moves slices with numbered sliders, sets window/level by right-drag and presets, and maximises a panel', async () => {
      const { page } = session;
      // The voxel axis the axial slider steps along, found here: the affine column with the largest S component.
      const column = (a: number) => [0, 1, 2].map((r) => t1.affine[r * 4 + a]);
      const axialAxis = [0, 1, 2].reduce((best, a) =>
        Math.abs(column(a)[2]) > Math.abs(column(best)[2]) ? a : best,
      );
      await page.getByTestId('slice-axial').fill('20');
      expect(await page.getByTestId('slice-number-axial').textContent()).toBe(`21/${t1.dims[axialAxis]}`);
      const voxel = await page.evaluate(() => window.viewerHarness.viewer!.cursorVoxel(0));
      expect(voxel[axialAxis]).toBe(20);

      const before = await page.evaluate(() => window.viewerHarness.viewer!.window);
      const rect = await page.evaluate(() => window.viewerHarness.viewer!.cellRect(1, 'coronal'));
      const stage = await page.getByTestId('viewer-stage').boundingBox();
      const [x, y] = [stage!.x + rect.x + rect.width / 2, stage!.y + rect.y + rect.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.down({ button: 'right' });
      await page.mouse.move(x + 40, y - 20, { steps: 4 });
      await page.mouse.up({ button: 'right' });
      const after = await page.evaluate(() => window.viewerHarness.viewer!.window);
      expect(after[1] - after[0]).toBeGreaterThan(before[1] - before[0]); // wider
      expect(after[0] + after[1]).toBeGreaterThan(before[0] + before[1]); // higher level
      expect(Number(await page.getByTestId('window-low').inputValue())).toBeCloseTo(after[0], 3);

      // The robust preset: 1st–99th percentile of the voxels other than the background value, computed here.
      const counts = new Map<number, number>();
      for (const v of t1.data) counts.set(v, (counts.get(v) ?? 0) + 1);
      const background = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      const foreground = [...t1.data].filter((v) => v !== background).sort((a, b) => a - b);
      const [lo, hi] = [
        foreground[Math.ceil(0.01 * foreground.length) - 1],
        foreground[Math.ceil(0.99 * foreground.length) - 1],
      ];
      await page.getByTestId('window-preset').selectOption({ label: 'robust (1–99th percentile)' });
      const robust = await page.evaluate(() => window.viewerHarness.viewer!.window);
      const binWidth = 255 / 4096; // the uint8 T1's range over the histogram's bins
      expect(Math.abs(robust[0] - lo)).toBeLessThanOrEqual(1 + binWidth);
      expect(Math.abs(robust[1] - hi)).toBeLessThanOrEqual(1 + binWidth);

      const small = await page.evaluate(() => window.viewerHarness.viewer!.cellRect(2, 'axial'));
      await page.mouse.dblclick(stage!.x + small.x + small.width / 2, stage!.y + small.y + small.height / 2);
      expect(await page.evaluate(() => window.viewerHarness.viewer!.maximised)).toBe(2);
      const big = await page.evaluate(() => window.viewerHarness.viewer!.cellRect(2, 'axial'));
      expect(big.width).toBeGreaterThan(small.width * 1.8);
      await screenshot(page, 'viewer-mri-maximised');
      await page.getByTestId('restore-panels').click();
      expect(await page.evaluate(() => window.viewerHarness.viewer!.maximised)).toBe(null);
    });

    it('shows an empty disagreement map for identical predictions', async () => {
      const { page } = session;
      await load(page, {
        image,
        truth: truthVolume,
        unpruned: harnessVolume('u', 'unpruned', 'labels', grid(truth), [truth.data], ['labels']),
        pruned: harnessVolume('p', 'pruned', 'labels', grid(truth), [truth.data], ['labels']),
        table: LABELS,
        views: SLICES,
        // Also the downsampling case (next test): a GPU limit of 64 halves i and j.
        maxTextureSize: 64,
      });
      const totals = await page
        .getByTestId('disagreement-table')
        .locator('tfoot [data-count]')
        .evaluateAll((tds) => tds.map((td) => Number(td.textContent)));
      expect(totals).toEqual([0, 0, 0]);
      await page.evaluate(() => window.viewerHarness.viewer!.setCrosshair(false));
      for (const view of SLICES) {
        expect(colouredPixels(await readCell(page, 3, view)), `disagreement ${view}`).toBe(0);
      }
      // The truth panel of the same render does have coloured labels: the check above can fail.
      expect(colouredPixels(await readCell(page, 0, 'axial'))).toBeGreaterThan(0);
    });

    it('downsamples a volume beyond the 3D texture limit with a notice instead of failing', async () => {
      const { page } = session;
      const notices = await page.getByTestId('notice').allTextContents();
      expect(notices.join(' ')).toContain('downsampled to 64×64×62 (every 2/2/1 voxel)');
      expect(colouredPixels(await readCell(page, 0, 'axial'))).toBeGreaterThan(0);
      await screenshot(page, 'viewer-mri-downsampled');
    });

    it('extracts label surfaces only when the 3D view is turned on, draws them and hides them per label', async () => {
      const { page } = session;
      // Continues on the downsampled load, drawn with the slice views only: no panel has surfaces yet.
      const built = () => page.evaluate(() => window.viewerHarness.viewer!.surfacesBuilt);
      expect(colouredPixels(await readCell(page, 0, 'axial'))).toBeGreaterThan(0);
      expect(await built()).toEqual([false, false, false, false]);
      await page.evaluate(() => {
        const v = window.viewerHarness.viewer!;
        for (const value of [1, 2, 3, 4, 5, 6])
          v.setLabelDisplay('labels', value, { visible: value === 6, opacity: 1 });
      });
      expect(await built()).toEqual([false, false, false, false]);

      // The '3D view' checkbox adds the 3D row; drawing it extracts the surfaces of every panel.
      await page.getByTestId('show-3d').check();
      expect(await page.evaluate(() => window.viewerHarness.viewer!.views)).toEqual([...SLICES, '3d']);
      const small = await readCell(page, 0, '3d');
      expect(await built()).toEqual([true, true, true, true]);
      expect(colouredPixels(small)).toBeGreaterThan(0);
      await screenshot(page, 'viewer-mri-3d');

      // Maximised with its button, the panel's 3D view is a quarter of the canvas (2×2 grid).
      await page.getByTestId('maximise-0').click();
      expect(await page.evaluate(() => window.viewerHarness.viewer!.maximised)).toBe(0);
      const big = await readCell(page, 0, '3d');
      expect(big.rect.width).toBeGreaterThan(small.rect.width * 1.8);
      expect(big.rect.height).toBeGreaterThan(small.rect.height * 1.8);
      const shown = colouredPixels(big);
      expect(shown).toBeGreaterThan(colouredPixels(small));
      await screenshot(page, 'viewer-mri-3d-maximised');
      await page.evaluate(() =>
        window.viewerHarness.viewer!.setLabelDisplay('labels', 6, { visible: false, opacity: 1 }),
      );
      const hidden = colouredPixels(await readCell(page, 0, '3d'));
      expect(shown).toBeGreaterThan(hidden + 500);
      await page.getByTestId('maximise-0').click();
      expect(await page.evaluate(() => window.viewerHarness.viewer!.maximised)).toBe(null);

      await page.getByTestId('show-3d').uncheck();
      expect(await page.evaluate(() => window.viewerHarness.viewer!.views)).toEqual(SLICES);
    });

    it('exports the current view as a PNG of the canvas size', async () => {
      const { page } = session;
      const url = await page.evaluate(() => window.viewerHarness.exportDataUrl());
      expect(url.startsWith('data:image/png;base64,')).toBe(true);
      const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      const size = await page.evaluate(() => {
        const c = window.viewerHarness.viewer!.canvas;
        return [c.width, c.height];
      });
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(size);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(path.join(SCREENSHOT_DIR, 'viewer-export.png'), png);
    });

    it('copes with a BraTS-sized subject (240×240×155, 4 modalities, 3 label maps) made in the page', async () => {
      const { page } = session;
      await page.evaluate(() => window.viewerHarness.loadBratsSized(['axial']));
      // The synthetic tumour: edema (green) around the truth's centre voxel (150, 110, 90) on an LPS grid.
      await page.evaluate(() => {
        const v = window.viewerHarness.viewer!;
        v.setCrosshair(false);
        v.setLabelDisplay('BraTS', 2, { visible: true, opacity: 1 });
        v.setCursor(0, [120 - 150 + 16, 120 - 110, -77 + 90]);
        v.centreOnCursor(0);
      });
      const cell = await readCell(page, 0, 'axial');
      expect(cell.at(Math.floor(cell.rect.width / 2), Math.floor(cell.rect.height / 2))).toEqual([0, 255, 0]);
      await page.getByTestId('modality').selectOption({ label: 't2' });
      expect(colouredPixels(await readCell(page, 3, 'axial'))).toBeGreaterThan(0);
      await screenshot(page, 'viewer-brats-sized');
    });

    it('draws a predicted label the colour table does not name (BraTS label 3) with its legend entry', async () => {
      const { page } = session;
      // ITK labels as BraTS labels (5 → enhancing 4, 6 → edema 2, the rest background); the "unpruned net"
      // predicts label 3, which BraTS does not use, wherever the truth has edema.
      const toBrats = [0, 0, 0, 0, 0, 4, 2];
      const bratsTruth = truth.data.map((v) => toBrats[v] ?? 0);
      const withLabel3 = bratsTruth.map((v) => (v === 2 ? 3 : v));
      const label3Voxels = withLabel3.filter((v) => v === 3).length;
      expect(label3Voxels).toBeGreaterThan(0);
      await load(page, {
        image,
        truth: harnessVolume('t3', 'ground truth', 'labels', grid(truth), [bratsTruth], ['labels']),
        unpruned: harnessVolume('u3', 'unpruned', 'labels', grid(truth), [withLabel3], ['labels']),
        pruned: harnessVolume('p3', 'pruned', 'labels', grid(truth), [bratsTruth], ['labels']),
        table: 'brats',
        views: SLICES,
      });
      const legend = page.getByTestId('labels-BraTS').getByTestId('legend-3');
      expect(await legend.textContent()).toBe('3 label 3, not a BraTS label');
      const swatch = await legend.evaluate(
        (el) => getComputedStyle(el.previousElementSibling as HTMLElement).backgroundColor,
      );
      const colour = swatch.match(/\d+/g)!.map(Number);
      for (const listed of [
        [255, 0, 0],
        [0, 255, 0],
        [255, 255, 0],
      ])
        expect(colour).not.toEqual(listed);
      expect(Math.max(...colour) - Math.min(...colour)).toBeGreaterThan(60); // not grey: visible on the MRI

      const voxel = uniformVoxel(truth.data, 6, 2) ?? uniformVoxel(truth.data, 6, 1);
      await page.evaluate(
        (w) => {
          const v = window.viewerHarness.viewer!;
          v.setCrosshair(false);
          v.setLabelDisplay('BraTS', 3, { visible: true, opacity: 1 });
          v.setCursor(1, w);
          v.centreOnCursor(1);
        },
        voxelToWorld(truth.affine, voxel!),
      );
      for (const view of SLICES) {
        const cell = await readCell(page, 1, view);
        const centre = cell.at(Math.floor(cell.rect.width / 2), Math.floor(cell.rect.height / 2));
        expect(centre, `label 3 in the unpruned ${view} view`).toEqual(colour);
      }
      const row = page.getByTestId('disagreement-table').locator('tbody tr[data-label="3"]');
      const count = async (key: string) => Number(await row.locator(`[data-count="${key}"]`).textContent());
      expect(await count('voxels')).toBe(0);
      expect(await count('unprunedVoxels')).toBe(label3Voxels);
      expect(await count('prunedVoxels')).toBe(0);
      await screenshot(page, 'viewer-unlisted-label');
    });
  });
}
