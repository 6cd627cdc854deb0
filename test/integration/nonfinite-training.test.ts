import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../engine/data/dataset.js';
import { runExperiment } from '../../engine/experiment/index.js';
import { openStore } from '../../engine/store/index.js';
import {
  NonFiniteTrainingError,
  trainLoop,
  type EpochRecord,
  type TrainLoopOptions,
} from '../../engine/train/loop.js';
import { epochOrder } from '../../engine/train/rng.js';
import type { LossFn } from '../../engine/train/trainable.js';
import { plainCrossEntropy, syntheticSegDataset, tinySegModel } from '../unit/train/helpers.js';
import { writeTinyBrats } from './train-fixtures.js';

// A run that meets a NaN or ±Inf loss, gradient or weight stops there with the epoch, the step and
// the net in its reason, and records no metric from it.

await tf.setBackend('cpu');
const dir = mkdtempSync(join(tmpdir(), 'ranp-nonfinite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(overrides: Partial<TrainLoopOptions>): TrainLoopOptions {
  return {
    name: 'test net',
    model: tinySegModel(1),
    data: syntheticSegDataset(6),
    loss: plainCrossEntropy,
    optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 },
    schedule: { kind: 'constant', lr: 0.1 },
    epochs: 3,
    batchSize: 2,
    seed: 5,
    ...overrides,
  };
}

async function stopOf(
  o: TrainLoopOptions,
): Promise<{ error: NonFiniteTrainingError; epochs: EpochRecord[] }> {
  const epochs: EpochRecord[] = [];
  const error = await trainLoop({ ...o, onEpoch: (r) => epochs.push(r) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NonFiniteTrainingError);
  return { error: error as NonFiniteTrainingError, epochs };
}

describe('trainLoop stops at the first non-finite number', () => {
  it('NaN input: the loss of the step that holds the poisoned sample', async () => {
    const clean = syntheticSegDataset(6);
    const poisoned = 4;
    const data: Dataset = {
      ...clean,
      get: async (index, seed) => {
        const sample = await clean.get(index, seed);
        if (index === poisoned) sample.input[3] = NaN;
        return sample;
      },
    };
    // Epoch 1's order from the seed: the poisoned sample's batch is step floor(position / 2) + 1.
    const step = Math.floor(epochOrder(6, 5, 0, true).indexOf(poisoned) / 2) + 1;
    const { error, epochs } = await stopOf(options({ data }));
    expect([error.net, error.epoch, error.step, error.what]).toEqual(['test net', 1, step, 'loss (NaN)']);
    expect(error.message).toMatch(
      /^train: test net stopped at epoch 1, step \d: the loss \(NaN\) is not finite/,
    );
    expect(epochs).toEqual([]);
  });

  it('an absurd learning rate: stopped in epoch 1, nothing recorded', async () => {
    const { error, epochs } = await stopOf(options({ schedule: { kind: 'constant', lr: 1e30 } }));
    expect(error.epoch).toBe(1);
    // Step 1 is computed from the initial weights, so it is finite; its update blows them up.
    expect(error.step).toBeGreaterThan(1);
    expect(error.what).toMatch(/^(loss|gradient of )/);
    expect(epochs).toEqual([]);
  });

  it('a finite loss with a NaN gradient (d√x at 0 times 0): names the variable', async () => {
    // Adds sqrt(0 · logits) = 0 to the loss: its value is unchanged, its gradient Inf · 0 = NaN.
    const loss: LossFn = (logits, labels) =>
      tf.tidy(() => plainCrossEntropy(logits, labels).add(tf.sum(tf.sqrt(logits.mul(0)))) as tf.Scalar);
    const { error } = await stopOf(options({ loss }));
    expect([error.epoch, error.step]).toEqual([1, 1]);
    expect(error.what).toMatch(/^gradient of '(conv1\.weight|head\.weight|head\.bias)'$/);
  });

  it('leaks no tensor when it stops', async () => {
    const o = options({ schedule: { kind: 'constant', lr: 1e30 } });
    const before = tf.memory().numTensors;
    await stopOf(o);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('an experiment that diverges', () => {
  const data = join(dir, 'brats');
  beforeAll(() => writeTinyBrats(data, 3));

  it('fails its run with the reason stored (epoch, step, which net) and no NaN metric', async () => {
    const store = openStore({ dataDir: join(dir, 'store') });
    try {
      const error = await runExperiment(
        {
          task: 'brats',
          data,
          width: 0.125,
          inputSize: 16,
          seed: 3,
          backend: 'cpu',
          prune: { sparsity: 0.3, scoringSamples: 1 },
          // The largest learning rate a config may give (10) with an absurd weight decay: the first
          // update blows the weights up, so a later step of epoch 1 is not finite.
          train: {
            epochs: 2,
            samplesPerEpoch: 2,
            optimizer: { kind: 'sgd', weightDecay: 1e30 },
            schedule: { kind: 'constant', lr: 10 },
          },
        },
        { store },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NonFiniteTrainingError);
      const unpruned = store.listRuns().find((r) => r.role === 'unpruned')!;
      expect(unpruned.status).toBe('failed');
      expect(unpruned.error).toMatch(
        /^train: unpruned net \(unet3d-brats\) stopped at epoch 1, step [2-9]: the (loss|gradient of '[^']+') .*not finite/,
      );
      expect(store.metrics(unpruned.id).filter((m) => !Number.isFinite(m.value))).toEqual([]);
    } finally {
      store.dispose();
    }
  });
});
