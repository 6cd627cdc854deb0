import * as tf from '@tensorflow/tfjs';

/**
 * How a binary op's operands map onto its output for the native element-wise kernel: operand
 * value index = ⌊i / run⌋ mod size for flat output index i.
 */
export interface BinaryBroadcast {
  outShape: number[];
  aRun: number;
  bRun: number;
}

/**
 * The native layout of `a op b`, or undefined when the addon cannot run it: each operand, padded
 * with leading 1s to the output rank, must equal the output on one contiguous block of axes and be
 * 1 elsewhere (same shape, scalar, trailing-axes and per-row broadcasts), and one operand must be
 * full-size. Others (e.g. [M,1] with [1,N]) and empty outputs go to the JS kernel.
 * Throws tfjs's own error for shapes that do not broadcast.
 */
export function binaryBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
): BinaryBroadcast | undefined {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(aShape as number[], bShape as number[]);
  const outSize = tf.util.sizeFromShape(outShape);
  if (outSize === 0) return undefined;
  const aRun = operandRun(aShape, outShape);
  const bRun = operandRun(bShape, outShape);
  if (aRun === undefined || bRun === undefined) return undefined;
  const aFull = tf.util.sizeFromShape(aShape as number[]) === outSize;
  const bFull = tf.util.sizeFromShape(bShape as number[]) === outSize;
  return aFull || bFull ? { outShape, aRun, bRun } : undefined;
}

/** Outputs each value of the operand covers (product of the output dims after its block), or undefined when not one block. */
function operandRun(shape: readonly number[], outShape: readonly number[]): number | undefined {
  const padded = [...new Array<number>(outShape.length - shape.length).fill(1), ...shape];
  const kept = padded.flatMap((dim, axis) => (dim === 1 ? [] : [axis]));
  if (kept.length === 0) return 1;
  const first = kept[0];
  const last = kept[kept.length - 1];
  for (let axis = first; axis <= last; axis++) if (padded[axis] !== outShape[axis]) return undefined;
  return tf.util.sizeFromShape(outShape.slice(last + 1));
}
