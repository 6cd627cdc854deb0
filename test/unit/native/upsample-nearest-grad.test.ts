import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsampleNearest3dGrad } from '../../../engine/backend/kernels/upsample-nearest3d-grad.js';
import type { NativeAddon } from '../../../engine/backend/native-addon.js';
import type { Triple } from '../../../engine/nn/description.js';
import { upsampleNearest3dLayer } from '../../../engine/nn/layers/upsampleNearest3d.js';
import { pattern, withJsKernels } from './js-kernel-harness.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The layer's input gradient for dy, upsampled from `inputShape` by scale (what backprop.ts calls). */
function layerGradient(dy: tf.Tensor, inputShape: number[], scale: Triple): tf.Tensor {
  const node = {
    name: 'up',
    kind: 'upsampleNearest3d' as const,
    inputs: ['x'],
    attrs: { mode: 'scale' as const, scale },
  };
  const { inputs } = upsampleNearest3dLayer.gradient!.backward(node, {
    inputs: [null],
    inputShapes: [inputShape],
    output: null,
    params: {},
    trainable: [],
    seed: 0,
    saved: {},
    dy,
    wantInput: [true],
  });
  return inputs[0]!;
}

/**
 * `compute` with the native block-sum kernel registered over the real addon (removed afterwards);
 * `calls` counts its runs, so a silent fall back to the AvgPool3D path fails.
 */
function withNativeGrad(addon: NativeAddon | undefined, compute: () => tf.Tensor | tf.Tensor[]) {
  if (!addon) throw new Error('addon absent');
  let calls = 0;
  const kernelFunc = upsampleNearest3dGrad.create(addon, () => {
    throw new Error('block sums fell back');
  });
  tf.registerKernel({
    kernelName: upsampleNearest3dGrad.kernelName,
    backendName: 'cpu',
    kernelFunc: (args) => (calls++, kernelFunc(args)),
  });
  try {
    return { ...withJsKernels(compute), calls };
  } finally {
    tf.unregisterKernel(upsampleNearest3dGrad.kernelName, 'cpu');
  }
}

const addon = nativeAddon.loaded ? nativeAddon.addon : undefined;

describe.skipIf(skipNative)(`nearest upsampling's gradient as native block sums${nativeSuffix}`, () => {
  requireNativeAddon();

  it('hand-computed: the 2×2×2 block of 0…7 sums to 28; 1×1×2 blocks of two channels', () => {
    const { values, calls } = withNativeGrad(addon, () => [
      layerGradient(tf.tensor5d([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2, 1]), [1, 1, 1, 1, 1], [2, 2, 2]),
      // w pairs (1,2 | 10,20), (3,4 | 30,40): channel 0 sums 1+3, channel 1 sums 10+30, ...
      layerGradient(tf.tensor5d([1, 10, 3, 30, 2, 20, 4, 40], [1, 1, 1, 4, 2]), [1, 1, 1, 2, 2], [1, 1, 2]),
    ]);
    expect(calls).toBe(2);
    expect(values).toEqual([[28], [4, 40, 6, 60]]);
  });

  // [1, 16, 16, 16, 8] × 8 dy values: above the addon's parallel threshold, so OpenMP splits the rows.
  const powerOfTwo: { shape: number[]; scale: Triple }[] = [
    { shape: [2, 3, 5, 4, 3], scale: [2, 2, 2] },
    { shape: [1, 4, 3, 5, 7], scale: [1, 2, 2] },
    { shape: [1, 2, 3, 2, 2], scale: [4, 1, 2] },
    { shape: [1, 16, 16, 16, 8], scale: [2, 2, 2] },
  ];
  for (const { shape, scale } of powerOfTwo)
    it(`bit-identical to AvgPool3D × k (tfjs JS kernels): input [${shape.join(',')}], scale ${scale.join('×')}`, () => {
      const dyShape = shape.map((n, axis) => (axis >= 1 && axis <= 3 ? n * scale[axis - 1] : n));
      const dy = () => pattern(dyShape);
      const reference = withJsKernels(() => layerGradient(dy(), shape, scale));
      const ours = withNativeGrad(addon, () => layerGradient(dy(), shape, scale));
      expect(ours.calls).toBe(1);
      expect(ours.shapes).toEqual([shape]);
      const first = ours.values[0].findIndex((v, i) => !Object.is(v, reference.values[0][i]));
      expect(first, `first difference at ${first}`).toBe(-1);
    });

  it('factor 3 (AvgPool3D divides by 27 and multiplies back): within float32 rounding of the composed path', () => {
    const shape = [1, 3, 2, 4, 5];
    const scale: Triple = [3, 3, 1];
    const dyShape = [1, 9, 6, 4, 5];
    const reference = withJsKernels(() => layerGradient(pattern(dyShape), shape, scale));
    const ours = withNativeGrad(addon, () => layerGradient(pattern(dyShape), shape, scale));
    expect(ours.calls).toBe(1);
    // The exact sums in float64 from the same pattern values, independently of both paths.
    const dy = pattern(dyShape).dataSync();
    const [, d, h, w, c] = shape;
    const exact = new Float64Array(d * h * w * c);
    for (let z = 0; z < 9; z++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 4; x++)
          for (let ch = 0; ch < c; ch++)
            exact[((Math.floor(z / 3) * h + Math.floor(y / 3)) * w + x) * c + ch] +=
              dy[((z * 6 + y) * 4 + x) * c + ch];
    ours.values[0].forEach((v, i) => {
      expect(v).toBe(Math.fround(exact[i]));
      expect(Math.abs(v - reference.values[0][i])).toBeLessThanOrEqual(
        4 * 2 ** -23 * Math.abs(exact[i]) + 1e-30,
      );
    });
  });

  it('a dy that does not divide into the blocks is refused, naming the shape and factors', () => {
    expect(() =>
      withNativeGrad(
        addon,
        () =>
          tf.engine().runKernel(upsampleNearest3dGrad.kernelName, { dy: tf.zeros([1, 3, 2, 2, 1]) }, {
            factors: [2, 2, 2],
          } as unknown as tf.NamedAttrMap) as tf.Tensor,
      ),
    ).toThrow(/dy of shape \[1,3,2,2,1\].*\[2,2,2\]/);
  });
});
