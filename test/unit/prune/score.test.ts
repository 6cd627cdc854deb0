import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../../engine/data/dataset.js';
import { buildModel, type NetModel } from '../../../engine/nn/model.js';
import { scoreWeights } from '../../../engine/prune/score.js';
import { lossFor } from '../../../engine/tasks/registry.js';
import { createRandom } from '../../../engine/train/rng.js';
import { residualNet } from './nets.js';

function sample(id: string, seed: number): Sample {
  const random = createRandom(seed);
  const input = Float32Array.from({ length: 27 }, () => random() * 2 - 1);
  const label = Int32Array.from({ length: 27 }, (_, i) => (i === 13 ? 255 : random() < 0.5 ? 0 : 1));
  return { id, input, inputShape: [3, 3, 3, 1], label, labelShape: [3, 3, 3], meta: {} };
}

/** The loss with weight entry `index` of `layer` scaled by `factor` and every bias zeroed (the scoring pass). */
function lossWith(model: NetModel, s: Sample, layer: string, index: number, factor: number): number {
  return tf.tidy(() => {
    const key = `${layer}.weight`;
    const w = model.variables.get(key)!;
    const scaled = w.flatten().arraySync() as number[];
    scaled[index] *= factor;
    const overrides = new Map<string, tf.Tensor>([
      [key, tf.tensor(scaled, w.shape)],
      ['head.bias', tf.zerosLike(model.variables.get('head.bias')!)],
    ]);
    const x = tf.tensor5d(s.input, [1, 3, 3, 3, 1]);
    const logits = model.forward(x, {
      training: true,
      weightOverrides: overrides,
      updateRunningStats: false,
    });
    return lossFor('shapenet')(logits, tf.tensor(s.label, [1, 3, 3, 3], 'int32')).arraySync();
  });
}

/** ∂L/∂m at m = 1 by central differences in float32: step 1e-2 of the weight itself. */
function maskDerivative(model: NetModel, s: Sample, layer: string, index: number): number {
  const h = 1e-2;
  return (lossWith(model, s, layer, index, 1 + h) - lossWith(model, s, layer, index, 1 - h)) / (2 * h);
}

describe('weight scores |g ⊙ w| against finite differences of the loss', () => {
  let model: NetModel;
  const samples = [sample('s0', 1), sample('s1', 2)];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = buildModel(residualNet(), { seed: 7 });
  });
  afterAll(() => model.dispose());

  it('equals the mean over samples of |∂L/∂m| for weights of every layer (stem, depthwise, projection, head)', async () => {
    const headBiasBefore = model.variables.get('head.bias')!.arraySync();
    const runningBefore = model.variables.get('dw.bn.runningMean')!.arraySync();
    const scores = await scoreWeights(model, samples, { task: 'shapenet' });
    expect(scores.samples).toBe(2);
    expect(scores.inputSize).toEqual([3, 3, 3]);
    expect([...scores.layers.keys()]).toEqual(['stem', 'dw', 'proj', 'head']);
    expect(scores.layers.get('dw')!.shape).toEqual([3, 3, 3, 1, 3]);
    const probes: [string, number][] = [
      ['stem', 0],
      ['stem', 2],
      ['dw', 4],
      ['dw', 40],
      ['proj', 5],
      ['head', 1],
      ['head', 4],
    ];
    for (const [layer, index] of probes) {
      const expected =
        samples.reduce((sum, s) => sum + Math.abs(maskDerivative(model, s, layer, index)), 0) / 2;
      const got = scores.layers.get(layer)!.values[index];
      expect(Math.abs(got - expected), `${layer}[${index}]: ${got} vs ${expected}`).toBeLessThan(
        2e-2 * expected + 2e-4,
      );
    }
    // The pass neither changed the biases nor the running statistics.
    expect(model.variables.get('head.bias')!.arraySync()).toEqual(headBiasBefore);
    expect(model.variables.get('dw.bn.runningMean')!.arraySync()).toEqual(runningBefore);
  });

  it('scores from an async iterable, capped by `samples`, releasing every tensor', async () => {
    async function* stream() {
      yield samples[0];
      yield samples[1];
    }
    const before = tf.memory().numTensors;
    const one = await scoreWeights(model, stream(), { samples: 1 });
    const direct = await scoreWeights(model, [samples[0]]);
    expect(one.samples).toBe(1);
    expect([...one.layers.get('proj')!.values]).toEqual([...direct.layers.get('proj')!.values]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a sample with the wrong channel count, naming it', async () => {
    const bad = { ...samples[0], id: 'bad', inputShape: [3, 3, 3, 2] as [number, number, number, number] };
    await expect(scoreWeights(model, [bad])).rejects.toThrow(/sample 'bad': 2 input channels/);
  });
});
