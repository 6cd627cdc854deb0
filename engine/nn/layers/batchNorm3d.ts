import * as tf from '@tensorflow/tfjs';
import type { LayerNodeOf } from '../description.js';
import { defaultStepTemporaries, type ForwardContext, type LayerDef, type Params } from '../layer.js';
import { as5D, channelSum, perChannelAffine } from '../ops.js';
import { affineParams, normFlops, normOutputShape } from './norm-shared.js';

/** PyTorch's default weight of the new batch statistics in the running average. */
export const DEFAULT_BN_MOMENTUM = 0.1;

/**
 * The new running statistics of a training step into ctx.statUpdates, PyTorch-style: a `momentum`
 * weight of the batch mean and of the unbiased batch variance (`variance` is the biased one over
 * `count` values per channel). Shared with the fused kernel's path (engine/nn/batch-norm-fusion.ts).
 */
export function setRunningStatistics(
  node: LayerNodeOf<'batchNorm3d'>,
  params: Params,
  ctx: ForwardContext,
  mean: tf.Tensor,
  variance: tf.Tensor,
  count: number,
): void {
  const momentum = node.attrs.momentum ?? DEFAULT_BN_MOMENTUM;
  const unbiased = count > 1 ? variance.mul(count / (count - 1)) : variance;
  ctx.statUpdates.set(
    `${node.name}.runningMean`,
    params.runningMean.mul(1 - momentum).add(mean.mul(momentum)),
  );
  ctx.statUpdates.set(
    `${node.name}.runningVar`,
    params.runningVar.mul(1 - momentum).add(unbiased.mul(momentum)),
  );
}

/**
 * BatchNorm3d written from plain ops (tfjs's batchNorm has no rank-5 gradient); per-channel sums
 * and affines go through ops.ts's matMul helpers because broadcasting is slow on the cpu backend. Training:
 * normalizes with the batch statistics and reports new running statistics in ctx.statUpdates
 * (`<layer>.runningMean`, `<layer>.runningVar`, PyTorch-style: unbiased variance). Evaluation:
 * uses the running statistics.
 */
export const batchNorm3dLayer: LayerDef<'batchNorm3d'> = {
  kind: 'batchNorm3d',
  channelRole: 'passthrough',
  outputShape: (node, inputs) => normOutputShape(node.name, node.attrs, inputs),
  params: (node) => [
    ...affineParams(node.attrs.channels),
    { name: 'runningMean', shape: [node.attrs.channels], init: 'zeros', trainable: false, outAxis: 0 },
    { name: 'runningVar', shape: [node.attrs.channels], init: 'ones', trainable: false, outAxis: 0 },
  ],
  forward(node, inputs, params, ctx) {
    const { channels, eps } = node.attrs;
    const x = as5D(inputs[0], node.name);
    if (!ctx.training) {
      const scale = tf.rsqrt(params.runningVar.add(eps)).mul(params.gamma);
      return perChannelAffine(x, scale, params.beta.sub(params.runningMean.mul(scale)));
    }
    const count = x.size / channels;
    const mean = channelSum(x).div(count);
    const centered = perChannelAffine(x, null, mean.neg());
    const squared = centered.square();
    const variance = channelSum(squared).div(count);
    // No tape records the memory-lean pass (it sets saveForBackward), so it frees this volume now.
    if (ctx.saveForBackward) squared.dispose();
    setRunningStatistics(node, params, ctx, mean, variance, count);
    const invStd = tf.rsqrt(variance.add(eps));
    ctx.saveForBackward?.({ mean, invStd });
    return perChannelAffine(centered, invStd.mul(params.gamma), params.beta);
  },
  gradient: {
    // The batch statistics come saved; the output is not needed (so a following ReLU's output is all that stays).
    reads: { inputs: true, output: false },
    backward(node, { inputs, params, saved, dy }) {
      const x = inputs[0] as tf.Tensor;
      const { mean, invStd } = saved;
      const count = x.size / node.attrs.channels;
      // x̂ = (x − μ)·σ⁻¹, y = γ·x̂ + β:  dx = γσ⁻¹·(dy − Σdy/m − x̂·Σ(dy·x̂)/m), dγ = Σ(dy·x̂), dβ = Σdy.
      // With xc = x − μ: dx = a·dy + b·xc + c, a = γσ⁻¹, b = −a·σ⁻¹·Σ(dy·x̂)/m, c = −a·Σdy/m.
      // On [rows, C] views; volume-sized temporaries are freed as soon as used (no tape holds
      // them here), so at most three are alive at once.
      const channels = node.attrs.channels;
      const row = (t: tf.Tensor) => t.reshape([1, channels]);
      const dy2 = dy.reshape([count, channels]);
      const centered = tf.sub(x.reshape([count, channels]), row(mean));
      const sumDy = channelSum(dy2);
      const product = tf.mul(dy2, centered);
      const sumDyXhat = channelSum(product).mul(invStd);
      product.dispose();
      const a = params.gamma.mul(invStd);
      const b = a.mul(invStd).mul(sumDyXhat).div(-count);
      const c = a.mul(sumDy).div(-count);
      const fromDy = tf.mul(dy2, row(a));
      const fromX = tf.mul(centered, row(b));
      centered.dispose();
      const sum = tf.add(fromDy, fromX);
      fromDy.dispose();
      fromX.dispose();
      const dx = tf.add(sum, row(c)).reshape(x.shape);
      sum.dispose();
      return { inputs: [dx], params: { gamma: sumDyXhat, beta: sumDy } };
    },
  },
  flops: (_node, inputs) => normFlops(inputs),
  countsMemory: true,
  // The composed ops (tf.profile, 16³): the moments, centred and normalized volumes and their
  // rank-2 views live until the tidy ends. The fused kernel (batch-norm-fusion.ts) holds none;
  // engine/train/step-memory.ts counts that path itself.
  stepTemporaries(_node, inputs, output) {
    const largest = defaultStepTemporaries(inputs, output).forward;
    return { forward: 8 * largest, backward: 6 * largest };
  },
};
