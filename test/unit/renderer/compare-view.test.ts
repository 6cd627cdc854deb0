import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient } from '../../../engine/protocol/index.js';
import { openStore } from '../../../engine/store/index.js';
import { paretoFront } from '../../../renderer/charts/pareto.js';
import { RUN_PALETTE } from '../../../renderer/charts/run-colours.js';
import CompareView from '../../../renderer/views/CompareView.svelte';

afterEach(() => cleanup());

describe('paretoFront', () => {
  it('keeps the points nothing cheaper beats (worked by hand)', () => {
    // a (1, 0.5) and b (2, 0.7) and d (4, 0.8) are optimal; c (3, 0.6) is beaten by b; e (2, 0.7) ties b.
    const points = [
      { id: 'd', cost: 4, accuracy: 0.8 },
      { id: 'c', cost: 3, accuracy: 0.6 },
      { id: 'a', cost: 1, accuracy: 0.5 },
      { id: 'b', cost: 2, accuracy: 0.7 },
      { id: 'e', cost: 2, accuracy: 0.7 },
    ];
    expect(paretoFront(points)).toEqual(['a', 'b', 'e', 'd']);
    expect(paretoFront([{ id: 'x', cost: 1, accuracy: 0 }])).toEqual(['x']);
  });
});

// The real engine host in this process over a real SQLite store written the way experiments write it.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-compare-ui-'));
const store = openStore({ dataDir });
function storedRun(o: {
  net: string;
  task: string;
  method: string;
  sparsity: number;
  dice: number[];
  flops: number;
  seed?: number;
}) {
  const pruned = o.method !== 'none';
  const run = store.createRun({
    name: `${o.task} ${o.method} ${o.sparsity}${o.seed ? ` seed ${o.seed}` : ''}`,
    seed: o.seed ?? 0,
    task: 'train',
    dataset: o.task,
    net: o.net,
    method: o.method,
    sparsity: o.sparsity,
    role: pruned ? 'pruned' : 'unpruned',
    config: { task: o.task, seed: o.seed ?? 0, prune: { method: o.method, sparsity: o.sparsity } },
    status: 'running',
  });
  const metric = o.task === 'brats' ? 'dice mean' : 'class mIoU';
  o.dice.forEach((value, i) =>
    store.recordEpoch(run.id, {
      epoch: i + 1,
      metrics: [
        { name: 'loss', value: 1 },
        { name: `val ${metric}`, value },
      ],
    }),
  );
  store.recordEpoch(run.id, {
    epoch: o.dice.length + 1,
    metrics: [
      { name: `final ${metric}`, value: Math.max(...o.dice) },
      { name: 'FLOPs', value: o.flops },
      { name: 'params', value: o.flops / 100 },
      { name: 'memory MB', value: o.flops / 1e6 },
    ],
  });
  if (pruned)
    store.recordPruneReport(run.id, {
      layers: [
        { layer: 'enc0', kept: Math.round(8 * (1 - o.sparsity)), total: 8 },
        { layer: 'enc1', kept: Math.round(16 * (1 - o.sparsity)), total: 16 },
      ],
    });
  store.updateRunStatus(run.id, 'completed');
  return String(run.id);
}
const ids = [
  storedRun({
    net: 'unet3d-brats',
    task: 'brats',
    method: 'none',
    sparsity: 0,
    dice: [0.3, 0.5],
    flops: 4e9,
  }),
  storedRun({
    net: 'unet3d-brats',
    task: 'brats',
    method: 'ranp-f',
    sparsity: 0.5,
    dice: [0.2678, 0.136],
    flops: 1e9,
  }),
  storedRun({
    net: 'unet3d-brats',
    task: 'brats',
    method: 'random',
    sparsity: 0.5,
    dice: [0.1, 0.2],
    flops: 2e9,
  }),
  storedRun({
    net: 'unet3d-shapenet',
    task: 'shapenet',
    method: 'ranp-f',
    sparsity: 0.3,
    dice: [0.34],
    flops: 5e7,
  }),
];
// The ranp-f 50% run again with seeds 1 and 2, stored but not selected: its seed group.
const otherSeeds = [1, 2].map((seed, i) =>
  storedRun({
    net: 'unet3d-brats',
    task: 'brats',
    method: 'ranp-f',
    sparsity: 0.5,
    dice: [[0.3], [0.25]][i],
    flops: 1e9,
    seed,
  }),
);
store.dispose();
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('CompareView (real engine host and store)', () => {
  it('draws accuracy against cost with the Pareto front from the stored metrics, labels best and last, refuses ratios across tasks', async () => {
    const client = new ProtocolClient(inProcessTransport(host));
    render(CompareView, { client, ids, onBack: () => {} });
    await vi.waitFor(() => expect(screen.getByTestId('compare-table')).toBeInTheDocument());
    const charts = screen.getAllByTestId('cost-chart');
    expect(charts).toHaveLength(2); // one per task and net
    const brats = charts.find((c) => c.textContent?.includes('brats · unet3d-brats'))!;
    const onFront = (chart: HTMLElement) =>
      [...chart.querySelectorAll('[data-pareto="true"]')].map((g) => g.getAttribute('data-point'));
    // Best dice: unpruned 0.5 at 4 G, ranp-f 0.2678 at 1 G, random 0.2 at 2 G: random is beaten by ranp-f.
    expect(onFront(brats).sort()).toEqual([ids[0], ids[1]].sort());
    expect(brats.querySelector(`[data-point="${ids[2]}"]`)?.getAttribute('data-pareto')).toBe('false');
    // Best and last with their epochs; the 'final' column says it is the best epoch.
    const table = screen.getByTestId('compare-table');
    const rowOf = (name: string) =>
      [...table.querySelectorAll('tbody tr')].find((r) =>
        r.querySelector('th')?.textContent?.startsWith(name),
      )!;
    const row = rowOf('brats ranp-f 0.5');
    expect(row.querySelector('[data-column="best"]')?.textContent).toBe('0.268 (epoch 1)');
    expect(row.querySelector('[data-column="last"]')?.textContent).toBe('0.136 (epoch 2)');
    expect(screen.getByRole('columnheader', { name: 'dice mean (best epoch)' })).toBeInTheDocument();
    // Ratios only against the unpruned run of the same net: −75% FLOPs for ranp-f, none for ShapeNet.
    expect(row.textContent).toContain('−75.0%');
    expect(rowOf('shapenet ranp-f 0.3').textContent).toContain('not comparable');
    expect(screen.getByTestId('not-comparable')).toBeInTheDocument();
    // Kept neurons of each pruned run side by side, each column naming its method and sparsity
    // (an experiment's pruned runs all share one name, '<task> pruned').
    const kept = screen.getByTestId('kept-layers');
    expect(kept.querySelector('tbody tr')?.textContent).toBe('enc04/84/86/8');
    expect(
      [...kept.querySelectorAll('thead th[data-run]')].map((h) => [
        h.getAttribute('data-run'),
        h.querySelector('small')?.textContent,
      ]),
    ).toEqual([
      [ids[1], 'ranp-f, 50% removed'],
      [ids[2], 'random, 50% removed'],
      [ids[3], 'ranp-f, 30% removed'],
    ]);
    // Another cost axis: the points move, the front is the same (costs are proportional here).
    await fireEvent.change(screen.getByRole('combobox', { name: 'Cost' }), { target: { value: 'params' } });
    expect(onFront(screen.getAllByTestId('cost-chart')[0]).length).toBeGreaterThan(0);
  });

  it('gives mean ± std over the stored runs that differ only in seed (the store grouping ranp compare --seeds uses)', async () => {
    const client = new ProtocolClient(inProcessTransport(host));
    render(CompareView, { client, ids, onBack: () => {} });
    const table = await vi.waitFor(() => screen.getByTestId('seed-groups'));
    // Only the ranp-f 50% group has more than one run; the others are alone.
    const headers = [...table.querySelectorAll('thead th')].map((h) => h.textContent);
    expect(headers).toHaveLength(2);
    expect(headers[1]).toContain('unet3d-brats · ranp-f, 50% removed');
    expect(headers[1]).toContain(`3 runs (${[ids[1], ...otherSeeds].join(', ')}), seeds 0, 1, 2`);
    const row = (name: string) =>
      [...table.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')?.textContent === name)!;
    // final dice mean 0.2678, 0.3, 0.25: mean 0.2726; deviations −0.0048, 0.0274, −0.0226 → squares sum
    // 1.28456e-3, / (n − 1) = 6.4228e-4, sqrt = 0.02534.
    // The stored 'final' score is the best checkpoint's, and labelled so.
    expect(row('dice mean (best epoch)').querySelector('td')?.textContent).toBe('0.2726 ± 0.025');
    // The last validation value: 0.136, 0.3, 0.25 → mean 0.2287, std 0.0839.
    expect(row('val dice mean (last epoch)').querySelector('td')?.textContent).toBe('0.2287 ± 0.084');
    expect(row('FLOPs').querySelector('td')?.textContent).toBe('1.000e+9 ± 0');
  });

  it('gives each run one colour in every curve chart, and ticks the epoch axes at whole epochs only', async () => {
    const client = new ProtocolClient(inProcessTransport(host));
    render(CompareView, { client, ids, onBack: () => {} });
    await vi.waitFor(() => expect(screen.getByRole('img', { name: 'loss by epoch' })).toBeInTheDocument());
    const chart = (metric: string) => screen.getByRole('img', { name: `${metric} by epoch` });
    const strokes = (metric: string) =>
      Object.fromEntries(
        [...chart(metric).querySelectorAll('polyline')].map((l) => [
          l.getAttribute('data-series-id'),
          l.getAttribute('stroke'),
        ]),
      );
    // Colours go by run id (ids ascending: palette 0..3), not by a run's place in a chart: the
    // ShapeNet run is 4th in the loss chart and alone in the mIoU chart, and keeps its colour.
    const colourOf = Object.fromEntries(ids.map((id, i) => [id, RUN_PALETTE[i]]));
    expect(strokes('loss')).toEqual(colourOf);
    expect(strokes('val dice mean')).toEqual({
      [ids[0]]: colourOf[ids[0]],
      [ids[1]]: colourOf[ids[1]],
      [ids[2]]: colourOf[ids[2]],
    });
    expect(strokes('val class mIoU')).toEqual({ [ids[3]]: colourOf[ids[3]] });
    // Epochs 1–2 (one point at epoch 1 for the mIoU chart): no tick at 1.2, 1.25 or 1.5.
    const xTicks = (metric: string) =>
      [...chart(metric).querySelectorAll('[data-axis="x"]')].map((t) => t.textContent);
    expect(xTicks('loss')).toEqual(['1', '2']);
    expect(xTicks('val dice mean')).toEqual(['1', '2']);
    expect(xTicks('val class mIoU')).toEqual(['1']);
  });
});
