import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../../engine/train/checkpoint.js';
import { trainLoop, type TrainLoopOptions } from '../../../engine/train/loop.js';
import { plainCrossEntropy, syntheticSegDataset, tinySegModel, weightsOf } from './helpers.js';

await tf.setBackend('cpu');
const dir = mkdtempSync(join(tmpdir(), 'ranp-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(overrides: Partial<TrainLoopOptions>): TrainLoopOptions {
  return {
    model: tinySegModel(1),
    data: syntheticSegDataset(6),
    loss: plainCrossEntropy,
    optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
    schedule: { kind: 'exponential', lr: 0.1, rate: 0.04 },
    epochs: 4,
    batchSize: 2,
    seed: 5,
    ...overrides,
  };
}

describe('checkpoint file', () => {
  it('round-trips metadata and float32/int32 tensors exactly, and rejects other files', async () => {
    const path = join(dir, 'a.ckpt');
    const f = tf.tensor([1.5, -2.25, 3e-8, 7], [2, 2]);
    const i = tf.tensor([1, -2, 3], [3], 'int32');
    await writeCheckpoint(
      path,
      { epoch: 3, note: 'x' },
      new Map([
        ['f', f],
        ['i', i],
      ]),
    );
    expect(existsSync(`${path}.tmp`)).toBe(false);
    const back = readCheckpoint<{ epoch: number }>(path);
    expect(back.meta.epoch).toBe(3);
    expect(Array.from(back.tensors.get('f')!.dataSync())).toEqual(Array.from(f.dataSync()));
    expect(back.tensors.get('i')!.dtype).toBe('int32');
    expect(Array.from(back.tensors.get('i')!.dataSync())).toEqual([1, -2, 3]);
    expect(() => readCheckpoint(join(dir, '..', 'does-not-exist'))).toThrow();
    tf.dispose([f, i, ...back.tensors.values()]);
  });
});

describe('trainLoop', () => {
  it('loss falls on a learnable synthetic task, and running statistics are updated', async () => {
    const model = tinySegModel(1);
    const result = await trainLoop(options({ model, epochs: 6 }));
    expect(result.outcome).toBe('completed');
    expect(result.history).toHaveLength(6);
    expect(result.history[5].loss).toBeLessThan(result.history[0].loss * 0.8);
    expect(Array.from(model.variables.get('norm.runningMean')!.dataSync()).some((x) => x !== 0)).toBe(true);
    expect(result.history[1].lr).toBeCloseTo(0.1 * Math.exp(-0.04), 12);
  });

  it('same seed → identical weights; different seed → different', async () => {
    const a = tinySegModel(1);
    const b = tinySegModel(1);
    const c = tinySegModel(1);
    await trainLoop(options({ model: a, epochs: 2 }));
    await trainLoop(options({ model: b, epochs: 2 }));
    await trainLoop(options({ model: c, epochs: 2, seed: 6 }));
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(weightsOf(c)).not.toEqual(weightsOf(a));
  });

  it('cancel mid-epoch then resume in-process equals an uninterrupted run', async () => {
    const reference = tinySegModel(1);
    const full = await trainLoop(
      options({
        model: reference,
        optimizer: { kind: 'adam', weightDecay: 1e-4 },
        schedule: { kind: 'constant', lr: 0.01 },
      }),
    );
    const ckptDir = join(dir, 'cancel');
    const abort = new AbortController();
    let steps = 0;
    const first = tinySegModel(1);
    const partial = await trainLoop(
      options({
        model: first,
        optimizer: { kind: 'adam', weightDecay: 1e-4 },
        schedule: { kind: 'constant', lr: 0.01 },
        checkpointDir: ckptDir,
        signal: abort.signal,
        onProgress: () => {
          if (++steps === 5) abort.abort(); // epoch 2, step 2 of 3
        },
      }),
    );
    expect(partial.outcome).toBe('cancelled');
    const resumedModel = tinySegModel(1); // fresh init: everything must come from the checkpoint
    const resumed = await trainLoop(
      options({
        model: resumedModel,
        optimizer: { kind: 'adam', weightDecay: 1e-4 },
        schedule: { kind: 'constant', lr: 0.01 },
        checkpointDir: ckptDir,
        resume: true,
      }),
    );
    expect(resumed.outcome).toBe('completed');
    expect(weightsOf(resumedModel)).toEqual(weightsOf(reference));
    expect(resumed.history.map((h) => h.loss)).toEqual(full.history.map((h) => h.loss));
  });

  it('keeps the best checkpoint and stops early when validation stops improving', async () => {
    const ckptDir = join(dir, 'best');
    const scores = [0.5, 0.7, 0.6, 0.65, 0.69, 0.9];
    let call = 0;
    const result = await trainLoop(
      options({
        epochs: 6,
        checkpointDir: ckptDir,
        validate: async () => ({ metrics: { dice: scores[call++] }, primary: 'dice', higherIsBetter: true }),
        earlyStopPatience: 2,
      }),
    );
    expect(result.outcome).toBe('early-stopped');
    expect(result.history).toHaveLength(4);
    expect(result.best).toMatchObject({ epoch: 2, value: 0.7 });
    const best = readCheckpoint<{ epoch: number }>(result.bestCheckpoint!);
    expect(best.meta.epoch).toBe(2);
    tf.dispose([...best.tensors.values()]);
  });
});
