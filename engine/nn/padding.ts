import type { Padding3, PaddingSpec, Triple } from './description.js';

/** TensorFlow 'same' padding for one axis: [before, after] (docs/method.md, I3D). */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const total = size % stride === 0 ? Math.max(kernel - stride, 0) : Math.max(kernel - (size % stride), 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Explicit [before, after] padding per axis for an input of spatial size `size`. */
export function resolvePadding(spec: PaddingSpec, size: Triple, kernel: Triple, stride: Triple): Padding3 {
  if (spec !== 'same') return spec;
  return [
    samePadding(size[0], kernel[0], stride[0]),
    samePadding(size[1], kernel[1], stride[1]),
    samePadding(size[2], kernel[2], stride[2]),
  ];
}

export function isZeroPadding(padding: Padding3): boolean {
  return padding.every(([before, after]) => before === 0 && after === 0);
}

/** Output size of a sliding window (conv or pool) with floor rounding, as PyTorch and TF compute it. */
export function windowOutputSize(size: Triple, kernel: Triple, stride: Triple, padding: Padding3): Triple {
  return [0, 1, 2].map((axis) => {
    const padded = size[axis] + padding[axis][0] + padding[axis][1];
    return Math.floor((padded - kernel[axis]) / stride[axis]) + 1;
  }) as Triple;
}

/** Kernel shrunk per axis to the padded input's extent (PoolAttrs.clampKernel). */
export function clampKernel(size: Triple, kernel: Triple, padding: Padding3): Triple {
  return kernel.map((k, axis) => Math.min(k, size[axis] + padding[axis][0] + padding[axis][1])) as Triple;
}

export function tripleVolume(t: Triple): number {
  return t[0] * t[1] * t[2];
}

export function formatTriple(t: Triple): string {
  return t.join('×');
}
