import type * as tf from '@tensorflow/tfjs';
import type { StepGradients } from '../nn/backprop.js';

/**
 * What training needs from a net, whatever builds it. engine/nn's models are adapted to this in
 * net-model.ts; tests may use any small model that satisfies it.
 */
export interface TrainableModel {
  /** Every variable by its 'layer.param' key, trainable ones and running statistics alike. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Keys of the variables the optimizer updates. */
  readonly trainableKeys: readonly string[];
  /**
   * NDHWC input → logits (N, D, H, W, classes) or (N, classes). In training mode also returns the
   * new running statistics by variable key, assigned by the caller after the step.
   */
  forward(
    x: tf.Tensor,
    options: { training: boolean; seed: number },
  ): { logits: tf.Tensor; statUpdates: Map<string, tf.Tensor> };
  /**
   * A training-mode forward and backward: objective(logits), its gradients by trainable key, the
   * new running statistics (assigned by the caller after the update) and the peak tensor bytes.
   */
  gradients(
    x: tf.Tensor,
    objective: (logits: tf.Tensor) => tf.Scalar,
    /** checkpoint: activation checkpointing (engine/nn/backprop.ts). */
    options: { seed: number; checkpoint?: boolean },
  ): StepGradients;
}

/** (logits, labels) → scalar loss; labels are int32 (N, D, H, W) voxel labels or (N) classes. */
export type LossFn = (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
