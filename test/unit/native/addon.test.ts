import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NativeAddon, type NativeConvGeometry } from '../../../engine/backend/native-addon.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

const loaded = nativeAddon;
const suffix = nativeSuffix;

function geometry(overrides: Partial<NativeConvGeometry> = {}): NativeConvGeometry {
  return {
    batch: 1,
    inChannels: 4,
    outChannels: 6,
    groups: 1,
    inSize: [4, 5, 6],
    outSize: [4, 5, 6],
    kernel: [3, 3, 3],
    strides: [1, 1, 1],
    dilations: [1, 1, 1],
    padBefore: [1, 1, 1],
    padAfter: [1, 1, 1],
    ...overrides,
  };
}

function elements(g: NativeConvGeometry) {
  const input = g.batch * g.inSize[0] * g.inSize[1] * g.inSize[2] * g.inChannels;
  const output = g.batch * g.outSize[0] * g.outSize[1] * g.outSize[2] * g.outChannels;
  const filter = g.kernel[0] * g.kernel[1] * g.kernel[2] * (g.inChannels / g.groups) * g.outChannels;
  return { input, output, filter };
}

function random(n: number, seed: number): Float32Array {
  return tf.randomNormal([n], 0, 1, 'float32', seed).dataSync() as Float32Array;
}

/** Grouped conv3d with tfjs cpu as reference: each group is an ordinary conv on its channel slice. */
function groupedReference(
  x: tf.Tensor5D,
  filter: tf.Tensor5D,
  groups: number,
  strides: number,
  pad: 'same' | 'valid',
) {
  const inPerGroup = x.shape[4] / groups;
  const outPerGroup = filter.shape[4] / groups;
  const parts = Array.from({ length: groups }, (_, g) =>
    tf.conv3d(
      x.slice([0, 0, 0, 0, g * inPerGroup], [-1, -1, -1, -1, inPerGroup]),
      filter.slice([0, 0, 0, 0, g * outPerGroup], [-1, -1, -1, -1, outPerGroup]),
      strides,
      pad,
    ),
  );
  return tf.concat(parts, 4);
}

describe.skipIf(skipNative)(`@ranp/native addon called directly${suffix}`, () => {
  requireNativeAddon();
  let addon: NativeAddon;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    if (!loaded.loaded) throw new Error('unreachable');
    addon = loaded.addon;
  });

  it('reports oneDNN 2.x and at least one thread', () => {
    const info = addon.info();
    expect(info.oneDnnVersion).toMatch(/^2\.\d+\.\d+$/);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('hand-computed 1³ conv: y[c_out] = Σ_c x[c]·w[c, c_out] at every voxel', () => {
    const g = geometry({
      inChannels: 2,
      outChannels: 2,
      inSize: [1, 1, 2],
      outSize: [1, 1, 2],
      kernel: [1, 1, 1],
      padBefore: [0, 0, 0],
      padAfter: [0, 0, 0],
    });
    const x = Float32Array.from([1, 2, 3, 4]); // voxel 0: (1,2), voxel 1: (3,4)
    const w = Float32Array.from([1, 10, 100, 1000]); // [c_in][c_out]
    const y = new Float32Array(4);
    addon.conv3dForward(x, w, y, g);
    expect(Array.from(y)).toEqual([1 + 200, 10 + 2000, 3 + 400, 30 + 4000]);
  });

  it.each([
    { groups: 2, inChannels: 4, outChannels: 6, strides: 1, pad: 'same' as const },
    { groups: 3, inChannels: 3, outChannels: 3, strides: 2, pad: 'same' as const }, // depthwise
    { groups: 2, inChannels: 4, outChannels: 2, strides: 1, pad: 'valid' as const },
  ])(
    'grouped conv (groups $groups, $inChannels→$outChannels, stride $strides, $pad): forward and both gradients',
    (c) => {
      const xShape: [number, number, number, number, number] = [2, 5, 6, 5, c.inChannels];
      const fShape: [number, number, number, number, number] = [
        3,
        3,
        3,
        c.inChannels / c.groups,
        c.outChannels,
      ];
      const x = tf.tensor5d(random(tf.util.sizeFromShape(xShape), 1), xShape);
      const filter = tf.tensor5d(random(tf.util.sizeFromShape(fShape), 2), fShape);
      const yRef = groupedReference(x, filter, c.groups, c.strides, c.pad);
      const r = tf.randomNormal(yRef.shape, 0, 1, 'float32', 3);
      const [dxRef, dfRef] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        groupedReference(a as tf.Tensor5D, b as tf.Tensor5D, c.groups, c.strides, c.pad)
          .mul(r)
          .sum(),
      )([x, filter]);
      const info = tf.backend_util.computeConv3DInfo(
        xShape,
        [3, 3, 3, c.inChannels, c.outChannels],
        c.strides,
        1,
        c.pad,
      );
      const p = info.padInfo;
      const g = geometry({
        batch: 2,
        groups: c.groups,
        inChannels: c.inChannels,
        outChannels: c.outChannels,
        inSize: [5, 6, 5],
        outSize: [info.outDepth, info.outHeight, info.outWidth],
        strides: [c.strides, c.strides, c.strides],
        padBefore: [p.front, p.top, p.left],
        padAfter: [p.back, p.bottom, p.right],
      });
      const n = elements(g);
      const y = new Float32Array(n.output);
      const dx = new Float32Array(n.input);
      const df = new Float32Array(n.filter);
      addon.conv3dForward(x.dataSync() as Float32Array, filter.dataSync() as Float32Array, y, g);
      addon.conv3dBackwardInput(r.dataSync() as Float32Array, filter.dataSync() as Float32Array, dx, g);
      addon.conv3dBackwardFilter(x.dataSync() as Float32Array, r.dataSync() as Float32Array, df, g);
      const err = (a: Float32Array, b: tf.Tensor) =>
        Math.max(...Array.from(a, (v, i) => Math.abs(v - b.dataSync()[i])));
      const errors = { forward: err(y, yRef), input: err(dx, dxRef), filter: err(df, dfRef) };
      console.info(`grouped ${JSON.stringify(c)} max abs error ${JSON.stringify(errors)}`);
      expect(errors.forward).toBeLessThan(1e-4);
      expect(errors.input).toBeLessThan(1e-4);
      expect(errors.filter).toBeLessThan(1e-3);
    },
  );

  it('refuses buffers whose length does not match the geometry', () => {
    const g = geometry();
    const n = elements(g);
    expect(() =>
      addon.conv3dForward(
        new Float32Array(n.input - 1),
        new Float32Array(n.filter),
        new Float32Array(n.output),
        g,
      ),
    ).toThrow(/'x' has \d+ elements, the geometry needs/);
    expect(() =>
      addon.conv3dBackwardFilter(
        new Float32Array(n.input),
        new Float32Array(n.output),
        new Float32Array(n.filter + 1),
        g,
      ),
    ).toThrow(/'dFilter'/);
  });

  it('refuses non-Float32Array buffers and inconsistent or invalid geometry, naming the field', () => {
    const g = geometry();
    const n = elements(g);
    const x = new Float32Array(n.input);
    const w = new Float32Array(n.filter);
    const y = new Float32Array(n.output);
    expect(() => addon.conv3dForward(new Int32Array(n.input) as unknown as Float32Array, w, y, g)).toThrow(
      /'x' must be a Float32Array/,
    );
    expect(() => addon.conv3dForward(x, w, y, geometry({ outSize: [4, 5, 7] }))).toThrow(
      /output width is 7 .* give 6/,
    );
    expect(() => addon.conv3dForward(x, w, y, geometry({ groups: 3 }))).toThrow(/groups \(3\) must divide/);
    expect(() => addon.conv3dForward(x, w, y, geometry({ padBefore: [1, -1, 1] }))).toThrow(/padBefore\[1\]/);
    expect(() =>
      addon.conv3dForward(x, w, y, { ...g, strides: [1, 1] as unknown as [number, number, number] }),
    ).toThrow(/'strides' must be an array of 3/);
  });
});
