import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../engine/store/index.js';
import type { PruneReport } from '../../../engine/prune/report.js';
import { ranp } from './run-ranp.js';

// `ranp experiment --budget` through the real command line and a real SQLite store: the pruned
// run must meet the budget by the FLOPs the store holds for both runs, and keep the sparsity the
// search found. That sparsity is checked a second way: `ranp prune` (another command, scoring the
// same data with the same seed) finds the same one for the same budget and, pruning at it, counts
// the same FLOPs.

const dir = mkdtempSync(join(tmpdir(), 'ranp-experiment-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = 'assets/samples/shapenet';
const tiny = ['--input', '16', '--width', '0.25'];

describe('ranp experiment --budget', () => {
  it('a bad budget or a budget beside --sparsity is a usage error (exit 2) naming the forms that work', async () => {
    const bad = await ranp('experiment', '--task', 'shapenet', '--data', data, '--budget', 'flops=lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      "--budget: budget 'flops=lots': expected flops=, memory= or params= with a fraction (0.1, 10%) or an amount (2GB, 1.5G)",
    );
    const unit = await ranp('experiment', '--task', 'shapenet', '--data', data, '--budget', 'params=2GB');
    expect([unit.code, unit.err.includes("unit 'GB' does not apply to params")]).toEqual([2, true]);
    const both = await ranp(
      'experiment',
      ...['--task', 'shapenet', '--data', data, '--budget', 'flops=0.1', '--sparsity', '0.5'],
    );
    expect([both.code, both.err.includes('give --sparsity or --budget, not both')]).toEqual([2, true]);
    // Widening after pruning would multiply the cost again: refused before any scoring.
    const widened = await ranp(
      'experiment',
      ...[
        '--task',
        'shapenet',
        '--data',
        data,
        ...tiny,
        '--budget',
        'flops=0.3',
        '--widen',
        '2',
        '--no-store',
      ],
    );
    expect([
      widened.code,
      widened.err.includes('prune.budget cannot be combined with prune.widen 2'),
    ]).toEqual([1, true]);
  });

  it(
    'flops=0.3 on the ShapeNet sample: stored pruned FLOPs ≤ 0.3 × stored unpruned FLOPs, the found sparsity stored, the budget in its config',
    { timeout: 300_000 },
    async () => {
      const storeDir = join(dir, 'store');
      const { code, err } = await ranp(
        'experiment',
        ...['--task', 'shapenet', '--data', data, ...tiny, '--epochs', '1'],
        ...['--samples-per-epoch', '4', '--scoring-samples', '2', '--budget', 'flops=0.3'],
        ...['--data-dir', storeDir],
      );
      expect(code, err).toBe(0);
      const store = openStore({ dataDir: storeDir });
      try {
        const runs = store.listRuns({ task: 'train' });
        const unpruned = runs.find((r) => r.role === 'unpruned')!;
        const pruned = runs.find((r) => r.role === 'pruned')!;
        expect([unpruned.status, pruned.status, pruned.parentRunId]).toEqual([
          'completed',
          'completed',
          unpruned.id,
        ]);
        const flops = (runId: number) => store.metrics(runId, ['FLOPs']).at(-1)!.value;
        const ratio = flops(pruned.id) / flops(unpruned.id);
        expect(ratio).toBeLessThanOrEqual(0.3);
        // The smallest sparsity meeting the budget: close below it, not far (the net is 0.25 wide,
        // so one group of channels is a few percent of the FLOPs).
        expect(ratio).toBeGreaterThan(0.2);
        expect(pruned.config).toMatchObject({
          prune: { budget: { resource: 'flops', value: 0.3, relative: true } },
        });
        expect((pruned.config.prune as Record<string, unknown>).sparsity).toBeUndefined();
        const found = pruned.sparsity!;
        expect(found).toBeGreaterThan(0);
        expect(found).toBeLessThan(1);
        expect(err).toContain(`at sparsity ${found} (the smallest meeting the flops budget)`);

        const prune = async (...target: string[]) => {
          const r = await ranp(
            'prune',
            ...['--net', 'unet3d-shapenet', ...tiny, '--data', data, '--samples', '2'],
            ...[...target, '--no-store', '--json'],
          );
          expect(r.code, r.err).toBe(0);
          return JSON.parse(r.out) as PruneReport;
        };
        const again = await prune('--budget', 'flops=0.3');
        expect(again.budget!.sparsity).toBe(found);
        const atFound = await prune('--sparsity', String(found));
        expect(atFound.resources.after.flops).toBe(flops(pruned.id));
        expect(atFound.resources.before.flops).toBe(flops(unpruned.id));
      } finally {
        store.dispose();
      }
    },
  );
});
