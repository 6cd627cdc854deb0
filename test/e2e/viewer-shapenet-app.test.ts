/**
 * ShapeNet runs in the app, for real: a tiny experiment on the bundled ShapeNet sample made by the real
 * CLI into a temp store, the engine host process on that store, Debian's Chromium. Compare → the shape
 * view: the per-shape part IoU shown equals the one computed here by hand from the stored prediction
 * file and the reader's truth voxels (and the stored evaluation's number), a part colour is drawn,
 * errors-only mode keeps exactly the wrong voxels, and one orbit turns every panel while linked.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../engine/data/nifti/index.js';
import { openShapenetDataset, SHAPENET_FOLDER } from '../../engine/tasks/shapenet/index.js';
import { openStore } from '../../engine/store/index.js';
import { launchChromium, screenshot, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';
import { compareRuns } from './helpers/open-study.js';
import { colouredPixels, findColour, pixelsOf, samePixels, type Pixels } from './viewer-support.js';

const SAMPLES = path.resolve('assets/samples/shapenet');
const GRID = 16;
const EMPTY = 255;

interface StoredRun {
  id: number;
  name: string;
  perSample: { id: string; metrics: { iou: number } }[];
  /** Stored prediction voxels by sample id (read from the artifact files). */
  predictions: Map<string, Uint8Array>;
}

let dataDir: string;
let host: RunningHost;
let ui: LaunchedBrowser;
let unpruned: StoredRun;
let pruned: StoredRun;
/** The validation shapes as the reader voxelises them at the run's input size, with their parts. */
const truths = new Map<string, { labels: Uint8Array; parts: number[] }>();

async function readRuns(): Promise<StoredRun[]> {
  const store = openStore({ dataDir });
  try {
    const runs: StoredRun[] = [];
    for (const run of store.listRuns()) {
      const perSample = JSON.parse(store.readArtifact(run.id, 'evaluation.json').toString('utf8'))
        .perSample as StoredRun['perSample'];
      const predictions = new Map<string, Uint8Array>();
      for (const sample of perSample) {
        const name = `${sample.id.replace('/', '_')}.nii.gz`;
        const image = await readNifti(store.verifyArtifact(run.id, name).path);
        predictions.set(sample.id, Uint8Array.from(image.data));
      }
      runs.push({ id: run.id, name: run.name ?? '', perSample, predictions });
    }
    return runs;
  } finally {
    store.dispose();
  }
}

/** Per-shape part IoU by hand: over the category's parts on occupied voxels; a part in neither counts 1. */
function handIoU(truth: Uint8Array, prediction: Uint8Array, parts: number[]): number {
  let sum = 0;
  for (const part of parts) {
    let both = 0;
    let either = 0;
    for (let v = 0; v < truth.length; v++) {
      if (truth[v] === EMPTY) continue;
      if (truth[v] === part && prediction[v] === part) both++;
      if (truth[v] === part || prediction[v] === part) either++;
    }
    sum += either === 0 ? 1 : both / either;
  }
  return sum / parts.length;
}

const wrongCount = (truth: Uint8Array, ...predictions: Uint8Array[]): number =>
  truth.filter((t, v) => t !== EMPTY && predictions.some((p) => p[v] !== t)).length;

/** RGBA of panel `panel` (of four equal columns, a 2 px margin left out) of the shape view's canvas. */
async function panelPixels(page: Page, panel: number): Promise<Pixels> {
  const { width, height, base64 } = await page.evaluate((p) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="shape-stage"] canvas')!;
    const w = canvas.clientWidth;
    const x0 = Math.round((p * w) / 4) + 2;
    const width = Math.round(((p + 1) * w) / 4) - 2 - x0;
    const height = canvas.clientHeight;
    const ratio = canvas.width / w;
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.canvas.width = width;
    ctx.canvas.height = height;
    ctx.drawImage(canvas, x0 * ratio, 0, width * ratio, height * ratio, 0, 0, width, height);
    const bytes = ctx.getImageData(0, 0, width, height).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width, height, base64: btoa(binary) };
  }, panel);
  return pixelsOf({ x: 0, y: 0, width, height }, base64);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-shapenet-app-'));
  // The brief's tiny experiment: both nets trained one epoch, evaluated on the 4 validation shapes.
  execFileSync(
    process.execPath,
    [
      'bin/ranp.js',
      'experiment',
      '--task',
      'shapenet',
      '--data',
      SAMPLES,
      '--method',
      'ranp-f',
      '--sparsity',
      '0.5',
      '--epochs',
      '1',
      '--input',
      String(GRID),
      '--width',
      '0.25',
      '--samples-per-epoch',
      '4',
      '--scoring-samples',
      '2',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  const runs = await readRuns();
  unpruned = runs.find((r) => r.name === 'shapenet unpruned')!;
  pruned = runs.find((r) => r.name === 'shapenet pruned')!;
  const val = await openShapenetDataset(path.join(SAMPLES, SHAPENET_FOLDER), 'val', { grid: GRID });
  for (let i = 0; i < val.length; i++) {
    const shape = await val.get(i, 0);
    truths.set(shape.id, { labels: Uint8Array.from(shape.label), parts: shape.meta.partIds as number[] });
  }
  buildRenderer();
  host = await startEngineHost({ staticDir: STATIC_DIR, dataDir });
  ui = await launchChromium({ width: 1400, height: 900 });
}, 300_000);

afterAll(async () => {
  await ui?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('ShapeNet runs in Compare', () => {
  it('opens the worst shape with both runs part IoU as computed by hand, part colours, errors only and linked cameras', async () => {
    const { page } = ui;
    expect(unpruned && pruned, 'the experiment stored an unpruned and a pruned run').toBeTruthy();
    const view = await compareRuns(page, host.url, ['shapenet unpruned', 'shapenet pruned']);
    expect(await view.getByTestId('pair-pruned').inputValue()).toBe(String(pruned.id));
    expect(await view.getByTestId('pair-unpruned').inputValue()).toBe(String(unpruned.id));

    // The per-shape list: every validation shape, both runs' stored IoU, worst (pruned) first.
    const hand = [...truths].map(([id, t]) => ({
      id,
      unpruned: handIoU(t.labels, unpruned.predictions.get(id)!, t.parts),
      pruned: handIoU(t.labels, pruned.predictions.get(id)!, t.parts),
    }));
    for (const [run, role] of [
      [unpruned, 'unpruned'],
      [pruned, 'pruned'],
    ] as const) {
      for (const s of run.perSample)
        expect(s.metrics.iou, `${role} stored IoU of ${s.id}`).toBeCloseTo(
          hand.find((h) => h.id === s.id)![role],
          12,
        );
    }
    const order = [...hand].sort((a, b) => a.pruned - b.pruned);
    await expect.poll(() => view.getByTestId('case-metrics').locator('tbody tr').count()).toBe(truths.size);
    const rows = await view
      .getByTestId('case-metrics')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('[data-value="unpruned"]')!.textContent,
          tr.querySelector('[data-value="pruned"]')!.textContent,
        ]),
      );
    expect(rows).toEqual(order.map((h) => [h.unpruned.toFixed(3), h.pruned.toFixed(3)]));
    expect(order[0].pruned).toBeLessThanOrEqual(order[order.length - 1].pruned);

    // Jump to the worst shape: each run's part IoU equals the hand computation (and the stored number).
    await view.getByTestId('jump-worst').click();
    const comparison = view.getByTestId('shape-comparison');
    await comparison.waitFor({ timeout: 60_000 });
    const worst = order[0];
    expect(await view.getByTestId('case').inputValue()).toBe(worst.id);
    for (const role of ['unpruned', 'pruned'] as const) {
      const cell = comparison.getByTestId(`shape-iou-${role}`);
      expect(Number(await cell.getAttribute('data-iou')), role).toBeCloseTo(worst[role], 12);
      expect(await cell.textContent()).toBe(`${(worst[role] * 100).toFixed(1)}%`);
    }
    const titles = await comparison.locator('.titles').textContent();
    expect(titles).toContain(`unpruned: shapenet unpruned (#${unpruned.id})`);
    expect(titles).toContain(`pruned: shapenet pruned (#${pruned.id})`);

    // A part colour (the legend's swatch) is drawn in the truth panel, for a part the shape has.
    const truth = truths.get(worst.id)!;
    const present = truth.parts.filter((p) => truth.labels.includes(p));
    const swatches = await comparison
      .locator('.legend li:has(.swatch)')
      .evaluateAll((lis) =>
        lis.map((li) => [li.textContent, getComputedStyle(li.querySelector('.swatch')!).backgroundColor]),
      );
    const colourOf = (part: number): number[] =>
      swatches
        .find(([name]) => name === `part ${part}`)![1]!
        .match(/\d+/g)!
        .map(Number);
    const truthPixels = await panelPixels(page, 0);
    for (const part of present)
      expect(findColour(truthPixels, colourOf(part)).count, `part ${part} drawn`).toBeGreaterThan(4);

    // Errors only: each prediction panel keeps its wrong voxels, truth and disagreement those wrong in either.
    const occupied = truth.labels.filter((v) => v !== EMPTY).length;
    const u = unpruned.predictions.get(worst.id)!;
    const p = pruned.predictions.get(worst.id)!;
    const expected = [
      wrongCount(truth.labels, u, p),
      wrongCount(truth.labels, u),
      wrongCount(truth.labels, p),
    ];
    expected.push(expected[0]);
    expect(expected[1], 'the worst shape has right and wrong voxels').toBeGreaterThan(0);
    expect(expected[1]).toBeLessThan(occupied);
    const drawn = () =>
      Promise.all(
        [0, 1, 2, 3].map(async (i) =>
          Number(await comparison.getByTestId(`shape-panel-${i}`).getAttribute('data-drawn')),
        ),
      );
    expect(await drawn()).toEqual([occupied, occupied, occupied, occupied]);
    const before = await panelPixels(page, 1);
    await comparison.getByLabel('errors only').check();
    await expect.poll(drawn).toEqual(expected);
    const after = await panelPixels(page, 1);
    await comparison.scrollIntoViewIfNeeded();
    expect(colouredPixels(after)).toBeLessThan(colouredPixels(before));
    await screenshot(page, 'viewer-shapenet-app-errors');
    await comparison.getByLabel('errors only').uncheck();
    await expect.poll(drawn).toEqual([occupied, occupied, occupied, occupied]);

    // Linked cameras: a drag in the truth panel turns the pruned panel too; unlinked, only the truth.
    const stage = (await comparison.getByTestId('shape-stage').boundingBox())!;
    const drag = async () => {
      const x = stage.x + stage.width / 8;
      const y = stage.y + stage.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 60, y + 15, { steps: 4 });
      await page.mouse.up();
    };
    const [truthBefore, prunedBefore] = [await panelPixels(page, 0), await panelPixels(page, 2)];
    await drag();
    expect(samePixels(await panelPixels(page, 0), truthBefore), 'truth turned').toBe(false);
    expect(samePixels(await panelPixels(page, 2), prunedBefore), 'pruned turned with it').toBe(false);
    await comparison.getByLabel('link cameras').uncheck();
    const [truthUnlinked, prunedUnlinked] = [await panelPixels(page, 0), await panelPixels(page, 2)];
    await drag();
    expect(samePixels(await panelPixels(page, 0), truthUnlinked), 'truth turned alone').toBe(false);
    expect(samePixels(await panelPixels(page, 2), prunedUnlinked), 'pruned stayed').toBe(true);
    await screenshot(page, 'viewer-shapenet-app');

    // Layout: nothing wider than the window at 1400 and 1024 px; the shape list names shapes.
    expect(await view.getByTestId('case-metrics').locator('thead th').first().textContent()).toBe('Shape');
    for (const width of [1400, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await comparison.scrollIntoViewIfNeeded();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      const stageBox = (await comparison.getByTestId('shape-stage').boundingBox())!;
      expect(stageBox.x + stageBox.width, `shape view inside ${width} px`).toBeLessThanOrEqual(width);
      const file = await screenshot(page, `viewer-shapenet-app-${width}`);
      mkdirSync('docs/screenshots', { recursive: true });
      copyFileSync(file, `docs/screenshots/viewer-shapenet-${width}.png`);
    }
    expect(host.stderr()).not.toMatch(/Error|Unhandled/);
  });
});
