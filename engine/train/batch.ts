import * as tf from '@tensorflow/tfjs';
import type { Dataset, Sample } from '../data/dataset.js';
import { deriveSeed, SeedPurpose } from './rng.js';

/** The seed a sample's crop/augmentation draws from: fixed by (run seed, epoch, index), so resumes repeat it. */
export function sampleSeed(seed: number, epoch: number, index: number): number {
  return deriveSeed(seed, SeedPurpose.sample, epoch, index);
}

export interface Batch {
  /** N, D, H, W, C float32 */
  x: tf.Tensor5D;
  /** int32: N, D, H, W voxel labels or N class indices */
  labels: tf.Tensor;
  samples: Sample[];
}

/** Reads samples and stacks them; every sample must have the same shapes (a batch is one tensor). */
export async function loadBatch(
  dataset: Dataset,
  indices: readonly number[],
  seed: number,
  epoch: number,
): Promise<Batch> {
  const samples = await Promise.all(indices.map((i) => dataset.get(i, sampleSeed(seed, epoch, i))));
  return stackSamples(samples);
}

export function stackSamples(samples: Sample[]): Batch {
  if (samples.length === 0) throw new Error('stackSamples: empty batch');
  const [first] = samples;
  const inputSize = first.input.length;
  const labelSize = first.label.length;
  for (const s of samples) {
    if (
      s.inputShape.join('x') !== first.inputShape.join('x') ||
      s.labelShape.join('x') !== first.labelShape.join('x')
    )
      throw new Error(
        `batch: sample '${s.id}' has input [${s.inputShape.join('x')}] / label [${s.labelShape.join('x')}], ` +
          `but '${first.id}' has [${first.inputShape.join('x')}] / [${first.labelShape.join('x')}]`,
      );
  }
  const input = new Float32Array(inputSize * samples.length);
  const label = new Int32Array(labelSize * samples.length);
  samples.forEach((s, i) => {
    input.set(s.input, i * inputSize);
    label.set(s.label, i * labelSize);
  });
  const n = samples.length;
  const labelShape =
    first.labelShape.length === 1 && first.labelShape[0] === 1 ? [n] : [n, ...first.labelShape];
  return {
    x: tf.tensor5d(input, [n, ...first.inputShape]),
    labels: tf.tensor(label, labelShape, 'int32'),
    samples,
  };
}
