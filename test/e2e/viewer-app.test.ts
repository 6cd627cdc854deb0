/**
 * The segmentation viewer inside the app, for real: Debian's Chromium, the engine host process, a real
 * store and a BraTS study at MRI resolution (181×217×181, .nii.gz files written by helpers/mri-study.ts).
 * Checks the explicit run pairing, the per-case metrics with the jump to the worst case, full resolution,
 * the cursor readout against the NIfTI voxel values, the label-3 legend and its pixels, and the layout at
 * 1400 and 1024 px.
 * Records the open-time breakdown the app shows in test-results/viewer-open-times.json (not asserted).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';
import { compareRuns, openCase } from './helpers/open-study.js';
import { STUDY_DIMS, studyIndex, wholeTumourDice, writeStudy, type Study } from './helpers/mri-study.js';

let dataDir: string;
let study: Study;
let host: RunningHost;
let ui: LaunchedBrowser;

beforeAll(async () => {
  buildRenderer();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-viewer-app-'));
  study = writeStudy(dataDir);
  host = await startEngineHost({ staticDir: STATIC_DIR, dataDir });
  ui = await launchChromium({ width: 1400, height: 900 });
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * In the page: per panel (four equal columns of the viewer's WebGL canvas: truth, unpruned, pruned,
 * disagreement), the pixels whose RGB is `colour` within 2 per channel.
 */
function columnsOfColour(colour: number[]): number[] {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewer-stage"] canvas')!;
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.canvas.width = canvas.width;
  ctx.canvas.height = canvas.height;
  ctx.drawImage(canvas, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = [0, 0, 0, 0];
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const o = 4 * (y * canvas.width + x);
      if ([0, 1, 2].every((c) => Math.abs(data[o + c] - colour[c]) <= 2))
        counts[Math.min(3, Math.floor((4 * x) / canvas.width))]++;
    }
  }
  return counts;
}

describe('segmentation viewer in the app', () => {
  it('pairs the runs of one experiment, lists the cases worst first and opens the worst at full resolution', async () => {
    const { page } = ui;
    const view = await compareRuns(page, host.url, [
      'other experiment unpruned',
      'study unpruned',
      'study pruned',
    ]);
    await expect.poll(() => view.getByTestId('case-metrics').locator('tbody tr').count()).toBe(2);

    // Explicit pairing: the pruned run and the unpruned run of its experiment, not the first unpruned one.
    expect(await view.getByTestId('pair-pruned').inputValue()).toBe(String(study.prunedRunId));
    expect(await view.getByTestId('pair-unpruned').inputValue()).toBe(String(study.unprunedRunId));
    expect(await view.getByTestId('pair-note').count()).toBe(0);
    await view.getByTestId('pair-unpruned').selectOption(String(study.otherRunId));
    await expect.poll(() => view.getByTestId('pair-note').count()).toBe(1);
    await view.getByTestId('pair-unpruned').selectOption(String(study.unprunedRunId));

    // Per-case metrics as stored, worst (lowest pruned Dice) first.
    const dice = study.cases.map((c) => ({
      id: c.id,
      unpruned: wholeTumourDice(c.unpruned, c.truth),
      pruned: wholeTumourDice(c.pruned, c.truth),
    }));
    dice.sort((a, b) => a.pruned - b.pruned);
    await expect.poll(() => view.getByTestId('case-metrics').locator('tbody tr').count()).toBe(2);
    const rows = await view
      .getByTestId('case-metrics')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-case'),
          tr.querySelector('[data-value="unpruned"]')!.textContent,
          tr.querySelector('[data-value="pruned"]')!.textContent,
        ]),
      );
    expect(rows).toEqual(dice.map((d) => [d.id, d.unpruned.toFixed(3), d.pruned.toFixed(3)]));

    // The shown modality comes first, the others after the first view; the readout below needs them all.
    const openMs = await openCase(view, 'worst');
    const times = view.getByTestId('open-times');
    expect(await view.getByTestId('modality').locator('option').allTextContents()).toEqual([
      'flair',
      't1ce',
      't1',
      't2',
    ]);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(
      'test-results/viewer-open-times.json',
      JSON.stringify({ dims: STUDY_DIMS, openMs }, null, 2),
    );
    console.log(`viewer open (181×217×181, 4 modalities + 3 label maps): ${await times.textContent()}`);
    expect(await view.getByTestId('case').inputValue()).toBe(dice[0].id);

    // Full resolution: no downsampling notice, and the sliders count every slice.
    expect(await view.getByTestId('notice').count()).toBe(0);
    expect(await view.getByTestId('slice-number-sagittal').textContent()).toMatch(
      new RegExp(`/${STUDY_DIMS[0]}$`),
    );
    expect(await view.getByTestId('slice-number-coronal').textContent()).toMatch(
      new RegExp(`/${STUDY_DIMS[1]}$`),
    );
    expect(await view.getByTestId('slice-number-axial').textContent()).toMatch(
      new RegExp(`/${STUDY_DIMS[2]}$`),
    );

    // Panel titles name the runs.
    const panels = await view.locator('fieldset', { hasText: 'Panels' }).textContent();
    expect(panels).toContain(`unpruned: study unpruned (#${study.unprunedRunId})`);
    expect(panels).toContain(`pruned: study pruned (#${study.prunedRunId})`);

    // Readout at voxels set with the sliders (the grid is RAS-aligned: sagittal = i, coronal = j, axial = k).
    const shown = study.cases.find((c) => c.id === dice[0].id)!;
    for (const [i, j, k] of [
      [90, 126, 72],
      [60, 100, 120],
    ]) {
      await view.getByTestId('slice-sagittal').fill(String(i));
      await view.getByTestId('slice-coronal').fill(String(j));
      await view.getByTestId('slice-axial').fill(String(k));
      await expect.poll(() => view.getByTestId('readout-voxel').textContent()).toBe(`${i}, ${j}, ${k}`);
      const at = studyIndex(i, j, k);
      for (const [name, voxels] of Object.entries(shown.modalities)) {
        expect(await view.getByTestId(`readout-intensity-${name}`).textContent(), name).toBe(
          String(voxels[at]),
        );
      }
      for (const [panel, labels] of [shown.truth, shown.unpruned, shown.pruned].entries()) {
        expect(await view.getByTestId(`readout-label-${panel}`).textContent()).toMatch(
          new RegExp(`^${labels[at]} `),
        );
      }
    }

    // The unpruned net's label 3 has its legend entry and is drawn in its colour: at opacity 1 and without
    // the crosshair, pixels of exactly that colour are in the unpruned panel and in neither the truth's
    // nor the pruned net's (maps without label 3), on slices that, counted here, hold label-3 voxels.
    const labels = view.getByTestId('labels-BraTS');
    const legend3 = labels.getByTestId('legend-3');
    expect(await legend3.textContent()).toBe('3 label 3, not a BraTS label');
    const colour3 = (
      await legend3.evaluate(
        (el) => getComputedStyle(el.previousElementSibling as HTMLElement).backgroundColor,
      )
    )
      .match(/\d+/g)!
      .map(Number);
    const [ci, cj, ck] = (await view.getByTestId('readout-voxel').textContent())!.split(', ').map(Number);
    let onSlices = 0;
    for (const [at, v] of shown.unpruned.entries()) {
      if (v !== 3) continue;
      const i = at % STUDY_DIMS[0];
      const j = Math.floor(at / STUDY_DIMS[0]) % STUDY_DIMS[1];
      const k = Math.floor(at / (STUDY_DIMS[0] * STUDY_DIMS[1]));
      if (i === ci || j === cj || k === ck) onSlices++;
    }
    expect(onSlices, 'label-3 voxels on the shown slices').toBeGreaterThan(0);
    for (const map of [shown.truth, shown.pruned]) expect(map.includes(3)).toBe(false);
    const crosshair = view.getByLabel('crosshair', { exact: true });
    const opacity3 = labels.getByLabel('opacity of label 3, not a BraTS label');
    await crosshair.uncheck();
    await opacity3.fill('1');
    const perPanel = () => page.evaluate(columnsOfColour, colour3);
    await expect.poll(async () => (await perPanel())[1]).toBeGreaterThan(50);
    const [truthPixels, , prunedPixels] = await perPanel();
    expect([truthPixels, prunedPixels], 'label-3 colour in the truth and pruned panels').toEqual([0, 0]);
    await opacity3.fill('0.6');
    await crosshair.check();

    // Layout: nothing wider than the window at 1400 and 1024 px.
    for (const width of [1400, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await view.scrollIntoViewIfNeeded();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      const table = await view.getByTestId('disagreement-table').boundingBox();
      expect(table!.x + table!.width, `disagreement table inside ${width} px`).toBeLessThanOrEqual(width);
      await view.getByTestId('viewer-stage').scrollIntoViewIfNeeded();
      const file = await screenshot(page, `viewer-app-${width}`);
      mkdirSync('docs/screenshots', { recursive: true });
      copyFileSync(file, `docs/screenshots/viewer-${width}.png`);
    }
  });
});
