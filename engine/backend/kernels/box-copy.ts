import type { NativeAddon } from '../native-addon.js';
import { copyRun, type NumericValues } from './typed-values.js';

/** A row-major array with its shape, and the corner of the box copied from or to it. */
export interface BoxSide {
  values: NumericValues;
  shape: readonly number[];
  begin: readonly number[];
}

/**
 * Copies the box of extent `size` at src.begin to dst.begin (same rank). Axes where the box
 * spans the whole extent of both arrays are merged into their outer neighbour, so the inner
 * loop copies the longest contiguous runs (a concat/split along the last axis of
 * [1,16,16,16,192] becomes 4096 runs of 64, not 786K single elements as in tfjs's Slice).
 * With `addon`, float32 boxes of many runs are copied natively (one call instead of one per run,
 * which for the short channel runs of pruned nets cost more than the copying).
 */
export function copyBox(src: BoxSide, dst: BoxSide, size: readonly number[], addon?: NativeAddon): void {
  const rank = size.length;
  if (
    src.shape.length !== rank ||
    dst.shape.length !== rank ||
    src.begin.length !== rank ||
    dst.begin.length !== rank
  )
    throw new Error(
      `copyBox: rank mismatch (box ${rank}, src shape ${src.shape.length}, dst shape ${dst.shape.length})`,
    );
  for (const n of size) if (n === 0) return;
  // Merged axes, innermost first: extent of the box, and the strides of src and dst.
  const extent: number[] = [];
  const srcStride: number[] = [];
  const dstStride: number[] = [];
  let srcOffset = 0;
  let dstOffset = 0;
  let srcStep = 1;
  let dstStep = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    srcOffset += src.begin[axis] * srcStep;
    dstOffset += dst.begin[axis] * dstStep;
    const last = extent.length - 1;
    const innerIsWhole =
      last >= 0 && extent[last] * srcStride[last] === srcStep && extent[last] * dstStride[last] === dstStep;
    if (innerIsWhole) extent[last] *= size[axis];
    else {
      extent.push(size[axis]);
      srcStride.push(srcStep);
      dstStride.push(dstStep);
    }
    srcStep *= src.shape[axis];
    dstStep *= dst.shape[axis];
  }
  // Merging only keeps unit strides innermost, so extent[0] is a contiguous run in both.
  const run = extent[0];
  const outer = extent.length;
  if (addon && src.values instanceof Float32Array && dst.values instanceof Float32Array && outer > 1) {
    addon.copyStrided(src.values, dst.values, srcOffset, dstOffset, extent, srcStride, dstStride);
    return;
  }
  const index = new Array<number>(outer).fill(0);
  for (;;) {
    copyRun(src.values, srcOffset, dst.values, dstOffset, run);
    let axis = 1;
    for (; axis < outer; axis++) {
      srcOffset += srcStride[axis];
      dstOffset += dstStride[axis];
      if (++index[axis] < extent[axis]) break;
      srcOffset -= extent[axis] * srcStride[axis];
      dstOffset -= extent[axis] * dstStride[axis];
      index[axis] = 0;
    }
    if (axis >= outer) return;
  }
}
