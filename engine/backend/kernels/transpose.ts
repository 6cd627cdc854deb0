import type * as tf from '@tensorflow/tfjs';
import { cpuBackendOf, kernelInput, type NativeKernel } from './native-kernel.js';
import { allocOverwritten, asTypedBackend, copyRun, numericValues, type NumericValues } from './typed-values.js';

/**
 * Transpose {perm} as one strided pass over the output. Output axes that stay neighbours in the
 * input are merged first, so e.g. [a,b,c,d]→[c,d,a,b] is a 2D transpose of runs. tfjs's cpu
 * kernel converts every element's index to coordinates and back through arrays.
 */
export const transpose: NativeKernel = {
  kernelName: 'Transpose',
  create: (_addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'Transpose', 'x');
    const values = backend && numericValues(backend, x);
    if (!backend || !values || x.shape.length === 0) return fallback(args);
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    const rank = x.shape.length;
    if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((axis, i) => axis !== i))
      throw new Error(`Transpose (native): perm [${perm.join(',')}] is not a permutation of ${rank} axes`);
    const outShape = perm.map((axis) => x.shape[axis]);
    const inStrides = new Array<number>(rank);
    for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
      inStrides[axis] = stride;
      stride *= x.shape[axis];
    }
    // Merged output axes, outermost first: extent and input stride.
    const extent: number[] = [];
    const stride: number[] = [];
    perm.forEach((axis, i) => {
      const last = extent.length - 1;
      if (i > 0 && perm[i - 1] === axis - 1) {
        extent[last] *= x.shape[axis];
        stride[last] = inStrides[axis];
      } else {
        extent.push(x.shape[axis]);
        stride.push(inStrides[axis]);
      }
    });
    const out = allocOverwritten(values, values.length);
    if (values.length > 0) stridedGather(values, out, extent, stride);
    return asTypedBackend(backend).makeTensorInfo(outShape, x.dtype, out);
  },
};

/** out (row-major over `extent`) ← values at Σ index·stride; the innermost axis is the loop. */
function stridedGather(values: NumericValues, out: NumericValues, extent: number[], stride: number[]): void {
  const inner = extent.length - 1;
  const run = extent[inner];
  const runStride = stride[inner];
  const index = new Array<number>(inner).fill(0);
  let from = 0;
  for (let to = 0; to < out.length; to += run) {
    if (runStride === 1) copyRun(values, from, out, to, run);
    else for (let i = 0, j = from; i < run; i++, j += runStride) out[to + i] = values[j];
    for (let axis = inner - 1; axis >= 0; axis--) {
      from += stride[axis];
      if (++index[axis] < extent[axis]) break;
      from -= extent[axis] * stride[axis];
      index[axis] = 0;
    }
  }
}
