import * as tf from '@tensorflow/tfjs';
import { cpuBackendOf, kernelInput, type NativeKernel } from './native-kernel.js';
import { allocOverwritten, asTypedBackend, copyRun, numericValues } from './typed-values.js';

/**
 * GatherV2 {axis, batchDims: 0} as one run copy per (outer index, gathered index): x viewed as
 * [outer, dim, inner] gives out[o, i, :] = x[o, indices[i], :]. Nearest upsampling is such a
 * gather (engine/nn/layers/upsampleNearest3d.ts); tfjs converts every element's index through
 * coordinate arrays. Float32 runs are copied by the addon in one call. batchDims > 0 and out-of-range indices (the JS kernel throws) fall back.
 */
export const gatherV2: NativeKernel = {
  kernelName: 'GatherV2',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'GatherV2', 'x');
    const indices = kernelInput(args, 'GatherV2', 'indices');
    const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
    const values = backend && numericValues(backend, x);
    const ids = backend && indices.dtype === 'int32' ? numericValues(backend, indices) : undefined;
    if (!backend || !values || !(ids instanceof Int32Array) || (batchDims ?? 0) !== 0) return fallback(args);
    const gatherAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    const dim = x.shape[gatherAxis];
    for (const id of ids) if (id < 0 || id >= dim) return fallback(args);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, gatherAxis));
    const inner = tf.util.sizeFromShape(x.shape.slice(gatherAxis + 1));
    const outShape = [...x.shape.slice(0, gatherAxis), ...indices.shape, ...x.shape.slice(gatherAxis + 1)];
    const out = allocOverwritten(values, outer * ids.length * inner);
    if (values instanceof Float32Array && out instanceof Float32Array && out.length > 0) {
      addon.gatherRuns(values, out, outer, dim, inner, ids);
      return asTypedBackend(backend).makeTensorInfo(outShape, x.dtype, out);
    }
    let to = 0;
    for (let o = 0; o < outer; o++) {
      const rowBase = o * dim * inner;
      for (const id of ids) {
        copyRun(values, rowBase + id * inner, out, to, inner);
        to += inner;
      }
    }
    return asTypedBackend(backend).makeTensorInfo(outShape, x.dtype, out);
  },
};
