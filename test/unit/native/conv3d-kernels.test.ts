import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNativeKernels, nativeKernelsInstalled } from '../../../engine/backend/native-kernels.js';
import type { Disposable } from '../../../engine/util/disposable.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

const addon = nativeAddon;
const suffix = nativeSuffix;

type Triple = [number, number, number];
interface Case {
  name: string;
  x: [number, number, number, number, number];
  filter: [number, number, number, number, number];
  strides: Triple;
  pad: 'same' | 'valid';
}

// Small shapes (the JS reference is slow) covering odd sizes, anisotropic kernels and strides, both paddings.
const CASES: Case[] = [
  { name: '3³ same s1', x: [1, 5, 6, 7, 3], filter: [3, 3, 3, 3, 4], strides: [1, 1, 1], pad: 'same' },
  {
    name: '3³ valid s1 batch 2',
    x: [2, 6, 5, 4, 2],
    filter: [3, 3, 3, 2, 5],
    strides: [1, 1, 1],
    pad: 'valid',
  },
  {
    name: '3³ same s2 odd size',
    x: [1, 7, 7, 5, 4],
    filter: [3, 3, 3, 4, 3],
    strides: [2, 2, 2],
    pad: 'same',
  },
  { name: '3³ valid s2', x: [2, 8, 6, 7, 2], filter: [3, 3, 3, 2, 2], strides: [2, 2, 2], pad: 'valid' },
  { name: '1³ pointwise', x: [2, 4, 4, 4, 6], filter: [1, 1, 1, 6, 5], strides: [1, 1, 1], pad: 'valid' },
  // Over 8 KiB, so outputs come unzeroed from float32Output: the input gradient's odd positions,
  // which no window reads, must still be written (as zeros) by oneDNN.
  {
    name: '1³ kernel s2, unread inputs',
    x: [1, 9, 10, 12, 4],
    filter: [1, 1, 1, 4, 3],
    strides: [2, 2, 2],
    pad: 'valid',
  },
  {
    name: '(1,3,2) kernel, (1,2,2) stride',
    x: [1, 5, 8, 9, 3],
    filter: [1, 3, 2, 3, 4],
    strides: [1, 2, 2],
    pad: 'same',
  },
  // tfjs computes a negative 'same' pad here (stride 3 > kernel 2): the JS kernel keeps this call.
  {
    name: 'stride 3 > kernel 2 (JS fallback)',
    x: [1, 5, 8, 9, 3],
    filter: [1, 3, 2, 3, 4],
    strides: [1, 2, 3],
    pad: 'same',
  },
  {
    name: '2³ kernel s2 (even, asymmetric same pad)',
    x: [1, 6, 5, 6, 2],
    filter: [2, 2, 2, 2, 3],
    strides: [2, 2, 2],
    pad: 'same',
  },
];

/** conv3d, dL/dx and dL/dfilter for L = Σ conv3d(x, filter) ⊙ r (r fixed random weights, so every output matters). */
function convAndGradients(c: Case): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 11) as tf.Tensor5D;
    const filter = tf.randomNormal(c.filter, 0, 1, 'float32', 12) as tf.Tensor5D;
    const y = tf.conv3d(x, filter, c.strides, c.pad);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', 13);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv3d(a as tf.Tensor5D, b as tf.Tensor5D, c.strides, c.pad)
        .mul(r)
        .sum();
    const [dx, dFilter] = tf.grads(loss)([x, filter]);
    return [y, dx, dFilter].map((t) => t.dataSync() as Float32Array);
  });
}

function maxAbsError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe.skipIf(skipNative)(`native oneDNN conv3d kernels vs tfjs cpu kernels${suffix}`, () => {
  requireNativeAddon();
  const reference = new Map<string, Float32Array[]>();
  let installed: Disposable;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    for (const c of CASES) reference.set(c.name, convAndGradients(c));
    if (!addon.loaded) throw new Error('unreachable');
    installed = installNativeKernels(addon.addon);
  });
  afterAll(() => installed?.dispose());

  it.each(CASES)('$name: forward, input gradient and filter gradient match', (c) => {
    expect(nativeKernelsInstalled()).toBe(true);
    const [y, dx, dFilter] = convAndGradients(c);
    const [yRef, dxRef, dFilterRef] = reference.get(c.name)!;
    const errors = {
      forward: maxAbsError(y, yRef),
      input: maxAbsError(dx, dxRef),
      filter: maxAbsError(dFilter, dFilterRef),
    };
    console.info(`max abs error ${c.name}: ${JSON.stringify(errors)}`);
    // Sums of up to a few hundred N(0,1) products: float32 reordering error is ~1e-5.
    expect(errors.forward).toBeLessThan(1e-4);
    expect(errors.input).toBeLessThan(1e-4);
    expect(errors.filter).toBeLessThan(1e-3);
    // Guards against comparing zeros with zeros.
    expect(Math.max(...yRef.map(Math.abs))).toBeGreaterThan(1);
  });

  it('dilated forward (2,1,3) matches', () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([1, 7, 6, 9, 2], 0, 1, 'float32', 21) as tf.Tensor5D;
        const filter = tf.randomNormal([2, 3, 3, 2, 3], 0, 1, 'float32', 22) as tf.Tensor5D;
        return tf.conv3d(x, filter, 1, 'same', 'NDHWC', [2, 1, 3]).dataSync() as Float32Array;
      });
    const native = run();
    installed.dispose();
    const js = run();
    if (!addon.loaded) throw new Error('unreachable');
    installed = installNativeKernels(addon.addon);
    expect(maxAbsError(native, js)).toBeLessThan(1e-4);
  });

  it('int32 inputs go to the JS kernel and give its exact result', () => {
    const x = tf.tensor5d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2, 1], 'int32');
    const filter = tf.ones([2, 2, 2, 1, 1], 'int32') as tf.Tensor5D;
    const y = tf.conv3d(x, filter, 1, 'valid');
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([36]);
  });

  it('hand-computed: ones through a ones 3³ filter with same padding counts the neighbours in the volume', () => {
    const y = tf.conv3d(
      tf.ones([1, 3, 3, 3, 1]) as tf.Tensor5D,
      tf.ones([3, 3, 3, 1, 1]) as tf.Tensor5D,
      1,
      'same',
    );
    const v = y.dataSync();
    // corner: 2·2·2 neighbours, edge centre 2·2·3, face centre 2·3·3, volume centre 27
    expect([v[0], v[1], v[4], v[13]]).toEqual([8, 12, 18, 27]);
  });
});

// Batch 1 runs as one depth slab per OpenMP thread (native/src/conv3d.cc), batch 2 as one whole
// conv, so with two or more threads these compare the cut conv with oneDNN's uncut one.
describe.skipIf(skipNative)(`native conv3d cut into depth parts${suffix}`, () => {
  requireNativeAddon();
  const native = () => {
    if (!addon.loaded) throw new Error('unreachable');
    return addon.addon;
  };
  const geometry = (batch: number, c: { size: Triple; inC: number; outC: number; stride: number }) => {
    const out = c.size.map((n) => Math.ceil(n / c.stride)) as Triple;
    const padTotal = c.size.map((n, i) => Math.max((out[i] - 1) * c.stride + 3 - n, 0));
    return {
      batch,
      inChannels: c.inC,
      outChannels: c.outC,
      groups: 1,
      inSize: c.size,
      outSize: out,
      kernel: [3, 3, 3] as Triple,
      strides: [c.stride, c.stride, c.stride] as Triple,
      dilations: [1, 1, 1] as Triple,
      padBefore: padTotal.map((p) => Math.floor(p / 2)) as Triple,
      padAfter: padTotal.map((p) => p - Math.floor(p / 2)) as Triple,
    };
  };

  it('hand-computed: a depth ramp through a ones 3³ filter, crossing the cut between depth 1 and 2', () => {
    const g = geometry(1, { size: [4, 4, 4], inC: 1, outC: 1, stride: 1 });
    const ramp = Float32Array.from({ length: 64 }, (_, i) => Math.floor(i / 16) + 1); // x(d, h, w) = d + 1
    const ones = new Float32Array(27).fill(1);
    // Neighbours inside the volume along one axis of 4: 2 at the ends, 3 inside.
    const n = [2, 3, 3, 2];
    const at = (a: Float32Array, d: number, h: number, w: number) => a[(d * 4 + h) * 4 + w];
    // y(d) sums the ramp over d−1..d+1 inside the volume: 1+2, 1+2+3, 2+3+4, 3+4.
    const depthSums = [3, 6, 9, 7];
    const y = new Float32Array(64);
    native().conv3dForward(ramp, ones, y, g);
    const dx = new Float32Array(64);
    native().conv3dBackwardInput(ramp, ones, dx, g);
    for (const [d, h, w] of [
      [0, 0, 0],
      [1, 1, 2],
      [2, 3, 1],
      [3, 2, 2],
    ]) {
      expect(at(y, d, h, w)).toBe(depthSums[d] * n[h] * n[w]);
      expect(at(dx, d, h, w)).toBe(depthSums[d] * n[h] * n[w]);
    }
    // dFilter[kd, kh, kw] with dy = 1: the ramp summed over the rows tap kd reads (rows 0..2, 0..3,
    // 1..3) times the in-volume positions of taps kh and kw (3, 4, 3).
    const dFilter = new Float32Array(27);
    native().conv3dBackwardFilter(ramp, new Float32Array(64).fill(1), dFilter, g);
    const tapRows = [6, 10, 9];
    const tapPositions = [3, 4, 3];
    for (let kd = 0; kd < 3; kd++)
      for (let kh = 0; kh < 3; kh++)
        for (let kw = 0; kw < 3; kw++)
          expect(dFilter[(kd * 3 + kh) * 3 + kw]).toBe(tapRows[kd] * tapPositions[kh] * tapPositions[kw]);
  });

  it.each([
    { name: '3³ same s1', size: [9, 6, 5] as Triple, inC: 5, outC: 3, stride: 1 },
    { name: '3³ same s2 odd depth', size: [11, 6, 7] as Triple, inC: 3, outC: 18, stride: 2 },
  ])('$name: batch 1 (cut) equals batch 2 of the same sample twice (whole) within 1e-5', (c) => {
    const one = geometry(1, c);
    const two = geometry(2, c);
    let seed = 7;
    const random = (n: number) =>
      Float32Array.from(
        { length: n },
        () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1,
      );
    const inN = c.size[0] * c.size[1] * c.size[2] * c.inC;
    const outN = one.outSize[0] * one.outSize[1] * one.outSize[2] * c.outC;
    const x = random(inN);
    const dy = random(outN);
    const w = random(27 * c.inC * c.outC);
    const twice = (a: Float32Array) => {
      const b = new Float32Array(2 * a.length);
      b.set(a);
      b.set(a, a.length);
      return b;
    };
    const relative = (a: Float32Array, b: Float32Array) => {
      expect(a.length).toBe(b.length);
      const scale = Math.max(...b.map(Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      return maxAbsError(a, b) / scale;
    };
    const y1 = new Float32Array(outN);
    const y2 = new Float32Array(2 * outN);
    native().conv3dForward(x, w, y1, one);
    native().conv3dForward(twice(x), w, y2, two);
    expect(relative(twice(y1), y2)).toBeLessThan(1e-5);
    const dx1 = new Float32Array(inN);
    const dx2 = new Float32Array(2 * inN);
    native().conv3dBackwardInput(dy, w, dx1, one);
    native().conv3dBackwardInput(twice(dy), w, dx2, two);
    expect(relative(twice(dx1), dx2)).toBeLessThan(1e-5);
    const dw1 = new Float32Array(w.length);
    const dw2 = new Float32Array(w.length);
    native().conv3dBackwardFilter(x, dy, dw1, one);
    native().conv3dBackwardFilter(twice(x), twice(dy), dw2, two);
    expect(
      relative(
        dw1.map((v) => 2 * v),
        dw2,
      ),
    ).toBeLessThan(1e-5);
  });
});

describe.skipIf(skipNative)(`installNativeKernels lifecycle${suffix}`, () => {
  requireNativeAddon();
  it('dispose restores the JS kernels and a second install while installed is refused', () => {
    if (!addon.loaded) throw new Error('unreachable');
    const before = tf.getKernel('Conv3D', 'cpu')?.kernelFunc;
    const installed = installNativeKernels(addon.addon);
    expect(tf.getKernel('Conv3D', 'cpu')?.kernelFunc).not.toBe(before);
    expect(() => installNativeKernels(addon.addon)).toThrow(/already installed/);
    installed.dispose();
    expect(tf.getKernel('Conv3D', 'cpu')?.kernelFunc).toBe(before);
    expect(nativeKernelsInstalled()).toBe(false);
  });
});
