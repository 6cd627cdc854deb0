/**
 * Fused training batch norm (batch statistics per channel, optionally the ReLU after it): three passes
 * over the volume forward and two backward, instead of the 5 and 8 of batchNorm3d.ts's composed ops.
 * Kernels tfjs does not have; the native cpu path registers them (kernels/batch-norm-training*.ts)
 * and engine/nn/batch-norm-fusion.ts uses them in the memory-lean step; any other backend runs the
 * composed ops. The fused kernels round as the composed ops do, operation by operation (channel sums
 * in double, rounded once, as the native batchMatMul sums them up to 2²³ values), so on the native
 * kernels a fused training run's losses equal the composed run's (native/src/batchnorm.cc).
 *
 * Forward {x: [..., C], gamma: [C], beta: [C]} → [y (x's shape), mean, variance (biased), invStd].
 * Backward {x, dy, mean, invStd, gamma, beta} → [dx, dgamma, dbeta]; with `relu`, dy is ∂loss/∂relu(y)
 * and the mask is the forward's.
 */
export const BATCH_NORM_TRAINING = 'RanpBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'RanpBatchNormTrainingGrad';

export interface BatchNormTrainingAttrs {
  eps: number;
  /** The ReLU that follows is applied to y (and its mask to dy in the backward). */
  relu: boolean;
}

export type BatchNormTrainingGradAttrs = Pick<BatchNormTrainingAttrs, 'relu'>;
