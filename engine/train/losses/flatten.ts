import * as tf from '@tensorflow/tfjs';

/** The label value losses ignore (empty ShapeNet voxels, padding). */
export const IGNORE_LABEL = 255;

export interface FlatTargets {
  /** [M, C] logits, one row per voxel (or per clip). */
  logits: tf.Tensor2D;
  /** [M] int32 labels with ignored entries replaced by 0. */
  labels: tf.Tensor1D;
  /** [M] float32: 1 where the label counts, 0 where it is ignored. */
  valid: tf.Tensor1D;
}

/**
 * Label tensors already checked, with the `classes/ignoreLabel` they were checked against. Tensors are
 * immutable, so one check per tensor suffices, and it matters on WebGPU in Node: a second read
 * after the labels were uploaded to the GPU needs a synchronous readback that Dawn cannot do
 * (the BraTS loss flattens the same labels for cross-entropy and for Dice).
 */
const checkedLabels = new WeakMap<tf.Tensor, string>();

/**
 * Checks logits (N, …, C) against labels (N, …): matching shapes, int32 labels that are class
 * indices in [0, C) or the ignore label. Each label tensor is read once (checkedLabels).
 */
export function checkTargets(
  loss: string,
  logits: tf.Tensor,
  labels: tf.Tensor,
  ignoreLabel = IGNORE_LABEL,
): void {
  const classes = logits.shape[logits.rank - 1];
  const expected = logits.shape.slice(0, -1);
  if (labels.rank !== expected.length || labels.shape.some((d, i) => d !== expected[i])) {
    throw new Error(
      `${loss}: labels of shape [${labels.shape.join(', ')}] do not match logits [${logits.shape.join(', ')}] (expected [${expected.join(', ')}])`,
    );
  }
  if (labels.dtype !== 'int32') throw new Error(`${loss}: labels must be int32, got ${labels.dtype}`);
  const checkedAgainst = `${classes}/${ignoreLabel}`;
  if (checkedLabels.get(labels) === checkedAgainst) return;
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== ignoreLabel && (v < 0 || v >= classes)) {
      throw new Error(
        `${loss}: label ${v} at index ${i} is outside [0, ${classes}) and not the ignore label ${ignoreLabel}`,
      );
    }
  }
  checkedLabels.set(labels, checkedAgainst);
}

/** Checks (checkTargets) and flattens logits and labels into rows (call inside tf.tidy). */
export function flattenTargets(
  loss: string,
  logits: tf.Tensor,
  labels: tf.Tensor,
  ignoreLabel = IGNORE_LABEL,
): FlatTargets {
  checkTargets(loss, logits, labels, ignoreLabel);
  const classes = logits.shape[logits.rank - 1];
  const flatLabels = labels.reshape([-1]) as tf.Tensor1D;
  const validBool = flatLabels.notEqual(ignoreLabel);
  return {
    logits: logits.reshape([-1, classes]) as tf.Tensor2D,
    labels: tf.where(validBool, flatLabels, tf.zerosLike(flatLabels)) as tf.Tensor1D,
    valid: validBool.cast('float32') as tf.Tensor1D,
  };
}
