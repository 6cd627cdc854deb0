import * as tf from '@tensorflow/tfjs';
import type { Conv3dAttrs, Padding3, Triple } from '../description.js';
import { defaultStepTemporaries, type LayerDef } from '../layer.js';
import { convBiasParams } from './conv-bias.js';
import { LayerError } from '../errors.js';
import { as5D, channelSum, conv3dFilterGradient, cropSpatial, padSpatial, perChannelAffine } from '../ops.js';
import { recomputeGradients } from '../recompute-gradients.js';
import { tripleVolume } from '../padding.js';
import { expectChannels, numel, resolveWindow, spatialInput } from '../window.js';

function checkGroups(layer: string, attrs: Conv3dAttrs): void {
  const { groups, inChannels, outChannels } = attrs;
  if (!Number.isInteger(groups) || groups < 1 || inChannels % groups !== 0 || outChannels % groups !== 0)
    throw new LayerError(
      layer,
      `groups ${groups} must divide inChannels ${inChannels} and outChannels ${outChannels}`,
    );
}

/**
 * Depth positions offset, offset + s, … (outD of them) of an [N, D, H·W·C] view. For s > 1 the
 * depth axis is zero-padded to a multiple of s and viewed as [N, D/s, s, H·W·C], so the taps are
 * one contiguous slice (tfjs's stridedSlice has no gradient and its gather is slow on the cpu).
 */
function depthTaps(flat: tf.Tensor3D, offset: number, outD: number, stride: number): tf.Tensor3D {
  if (stride === 1) return flat.slice([0, offset, 0], [-1, outD, -1]);
  const [n, d, rest] = flat.shape;
  const first = Math.floor(offset / stride);
  const phase = offset % stride;
  const blocks = Math.max(Math.ceil(d / stride), first + outD);
  const padded =
    blocks * stride === d
      ? flat
      : tf.pad(flat, [
          [0, 0],
          [0, blocks * stride - d],
          [0, 0],
        ]);
  return padded
    .reshape([n, blocks, stride, rest])
    .slice([0, first, phase, 0], [n, outD, 1, rest])
    .reshape([n, outD, rest]);
}

/**
 * Depthwise conv3d (groups = channels): Σ over kernel depth offsets of a 2D depthwise conv on the
 * [N·D', H, W, C] depth slice. tfjs has no grouped conv3d; this keeps every op at rank ≤ 4.
 * filter: [kd, kh, kw, 1, C].
 */
export function depthwiseConv3d(
  x: tf.Tensor5D,
  filter: tf.Tensor,
  stride: [number, number, number],
): tf.Tensor5D {
  const [n, d, h, w, c] = x.shape;
  const [kd, kh, kw] = filter.shape;
  const outD = Math.floor((d - kd) / stride[0]) + 1;
  const flat = x.reshape([n, d, h * w * c]) as tf.Tensor3D;
  const perDepthOffset = tf.split(filter.reshape([kd, kh, kw, c, 1]), kd, 0).map((kernel, offset) => {
    const depthSlice = depthTaps(flat, offset, outD, stride[0]);
    return tf.depthwiseConv2d(
      depthSlice.reshape([n * outD, h, w, c]) as tf.Tensor4D,
      kernel.reshape([kh, kw, c, 1]) as tf.Tensor4D,
      [stride[1], stride[2]],
      'valid',
    );
  });
  const sum = perDepthOffset.length === 1 ? perDepthOffset[0] : tf.addN(perDepthOffset);
  const [, outH, outW] = sum.shape;
  return sum.reshape([n, outD, outH, outW, c]);
}

/** Grouped conv3d: split channels, convolve each group, concatenate. filter: [kd, kh, kw, C_in/groups, C_out]. */
function groupedConv3d(
  x: tf.Tensor5D,
  filter: tf.Tensor5D,
  stride: [number, number, number],
  groups: number,
): tf.Tensor5D {
  const inputs = tf.split(x, groups, 4) as tf.Tensor5D[];
  const filters = tf.split(filter, groups, 4) as tf.Tensor5D[];
  return tf.concat(
    inputs.map((part, g) => tf.conv3d(part, filters[g], stride, 'valid')),
    4,
  ) as tf.Tensor5D;
}

/** Stride 1 with (k − 1)/2 zeros on both sides of every axis: what tfjs's 'same' pads for odd k. */
function isSameAtStrideOne(kernel: readonly number[], stride: readonly number[], padding: Padding3): boolean {
  return padding.every(
    ([before, after], axis) => stride[axis] === 1 && before === after && 2 * before === kernel[axis] - 1,
  );
}

export const conv3dLayer: LayerDef<'conv3d'> = {
  kind: 'conv3d',
  channelRole: 'neurons',
  outputShape(node, inputs) {
    const spatial = spatialInput(node.name, inputs);
    expectChannels(node.name, inputs[0], node.attrs.inChannels);
    checkGroups(node.name, node.attrs);
    return {
      channels: node.attrs.outChannels,
      spatial: resolveWindow(node.name, spatial, node.attrs).output,
    };
  },
  params(node) {
    const { kernel, inChannels, outChannels, groups, bias } = node.attrs;
    const kvol = tripleVolume(kernel);
    const depthwise = groups > 1 && groups === inChannels && groups === outChannels;
    return [
      {
        name: 'weight',
        shape: [...kernel, inChannels / groups, outChannels],
        init: 'xavierNormal',
        trainable: true,
        outAxis: 4,
        // A depthwise filter has no input-channel axis: its neuron j reads input channel j.
        ...(depthwise ? {} : { inAxis: 3 }),
        fan: { in: (inChannels / groups) * kvol, out: outChannels * kvol },
      },
      ...convBiasParams(bias, outChannels),
    ];
  },
  forward(node, inputs, params) {
    const { inChannels, outChannels, groups, bias } = node.attrs;
    const x = as5D(inputs[0], node.name);
    const window = resolveWindow(node.name, [x.shape[1], x.shape[2], x.shape[3]], node.attrs);
    const filter = params.weight as tf.Tensor5D;
    let y: tf.Tensor5D;
    if (groups === 1 && isSameAtStrideOne(node.attrs.kernel, window.stride, window.padding)) {
      // tfjs's own 'same' padding is identical here and spares the explicit pad and its gradient (a slice).
      y = tf.conv3d(x, filter, 1, 'same');
      return bias ? perChannelAffine(y, null, params.bias) : y;
    }
    const padded = padSpatial(x, window.padding);
    if (groups === 1) y = tf.conv3d(padded, filter, window.stride, 'valid');
    else if (groups === inChannels && groups === outChannels)
      y = depthwiseConv3d(padded, filter, window.stride);
    else y = groupedConv3d(padded, filter, window.stride, groups);
    return bias ? perChannelAffine(y, null, params.bias) : y;
  },
  gradient: {
    reads: { inputs: true, output: false },
    backward(node, args) {
      const { groups, bias } = node.attrs;
      if (groups !== 1)
        // Grouped and depthwise convs are compositions of 2D/3D convs: their tfjs gradients suffice.
        return recomputeGradients(
          (inputs, params) =>
            conv3dLayer.forward(node, inputs, params, {
              training: true,
              seed: args.seed,
              statUpdates: new Map(),
            }),
          args,
        );
      const x = as5D(args.inputs[0] as tf.Tensor, node.name);
      const dy = args.dy as tf.Tensor5D;
      const filter = args.params.weight as tf.Tensor5D;
      const window = resolveWindow(node.name, [x.shape[1], x.shape[2], x.shape[3]], node.attrs);
      const params: Record<string, tf.Tensor> = {};
      if (bias) params.bias = channelSum(dy);
      let dx: tf.Tensor | null = null;
      if (isSameAtStrideOne(node.attrs.kernel, window.stride, window.padding)) {
        params.weight = conv3dFilterGradient(x, dy, filter.shape, 1, 'same');
        if (args.wantInput[0]) dx = tf.conv3dTranspose(dy, filter, x.shape, 1, 'same');
      } else {
        const padded = padSpatial(x, window.padding);
        params.weight = conv3dFilterGradient(padded, dy, filter.shape, window.stride, 'valid');
        if (args.wantInput[0])
          dx = cropSpatial(
            tf.conv3dTranspose(dy, filter, padded.shape, window.stride, 'valid'),
            window.padding,
          );
      }
      return { inputs: [dx], params };
    },
  },
  flops(node, _inputs, output) {
    const { kernel, inChannels, groups, bias } = node.attrs;
    return numel(output) * ((inChannels / groups) * tripleVolume(kernel) + (bias ? 1 : 0));
  },
  countsMemory: true,
  // A padded conv holds its padded input (and the kernel's own copy of it); grouped and depthwise
  // convs run as one op per group or depth offset, all alive until concatenated or summed, and
  // their backward recomputes that forward under tf.grads.
  stepTemporaries(node, inputs, output) {
    const { groups, inChannels, outChannels, kernel } = node.attrs;
    const base = defaultStepTemporaries(inputs, output);
    const spatial = spatialInput(node.name, inputs);
    const window = resolveWindow(node.name, spatial, node.attrs);
    if (groups === 1 && isSameAtStrideOne(kernel, window.stride, window.padding)) {
      // One kernel each way, writing only its results (tf.profile, 16³); a bias adds its rank-2
      // view, sum and reshape of the output forward, and channelSum's view of dy backward.
      const out = numel(output);
      return node.attrs.bias ? { forward: 3 * out, backward: out } : { forward: 0, backward: 0 };
    }
    const padded =
      inChannels *
      tripleVolume(spatial.map((n, axis) => n + window.padding[axis][0] + window.padding[axis][1]) as Triple);
    if (groups === 1) {
      // padSpatial's views and two pads hold input + 4·padded beside the kernel (tf.profile, i3d's
      // stem); the backward pads again, and cropSpatial's views of the padded dx add 3·padded.
      const padding = numel(inputs[0]) + 4 * padded;
      const out = node.attrs.bias ? numel(output) : 0;
      return { forward: padding + 3 * out, backward: padding + 3 * padded + out };
    }
    const copies = groups === inChannels && groups === outChannels ? 2 * kernel[0] : 2;
    return { forward: copies * base.forward + 2 * padded, backward: copies * base.backward + 2 * padded };
  },
};
