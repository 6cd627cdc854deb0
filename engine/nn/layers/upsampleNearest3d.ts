import * as tf from '@tensorflow/tfjs';
import type { FeatureShape, Triple, UpsampleAttrs } from '../description.js';
import type { LayerDef } from '../layer.js';
import { runFusedKernel } from '../../backend/fused-kernel.js';
import {
  UPSAMPLE_NEAREST_3D_GRAD,
  type UpsampleNearest3dGradAttrs,
} from '../../backend/upsample-nearest-grad.js';
import { LayerError } from '../errors.js';
import { as5D } from '../ops.js';
import { expectInputCount, numel } from '../window.js';

function targetSize(layer: string, attrs: UpsampleAttrs, inputs: FeatureShape[]): Triple {
  const source = inputs[0]?.spatial;
  if (attrs.mode === 'matchSecondInput') {
    expectInputCount(layer, inputs, 2);
    const target = inputs[1].spatial;
    if (!source || !target) throw new LayerError(layer, 'both inputs must be spatial (N,D,H,W,C)');
    return target;
  }
  expectInputCount(layer, inputs, 1);
  if (!source || !attrs.scale)
    throw new LayerError(layer, "mode 'scale' needs a spatial input and attrs.scale");
  return source.map((n, axis) => n * (attrs.scale as Triple)[axis]) as Triple;
}

/** PyTorch 'nearest' source index of each output position: floor(i · in / out). */
function nearestIndices(inSize: number, outSize: number): tf.Tensor1D {
  return tf.tensor1d(
    Array.from({ length: outSize }, (_, i) => Math.min(Math.floor((i * inSize) / outSize), inSize - 1)),
    'int32',
  );
}

/** Gathers along axis 1 of a rank-3 view (rank-5 ops are slow in tfjs). */
function resizeAxis(x: tf.Tensor, outer: number, inSize: number, inner: number, outSize: number): tf.Tensor {
  if (inSize === outSize) return x;
  return tf.gather(x.reshape([outer, inSize, inner]), nearestIndices(inSize, outSize), 1);
}

/** x (N, D, H, W, C) resized by nearest neighbour to `size`. */
function resizeNearest(x: tf.Tensor5D, [d2, h2, w2]: Triple): tf.Tensor5D {
  const [n, d, h, w, c] = x.shape;
  const depth = resizeAxis(x, n, d, h * w * c, d2);
  const height = resizeAxis(depth, n * d2, h, w * c, h2);
  const width = resizeAxis(height, n * d2 * h2, w, c, w2);
  return width.reshape([n, d2, h2, w2, c]);
}

function blockSums(dy: tf.Tensor, factors: Triple): tf.Tensor {
  const attrs: UpsampleNearest3dGradAttrs = { factors };
  const fused = runFusedKernel(UPSAMPLE_NEAREST_3D_GRAD, { dy }, attrs);
  if (fused) return fused[0];
  return tf.avgPool3d(dy as tf.Tensor5D, factors, factors, 'valid').mul(factors[0] * factors[1] * factors[2]);
}

/**
 * Nearest-neighbour upsampling. 'matchSecondInput' (U-Net) resizes to the spatial size of the
 * second input (the skip); channels are those of the first input (channel role passthrough of input 0).
 */
export const upsampleNearest3dLayer: LayerDef<'upsampleNearest3d'> = {
  kind: 'upsampleNearest3d',
  channelRole: 'passthrough',
  outputShape(node, inputs) {
    return { channels: inputs[0].channels, spatial: targetSize(node.name, node.attrs, inputs) };
  },
  params: () => [],
  forward(node, inputs) {
    const x = as5D(inputs[0], node.name);
    const shapes: FeatureShape[] = inputs.map((t) => ({
      channels: t.shape[4] ?? 0,
      spatial: [t.shape[1], t.shape[2], t.shape[3]] as Triple,
    }));
    return resizeNearest(x, targetSize(node.name, node.attrs, shapes));
  },
  gradient: {
    // The gradient depends on the shapes only; the second input gives just the target size.
    reads: { inputs: false, output: false },
    backward(_node, { dy, inputShapes }) {
      const [, d, h, w] = inputShapes[0];
      const [, d2, h2, w2] = dy.shape;
      const factors = [d2 / d, h2 / h, w2 / w] as Triple;
      const dx = factors.every(Number.isInteger)
        ? // Each input voxel fed a k₁×k₂×k₃ block: the block sums (one native pass where registered).
          blockSums(dy, factors)
        : // gather's gradient reads the indices, not x's values: a zero stand-in for x suffices.
          tf.grad((x: tf.Tensor) => resizeNearest(x as tf.Tensor5D, [d2, h2, w2]))(
            tf.zeros(inputShapes[0]),
            dy,
          );
      return { inputs: inputShapes.map((_, k) => (k === 0 ? dx : null)), params: {} };
    },
  },
  flops: () => 0,
  // Functional interpolation in the reference nets: not a layer module, so not counted.
  countsMemory: false,
  // resizeNearest's rank-3 view and, per resized axis, the gathered volume and its view (tf.profile
  // counts views as tensors): in + 2·v₁ + 2·v₂ + out for all three axes. The backward's block sums
  // hold at most one input-sized volume beside dx (the composed path's average pool).
  stepTemporaries(_node, inputs, output) {
    const source = inputs[0];
    let volume = numel(source);
    let temporaries = volume;
    output.spatial!.forEach((n, axis) => {
      if (n === source.spatial![axis]) return;
      volume = (volume / source.spatial![axis]) * n;
      temporaries += 2 * volume;
    });
    return { forward: temporaries - volume, backward: numel(source) };
  },
};
