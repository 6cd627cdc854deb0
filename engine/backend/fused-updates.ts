/**
 * Fused optimizer updates: one pass over a weight, its gradient and its optimizer slots instead of
 * 5–9 separate element-wise ops, each allocating a weight-sized tensor. They are kernels tfjs does
 * not have; a backend that registers them (the native cpu path) runs them (runFusedKernel), any other
 * falls back to the optimizer's composed tf ops. Results are bit-identical to those ops (float32 rounding after
 * every operation, float32 scalars), so which path ran never changes a trained net.
 */
export const SGD_UPDATE = 'RanpSgdUpdate';
export const ADAM_UPDATE = 'RanpAdamUpdate';

/** torch.optim.SGD; inputs {variable, grad, buffer?} (buffer absent on the first step) → [variable, buffer?]. */
export interface SgdUpdateAttrs {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * torch.optim.Adam; inputs {variable, grad, m?, v?} (absent = zeros) → [variable, m, v]. `stepSize`
 * is lr / (1 − β1ᵗ) and `secondCorrection` √(1 − β2ᵗ), as the composed update uses them.
 */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  stepSize: number;
  secondCorrection: number;
}
