import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { avgPool3d } from '../../../engine/backend/kernels/avg-pool3d.js';
import { avgPool3dGrad } from '../../../engine/backend/kernels/avg-pool3d-grad.js';
import { concat } from '../../../engine/backend/kernels/concat.js';
import { maxPool3d } from '../../../engine/backend/kernels/max-pool3d.js';
import { maxPool3dGrad } from '../../../engine/backend/kernels/max-pool3d-grad.js';
import { slice } from '../../../engine/backend/kernels/slice.js';
import { splitV } from '../../../engine/backend/kernels/split-v.js';
import { expectSameAsJs, pattern, withKernels } from './js-kernel-harness.js';
import { skipNative } from './native-required.js';

// MaxPool3D and MaxPool3DGrad run in the addon: without it (RANP_SKIP_NATIVE=1) the suites compare
// the average pools only, as native-required.ts skips the addon's suites; otherwise an absent addon
// fails them.
const pooling = skipNative
  ? [avgPool3d, avgPool3dGrad]
  : [maxPool3d, maxPool3dGrad, avgPool3d, avgPool3dGrad];
type Triple = [number, number, number];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Forward pools and their input gradients (weighted by a fixed pattern so every dy differs). */
function poolsAndGradients(
  x: tf.Tensor5D,
  filter: number | Triple,
  stride: number | Triple,
  pad: 'same' | 'valid' | number,
) {
  const weighted = (pool: (t: tf.Tensor) => tf.Tensor5D) => (t: tf.Tensor) => {
    const y = pool(t);
    return y.mul(pattern(y.shape)).sum();
  };
  const max = (t: tf.Tensor) => tf.maxPool3d(t as tf.Tensor5D, filter, stride, pad);
  const avg = (t: tf.Tensor) => tf.avgPool3d(t as tf.Tensor5D, filter, stride, pad);
  return [max(x), avg(x), tf.grad(weighted(max))(x), tf.grad(weighted(avg))(x)];
}

describe('3D pooling kernels: hand-computed results', () => {
  it('2×2×2 max and average pool of 0…7, and where their gradients go', () => {
    const { values } = withKernels(pooling, () => {
      const x = tf.tensor5d([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2, 1]);
      return poolsAndGradients(x, 2, 2, 'valid');
    });
    // pattern([1,1,1,1,1]) is one value w: the max gradient is w at the 7, the average's w/8 everywhere.
    const w = pattern([1]).dataSync()[0];
    expect(values[0]).toEqual([7]);
    expect(values[1]).toEqual([3.5]);
    expect(values[2]).toEqual([0, 0, 0, 0, 0, 0, 0, Math.fround(w)]);
    values[3].forEach((v) => expect(v).toBe(Math.fround(Math.fround(w) / 8)));
  });

  it('ties: the last maximum in depth-height-width order gets the whole gradient', () => {
    const { values } = withKernels(pooling, () => {
      const x = tf.tensor5d([5, 1, 5, 2, 0, 5, 3, 4], [1, 2, 2, 2, 1]);
      return [tf.grad((t: tf.Tensor) => tf.maxPool3d(t as tf.Tensor5D, 2, 2, 'valid').sum())(x)];
    });
    expect(values[0]).toEqual([0, 0, 0, 0, 0, 1, 0, 0]);
  });
});

describe('3D pooling kernels equal tfjs JS kernels bit for bit', () => {
  const configs: { filter: number | Triple; stride: number | Triple; pad: 'same' | 'valid' | number }[] = [
    { filter: 2, stride: 2, pad: 'valid' },
    { filter: 2, stride: 2, pad: 'same' },
    { filter: 2, stride: 1, pad: 'same' },
    { filter: 3, stride: 1, pad: 'same' },
    { filter: 3, stride: 2, pad: 'same' },
    { filter: 3, stride: 2, pad: 'valid' },
    { filter: 3, stride: 1, pad: 1 },
    { filter: [3, 2, 2], stride: [1, 2, 2], pad: 'same' },
  ];
  for (const { filter, stride, pad } of configs)
    it(`filter ${String(filter)}, stride ${String(stride)}, pad ${pad}: odd sizes, batch 2`, () => {
      expect(
        expectSameAsJs(pooling, () =>
          poolsAndGradients(pattern([2, 5, 6, 7, 3]) as tf.Tensor5D, filter, stride, pad),
        ),
      ).toBe(0);
    });

  // 32,768 dy values each: above the addon's parallel threshold, for the one-addend path (2/2
  // windows, rows split between threads) and the overlapping one (3/1, channels split, float64 sums).
  for (const { shape, filter, stride } of [
    { shape: [2, 32, 32, 16, 8], filter: 2, stride: 2 },
    { shape: [1, 16, 16, 16, 8], filter: 3, stride: 1 },
  ])
    it(`max-pool gradient on a large volume [${shape.join(',')}], filter ${filter}, stride ${stride}`, () => {
      expect(
        expectSameAsJs(pooling, () =>
          poolsAndGradients(pattern(shape) as tf.Tensor5D, filter, stride, 'same'),
        ),
      ).toBe(0);
    });

  it('many ties (values from {0, 1, 2}) and a constant input', () => {
    for (const { filter, stride } of [
      { filter: 2, stride: 1 },
      { filter: 3, stride: 2 },
    ]) {
      const ties = () => pattern([1, 5, 5, 6, 4], { distinct: 3 }) as tf.Tensor5D;
      expect(expectSameAsJs(pooling, () => poolsAndGradients(ties(), filter, stride, 'same'))).toBe(0);
      expect(
        expectSameAsJs(pooling, () =>
          poolsAndGradients(tf.fill([1, 4, 4, 4, 2], 0.5) as tf.Tensor5D, filter, stride, 'same'),
        ),
      ).toBe(0);
    }
  });

  it('NaN and -Infinity inputs are handled as in tfjs (NaN never the maximum)', () => {
    const special = () =>
      tf.tensor5d(
        [NaN, 1, -Infinity, NaN, -Infinity, -Infinity, 2, NaN, NaN, NaN, NaN, NaN, 0, -0, 3, 3],
        [1, 2, 2, 4, 1],
      );
    expect(expectSameAsJs(pooling, () => poolsAndGradients(special(), 2, 1, 'same'))).toBe(0);
  });

  it('a filter whose height differs from its width: max gradient goes to the JS kernel', () => {
    const fallbacks = expectSameAsJs([maxPool3dGrad], () =>
      tf.grad((t: tf.Tensor) =>
        tf
          .maxPool3d(t as tf.Tensor5D, [2, 3, 2], 1, 'same')
          .mul(pattern([1, 4, 5, 6, 2]))
          .sum(),
      )(pattern([1, 4, 5, 6, 2]) as tf.Tensor5D),
    );
    expect(fallbacks).toBe(1);
  });

  it('gradient through concat → maxPool3d → slice equals the JS kernels', () => {
    const kernels = [...pooling, concat, slice, splitV];
    const fallbacks = expectSameAsJs(kernels, () => {
      const a = pattern([1, 6, 6, 6, 3]) as tf.Tensor5D;
      const b = pattern([1, 6, 6, 6, 5], { distinct: 4 }) as tf.Tensor5D;
      const f = (p: tf.Tensor, q: tf.Tensor) =>
        tf
          .maxPool3d(tf.concat([p, q], 4) as tf.Tensor5D, 2, 2, 'valid')
          .slice([0, 1, 0, 1, 2], [1, 2, 3, 2, 5])
          .mul(pattern([1, 2, 3, 2, 5]))
          .sum();
      return tf.grads(f)([a, b]);
    });
    // Contiguous slices (none here along the channel split) are the only JS-kernel calls allowed.
    expect(fallbacks).toBe(0);
  });
});
