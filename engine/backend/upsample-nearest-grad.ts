/**
 * The gradient of nearest upsampling by integer factors [kd, kh, kw] as one kernel: dy
 * (N, D·kd, H·kh, W·kw, C) → dx (N, D, H, W, C), each dx value the sum of the dy block its input
 * voxel fed. A kernel tfjs does not have; the native cpu path registers it
 * (kernels/upsample-nearest3d-grad.ts) and engine/nn/layers/upsampleNearest3d.ts uses it where
 * registered, else sums the blocks with AvgPool3D × k₁k₂k₃. The sums run in float64 in the window
 * order of tfjs's AvgPool3D and round once, so power-of-two factors give AvgPool3D's bits exactly.
 */
export const UPSAMPLE_NEAREST_3D_GRAD = 'RanpUpsampleNearest3DGrad';

export interface UpsampleNearest3dGradAttrs {
  factors: [number, number, number];
}
