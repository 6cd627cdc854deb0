import { afterEach, describe, expect, it } from 'vitest';
import { runSummary } from '../../../engine/host/handlers/run-summary.js';
import { openStore, type Store } from '../../../engine/store/index.js';
import { useTempDirs } from '../store/temp.js';

const tempDir = useTempDirs();

let store: Store | undefined;
afterEach(() => {
  store?.dispose();
  store = undefined;
});

describe('runSummary (a real SQLite store)', () => {
  it('gives the headline metric of the task best and last with their epochs, not the final (best-checkpoint) score as last', () => {
    store = openStore({ dataDir: tempDir() });
    const config = { data: '/data/brats', width: 0.25, inputSize: [16, 16, 16], train: { epochs: 3 } };
    const run = store.createRun({
      task: 'train',
      dataset: 'brats',
      net: 'unet3d-brats',
      role: 'pruned',
      method: 'ranp-f',
      sparsity: 0.3,
      seed: 2,
      backend: 'cpu',
      config,
      status: 'running',
    });
    // The figures: epoch 1 scored 0.2678, epoch 2 0.136; the final evaluation is the best checkpoint's.
    for (const [epoch, dice] of [
      [1, 0.2678],
      [2, 0.136],
    ])
      store.recordEpoch(run.id, {
        epoch,
        metrics: [
          { name: 'loss', value: 1 / epoch },
          { name: 'val dice mean', value: dice },
        ],
        system: { peakMemoryBytes: 100 * 2 ** 20 },
      });
    store.recordEpoch(run.id, {
      epoch: 3,
      metrics: [
        { name: 'final dice mean', value: 0.2678 },
        { name: 'peak process RSS MB', value: 321.5 },
      ],
    });
    const summary = runSummary(store, store.getRun(run.id));
    expect(summary.headline).toEqual({
      metric: 'dice mean',
      best: { value: 0.2678, epoch: 1 },
      last: { value: 0.136, epoch: 2 },
    });
    expect(summary).toMatchObject({
      dataPath: '/data/brats',
      inputSize: [16, 16, 16],
      width: 0.25,
      epochs: 3,
      epochsDone: 2,
      peakMemoryMB: 321.5,
      backend: 'cpu',
      seed: 2,
      status: 'running',
    });
    expect(summary.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it("uses the net's default input size when the config leaves it out, and ShapeNet's class mIoU", () => {
    store = openStore({ dataDir: tempDir() });
    const run = store.createRun({
      task: 'train',
      dataset: 'shapenet',
      net: 'unet3d-shapenet',
      config: {},
      status: 'running',
    });
    store.recordEpoch(run.id, { epoch: 1, metrics: [{ name: 'final class mIoU', value: 0.34 }] });
    const summary = runSummary(store, store.getRun(run.id));
    expect(summary.inputSize).toEqual([64, 64, 64]);
    // No validation curve: the final score (last weights) is the last value; no best is claimed.
    expect(summary.headline).toEqual({ metric: 'class mIoU', last: { value: 0.34, epoch: 0 } });
    store.updateRunStatus(run.id, 'completed');
    expect(runSummary(store, store.getRun(run.id)).durationSeconds).toBeGreaterThanOrEqual(0);
  });
});
