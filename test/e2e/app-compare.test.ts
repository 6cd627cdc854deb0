import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASKS, type TaskName } from '../../engine/domain/tasks.js';
import { openStore } from '../../engine/store/index.js';
import { ranp } from '../unit/cli/run-ranp.js';
import { launchChromium, screenshot, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';

/**
 * The runs table and Compare over runs of two tasks, for real: the runs are made by the real `ranp`
 * command line into a SQLite store (a ShapeNet experiment, a BraTS experiment, and a pruned-only
 * BraTS run with another method pruned to half the FLOPs; 2 epochs each, so best and last can
 * differ), then the engine host serves that store to Debian's Chromium. What the page shows is
 * checked against the store's own rows.
 */
let host: RunningHost;
let ui: LaunchedBrowser;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-compare-'));
const tiny = ['--input', '16', '--width', '0.25', '--epochs', '2', '--scoring-samples', '1'];

interface StoredRun {
  id: number;
  task: TaskName;
  pruned: boolean;
  method: string;
  sparsity: number;
  /** The stored prune report's rows: kept of total neurons per layer (pruned runs). */
  kept: { layer: string; kept: number; total: number }[];
  flops: number;
  best: { value: number; epoch: number };
  last: { value: number; epoch: number };
}
let stored: StoredRun[] = [];

/** Each run's FLOPs and its headline metric's best (first maximum) and last epoch, read from the store's rows. */
function readStore(): StoredRun[] {
  const store = openStore({ dataDir });
  try {
    return store.listRuns({ task: 'train' }).map((run) => {
      const task = run.dataset as TaskName;
      const curve = store
        .metrics(run.id, [`val ${TASKS[task].primaryMetric}`])
        .map((m) => ({ value: m.value, epoch: m.epoch! }));
      let best = curve[0];
      for (const point of curve) if (point.value > best.value) best = point;
      return {
        id: run.id,
        task,
        pruned: run.role === 'pruned',
        method: run.method ?? 'none',
        sparsity: run.sparsity ?? 0,
        kept: (store.getPruneReport(run.id)?.layers ?? []).map(({ layer, kept, total }) => ({
          layer,
          kept,
          total,
        })),
        flops: store.metrics(run.id, ['FLOPs']).at(-1)!.value,
        best,
        last: curve.at(-1)!,
      };
    });
  } finally {
    store.dispose();
  }
}

beforeAll(async () => {
  const runs = [
    ['experiment', '--task', 'shapenet', '--data', 'assets/samples/shapenet', '--sparsity', '0.3'],
    ['experiment', '--task', 'brats', '--data', 'assets/samples/brats', '--sparsity', '0.3'],
  ];
  for (const argv of runs) {
    const r = await ranp(...argv, ...tiny, '--samples-per-epoch', '2', '--data-dir', dataDir);
    expect(r.code, r.err).toBe(0);
  }
  const config = path.join(dataDir, 'random.json');
  writeFileSync(
    config,
    JSON.stringify({
      task: 'brats',
      data: 'assets/samples/brats',
      inputSize: 16,
      width: 0.25,
      trainUnpruned: false,
      prune: {
        method: 'random',
        budget: { resource: 'flops', value: 0.5, relative: true },
        scoringSamples: 1,
      },
      train: { epochs: 2, samplesPerEpoch: 2 },
    }),
  );
  const random = await ranp('train', '--config', config, '--data-dir', dataDir);
  expect(random.code, random.err).toBe(0);
  stored = readStore();
  expect(stored.map((r) => r.task).sort()).toEqual(['brats', 'brats', 'brats', 'shapenet', 'shapenet']);
  buildRenderer();
  host = await startEngineHost({ staticDir: STATIC_DIR, dataDir });
  ui = await launchChromium();
}, 900_000);

afterAll(async () => {
  await ui?.close();
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const epochValue = (v: { value: number; epoch: number }, metric: string) =>
  `${v.value.toPrecision(3)} (epoch ${v.epoch}) · ${metric}`;

describe('runs of two tasks in the runs table and in Compare', () => {
  it("shows each run's headline metric, best and last with the epoch, as stored; the task filter", async () => {
    const { page } = ui;
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Runs' }).click();
    const table = page.getByTestId('runs-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(5);
    for (const run of stored) {
      const row = table.locator(`tr[data-run="${run.id}"]`);
      const metric = TASKS[run.task].primaryMetric;
      // Mixed tasks: each cell names its metric (Dice mean for BraTS, class mIoU for ShapeNet).
      expect(await row.locator('[data-column="best"]').textContent()).toBe(epochValue(run.best, metric));
      expect(await row.locator('[data-column="last"]').textContent()).toBe(epochValue(run.last, metric));
    }
    await screenshot(page, '11-runs-mixed-tasks');
    await page.locator('.toolbar label', { hasText: /^Task/ }).locator('select').selectOption('shapenet');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    const shapenetIds = stored.filter((r) => r.task === 'shapenet').map((r) => String(r.id));
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.run))).toEqual(
      expect.arrayContaining(shapenetIds),
    );
    await page.locator('.toolbar label', { hasText: /^Task/ }).locator('select').selectOption('');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
  });

  it('refuses ratios between a pruned ShapeNet run and an unpruned BraTS run', async () => {
    const { page } = ui;
    const shapenet = stored.find((r) => r.task === 'shapenet' && r.pruned)!;
    const brats = stored.find((r) => r.task === 'brats' && !r.pruned)!;
    const box = (run: StoredRun) => page.locator(`tr[data-run="${run.id}"] input[type=checkbox]`);
    for (const run of [shapenet, brats]) await box(run).check();
    await page.getByRole('button', { name: /Compare 2 selected/ }).click();
    const rows = page.getByTestId('compare-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('not-comparable').textContent()).toContain('they are not comparable');
    // The pruned run's FLOPs and memory cells say so instead of a change against the BraTS run.
    const prunedRow = (await rows.filter({ hasText: 'removed' }).textContent()) ?? '';
    expect(prunedRow.match(/\(not comparable\)/g)).toHaveLength(2);
    expect(prunedRow).not.toMatch(/\([−+]?\d/);
    await page.getByRole('tab', { name: 'Runs' }).click();
    for (const run of [shapenet, brats]) await box(run).uncheck();
  });

  it("plots accuracy against FLOPs for the BraTS runs at the stored FLOPs and best Dice, the Pareto front as computed from the store's rows", async () => {
    const { page } = ui;
    const brats = stored.filter((r) => r.task === 'brats');
    for (const run of brats) await page.locator(`tr[data-run="${run.id}"] input[type=checkbox]`).check();
    await page.getByRole('button', { name: /Compare 3 selected/ }).click();
    await expect
      .poll(() => page.getByTestId('compare-table').locator('tbody tr').count(), { timeout: 30_000 })
      .toBe(3);
    const chart = page.getByTestId('cost-chart');
    await expect.poll(() => chart.locator('[data-point]').count(), { timeout: 30_000 }).toBe(3);
    // Pareto-optimal: no other run at most as costly and at least as good, better on one.
    const beaten = (p: StoredRun) =>
      brats.some(
        (q) =>
          q !== p &&
          q.flops <= p.flops &&
          q.best.value >= p.best.value &&
          (q.flops < p.flops || q.best.value > p.best.value),
      );
    for (const run of brats) {
      const point = chart.locator(`[data-point="${run.id}"]`);
      expect(Number(await point.getAttribute('data-cost'))).toBe(run.flops);
      expect(Number(await point.getAttribute('data-accuracy'))).toBe(run.best.value);
      expect(await point.getAttribute('data-pareto')).toBe(String(!beaten(run)));
    }
    // The cheapest run is always on the front.
    const cheapest = brats.reduce((a, b) => (b.flops < a.flops ? b : a));
    expect(await chart.locator(`[data-point="${cheapest.id}"]`).getAttribute('data-pareto')).toBe('true');
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, '12-accuracy-cost');
  });

  it('shows the kept neurons per layer of the two pruned BraTS runs (ranp-f, random) side by side, as stored', async () => {
    const { page } = ui;
    // Still comparing the 3 BraTS runs: the unpruned one has no prune report, so two columns.
    const pruned = stored.filter((r) => r.task === 'brats' && r.pruned).sort((a, b) => a.id - b.id);
    expect(pruned.map((r) => r.method).sort()).toEqual(['random', 'ranp-f']);
    const table = page.getByTestId('kept-layers');
    const headers = table.locator('thead th[data-run]');
    await expect.poll(() => headers.count(), { timeout: 30_000 }).toBe(2);
    // Both are named 'brats pruned': each column says which method removed how much.
    expect(await headers.evaluateAll((hs) => hs.map((h) => h.getAttribute('data-run')))).toEqual(
      pruned.map((r) => String(r.id)),
    );
    expect(await headers.locator('small').allTextContents()).toEqual(
      pruned.map((r) => `${r.method}, ${Math.round(r.sparsity * 100)}% removed`),
    );
    const layers = pruned[0].kept.map((l) => l.layer);
    expect(layers.length).toBeGreaterThan(0);
    expect(pruned[1].kept.map((l) => l.layer)).toEqual(layers);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(layers.length);
    for (const [i, layer] of layers.entries()) {
      const row = rows.nth(i);
      expect(await row.locator('th').textContent()).toBe(layer);
      expect(await row.locator('td').allTextContents()).toEqual(
        pruned.map((r) => `${r.kept[i].kept}/${r.kept[i].total}`),
      );
    }
    // The two methods kept different neurons somewhere: the columns are not one report twice.
    expect(pruned[0].kept.map((l) => l.kept)).not.toEqual(pruned[1].kept.map((l) => l.kept));
  });
});
