import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../engine/nn/model.js';
import { materialize } from '../../../engine/prune/materialize.js';
import { prune } from '../../../engine/prune/prune.js';
import { concatNet, residualNet } from './nets.js';
import { concatScores, convScores } from './scores.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('materialize', () => {
  it('re-initializes by default: only the smaller description, which builds and runs', () => {
    const net = concatNet();
    const result = prune(net, concatScores(net), { method: 'ranp-f', sparsity: 0.5, lambda: 11 });
    const { net: small, weights } = materialize(net, result);
    expect(weights).toBeUndefined();
    const model = buildModel(small, { seed: 1 });
    const y = model.forward(tf.ones([1, 2, 2, 2, 1]) as tf.Tensor5D, { training: false });
    expect(y.shape).toEqual([1, 2, 2, 2, 2]);
    expect(model.variables.get('b.weight')!.shape).toEqual([1, 1, 1, 1, 2]);
    expect(model.variables.get('head.weight')!.shape).toEqual([1, 1, 1, 3, 2]);
    y.dispose();
    model.dispose();
  });

  it('inherited weights give the same logits as the full net with the removed channels cut off', () => {
    const net = concatNet();
    // Removes b0 (cat position 2) and a0 (b input 0 and cat position 0): hand-set so RANP-f keeps a1, b1, b2.
    const result = prune(net, concatScores(net), { method: 'ranp-f', sparsity: 0.5, lambda: 11 });
    expect([...result.keptNeurons.get('a')!]).toEqual([0, 1]);
    expect([...result.keptNeurons.get('b')!]).toEqual([0, 1, 1]);
    const full = buildModel(net, { seed: 3 });
    const fullWeights = full.getWeights();
    const { net: small, weights } = materialize(net, result, { inherit: fullWeights });
    const pruned = buildModel(small, { seed: 99 });
    pruned.setWeights(weights!);

    // Slices by hand: b.weight [1,1,1,2,3] keeps input 1 and outputs 1, 2; head keeps cat positions 1, 3, 4.
    const b = (fullWeights.get('b.weight')!.arraySync() as number[][][][][])[0][0][0];
    expect(pruned.variables.get('b.weight')!.arraySync()).toEqual([[[[[b[1][1], b[1][2]]]]]]);
    const gamma = fullWeights.get('b.bn.gamma')!.arraySync() as number[];
    expect(pruned.variables.get('b.bn.gamma')!.arraySync()).toEqual([gamma[1], gamma[2]]);
    const head = (fullWeights.get('head.weight')!.arraySync() as number[][][][][])[0][0][0];
    expect((pruned.variables.get('head.weight')!.arraySync() as number[][][][][])[0][0][0]).toEqual([
      head[1],
      head[3],
      head[4],
    ]);
    expect(pruned.variables.get('head.bias')!.arraySync()).toEqual(fullWeights.get('head.bias')!.arraySync());

    // In the full net, zeroing the head's weights from the removed channels (cat 0 and 2) and b's from a0
    // cuts the removed neurons off exactly (norms are per channel), so both nets compute the same logits.
    const cutHead = head.map((row, i) => (i === 0 || i === 2 ? row.map(() => 0) : row));
    const cutB = b.map((row, i) => (i === 0 ? row.map(() => 0) : row));
    full.setWeights(
      new Map([
        ['head.weight', tf.tensor([[[cutHead]]])],
        ['b.weight', tf.tensor([[[cutB]]])],
      ]),
      { partial: true },
    );
    const x = tf.tensor5d(
      Array.from({ length: 8 }, (_, i) => Math.sin(i + 1)),
      [1, 2, 2, 2, 1],
    );
    for (const training of [false, true]) {
      const expected = full
        .forward(x, { training, updateRunningStats: false })
        .arraySync() as number[][][][][];
      const got = pruned.forward(x, { training, updateRunningStats: false }).arraySync() as number[][][][][];
      expect(got.flat(4)).toEqual(expected.flat(4).map((v) => expect.closeTo(v, 5)));
    }
    weights!.forEach((t) => t.dispose());
    fullWeights.forEach((t) => t.dispose());
    full.dispose();
    pruned.dispose();
  });

  it('slices depthwise filters along their output axis only, coupled with the residual partners', () => {
    const net = residualNet();
    const scores = convScores(net, {
      stem: [[1, 0, 1]],
      proj: [
        [1, 0, 1],
        [1, 0, 1],
        [1, 0, 1],
      ],
      head: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    });
    scores.layers.set('dw', {
      shape: [3, 3, 3, 1, 3],
      outAxis: 4,
      values: new Float32Array(81).map((_, i) => (i % 3 === 1 ? 0 : 1)),
    });
    const result = prune(net, scores, { method: 'vanilla', sparsity: 0.3 });
    expect([...result.keptNeurons.get('dw')!]).toEqual([1, 0, 1]);
    const model = buildModel(net, { seed: 2 });
    const fullWeights = model.getWeights();
    const { net: small, weights } = materialize(net, result, { inherit: fullWeights });
    const dw = fullWeights.get('dw.weight')!.arraySync() as number[][][][][];
    const kept = weights!.get('dw.weight')!.arraySync() as number[][][][][];
    expect(weights!.get('dw.weight')!.shape).toEqual([3, 3, 3, 1, 2]);
    expect(kept[1][2][0][0]).toEqual([dw[1][2][0][0][0], dw[1][2][0][0][2]]);
    const smallModel = buildModel(small, { seed: 0 });
    smallModel.setWeights(weights!);
    const y = smallModel.forward(tf.ones([1, 3, 3, 3, 1]) as tf.Tensor5D, { training: true });
    expect(y.shape).toEqual([1, 3, 3, 3, 2]);
    expect(Number.isFinite(y.sum().arraySync() as number)).toBe(true);
    smallModel.dispose();
    model.dispose();
  });
});
