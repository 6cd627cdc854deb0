import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCommand } from '../../../engine/cli/commands/compare.js';
import { openStore } from '../../../engine/store/index.js';

// ranp compare --seeds: runs that differ only in seed, as mean ± sample std of their last values.

const dir = mkdtempSync(join(tmpdir(), 'ranp-compare-seeds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids: Record<string, number> = {};
beforeAll(() => {
  const store = openStore({ dataDir: dir });
  try {
    const run = (seed: number, sparsity: number, dice: number, loss: number) => {
      const config = { task: 'brats', net: 'unet3d-brats', seed, prune: { sparsity } };
      const id = store.createRun({
        task: 'train',
        net: 'unet3d-brats',
        method: 'ranp-f',
        sparsity,
        seed,
        role: 'pruned',
        config,
        status: 'running',
      }).id;
      // Two epochs: the group statistics use each run's last value.
      store.recordEpoch(id, { epoch: 1, metrics: [{ name: 'loss', value: 9 }] });
      store.recordEpoch(id, {
        epoch: 2,
        metrics: [
          { name: 'loss', value: loss },
          { name: 'final dice', value: dice },
        ],
      });
      store.updateRunStatus(id, 'completed');
      return id;
    };
    ids.a = run(0, 0.5, 0.5, 1);
    ids.b = run(1, 0.5, 0.6, 2);
    ids.c = run(2, 0.5, 0.8, 6);
    ids.other = run(0, 0.7, 0.9, 1);
  } finally {
    store.dispose();
  }
});

async function compare(args: string[]): Promise<string> {
  let out = '';
  await compareCommand.run([...args, '--data-dir', dir], {
    out: (t) => (out += t),
    err: () => {},
    interactive: false,
  });
  return out;
}

describe('ranp compare --seeds', () => {
  it('groups the three seeds of one setting; mean and n−1 std by hand', async () => {
    const groups = JSON.parse(await compare(['--seeds', '--json'])) as {
      runIds: number[];
      seeds: number[];
      metrics: { name: string; n: number; mean: number; std: number }[];
    }[];
    // The 0.7-sparsity run has no sibling: not a group without ids.
    expect(groups.map((g) => g.runIds)).toEqual([[ids.a, ids.b, ids.c]]);
    expect(groups[0].seeds).toEqual([0, 1, 2]);
    const byName = new Map(groups[0].metrics.map((m) => [m.name, m]));
    // dice 0.5, 0.6, 0.8: mean 1.9/3; deviations −2/15, −1/30, 1/6; Σd² = 0.04667; /2 → std √0.02333.
    expect(byName.get('final dice')!.n).toBe(3);
    expect(byName.get('final dice')!.mean).toBeCloseTo(0.633333, 5);
    expect(byName.get('final dice')!.std).toBeCloseTo(0.152753, 5);
    // loss 1, 2, 6 (the last epoch's): mean 3, Σd² = 4 + 1 + 9 = 14, std √7.
    expect(byName.get('loss')!.mean).toBe(3);
    expect(byName.get('loss')!.std).toBeCloseTo(Math.sqrt(7), 12);
  });

  it('prints mean ± std per metric; a run id selects its group, even a single run', async () => {
    const text = await compare(['--seeds', String(ids.b)]);
    expect(text).toMatch(/runs \d+, \d+, \d+ \(seeds 0, 1, 2\)/);
    expect(text).toMatch(/final dice\s+3\s+0\.6333 ± 0\.1528/);
    expect(text).toMatch(/loss\s+3\s+3 ± 2\.646/);
    const single = await compare(['--seeds', String(ids.other)]);
    expect(single).toMatch(/final dice\s+1\s+0\.9 ± 0/);
  });
});
