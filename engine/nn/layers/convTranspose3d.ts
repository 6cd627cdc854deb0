import * as tf from '@tensorflow/tfjs';
import type { ConvTranspose3dAttrs, Padding3, Triple } from '../description.js';
import type { LayerDef } from '../layer.js';
import { convBiasParams } from './conv-bias.js';
import { LayerError } from '../errors.js';
import { as5D, channelSum, conv3dFilterGradient, cropSpatial, padSpatial, perChannelAffine } from '../ops.js';
import { formatTriple, samePadding, tripleVolume } from '../padding.js';
import { expectChannels, numel, spatialInput } from '../window.js';

/**
 * What the transposed conv crops from its full (n−1)·s + k output, per axis. 'same' is TF's:
 * the output is n·s, i.e. the padding a forward 'same' conv would use on an n·s input.
 */
export function transposeCrop(input: Triple, attrs: ConvTranspose3dAttrs): Padding3 {
  if (attrs.padding !== 'same') return attrs.padding;
  return [0, 1, 2].map((axis) =>
    samePadding(input[axis] * attrs.stride[axis], attrs.kernel[axis], attrs.stride[axis]),
  ) as Padding3;
}

function fullSize(input: Triple, attrs: ConvTranspose3dAttrs): Triple {
  return input.map((n, axis) => (n - 1) * attrs.stride[axis] + attrs.kernel[axis]) as Triple;
}

/**
 * Gradients of the 'valid' transposed conv y = conv3dTranspose(x, filter): it is the
 * input-gradient of conv3d(·, filter), so dx = conv3d(dy, filter) and dfilter is conv3d's filter
 * gradient with x and dy swapped. filter: [kd, kh, kw, C_out, C_in].
 */
function transposeValidGradients(
  dy: tf.Tensor5D,
  x: tf.Tensor5D,
  filter: tf.Tensor5D,
  stride: Triple,
  wantInput: boolean,
): { dx: tf.Tensor5D | null; dFilter: tf.Tensor5D } {
  return {
    dx: wantInput ? tf.conv3d(dy, filter, stride, 'valid') : null,
    dFilter: conv3dFilterGradient(dy, x, filter.shape, stride, 'valid'),
  };
}

/** conv3dTranspose with a gradient: tfjs has none for its kernels (platform notes). */
export function conv3dTransposeValid(
  x: tf.Tensor5D,
  filter: tf.Tensor5D,
  outputSize: Triple,
  stride: Triple,
): tf.Tensor5D {
  const outShape: [number, number, number, number, number] = [x.shape[0], ...outputSize, filter.shape[3]];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, filterIn, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([xIn, filterIn]);
    return {
      value: tf.conv3dTranspose(xIn as tf.Tensor5D, filterIn as tf.Tensor5D, outShape, stride, 'valid'),
      gradFunc: (dy: tf.Tensor5D, saved: tf.Tensor[]) => {
        const [xSaved, filterSaved] = saved as tf.Tensor5D[];
        const { dx, dFilter } = transposeValidGradients(dy, xSaved, filterSaved, stride, true);
        return [dx as tf.Tensor5D, dFilter];
      },
    };
  });
  return op(x, filter) as tf.Tensor5D;
}

export const convTranspose3dLayer: LayerDef<'convTranspose3d'> = {
  kind: 'convTranspose3d',
  channelRole: 'neurons',
  outputShape(node, inputs) {
    const spatial = spatialInput(node.name, inputs);
    expectChannels(node.name, inputs[0], node.attrs.inChannels);
    const crop = transposeCrop(spatial, node.attrs);
    const full = fullSize(spatial, node.attrs);
    const output = full.map((n, axis) => n - crop[axis][0] - crop[axis][1]) as Triple;
    if (output.some((n) => n < 1))
      throw new LayerError(
        node.name,
        `padding ${JSON.stringify(crop)} leaves no output from ${formatTriple(full)}`,
      );
    return { channels: node.attrs.outChannels, spatial: output };
  },
  params(node) {
    const { kernel, inChannels, outChannels, bias } = node.attrs;
    const kvol = tripleVolume(kernel);
    return [
      {
        name: 'weight',
        shape: [...kernel, outChannels, inChannels],
        init: 'xavierNormal',
        trainable: true,
        outAxis: 3,
        inAxis: 4,
        // PyTorch's fans for a [in, out, k…] transposed weight.
        fan: { in: outChannels * kvol, out: inChannels * kvol },
      },
      ...convBiasParams(bias, outChannels),
    ];
  },
  forward(node, inputs, params) {
    const x = as5D(inputs[0], node.name);
    const spatial: Triple = [x.shape[1], x.shape[2], x.shape[3]];
    const full = conv3dTransposeValid(
      x,
      params.weight as tf.Tensor5D,
      fullSize(spatial, node.attrs),
      node.attrs.stride,
    );
    const y = cropSpatial(full, transposeCrop(spatial, node.attrs));
    return node.attrs.bias ? perChannelAffine(y, null, params.bias) : y;
  },
  gradient: {
    reads: { inputs: true, output: false },
    backward(node, { inputs, params, dy, wantInput }) {
      const x = as5D(inputs[0] as tf.Tensor, node.name);
      const crop = transposeCrop([x.shape[1], x.shape[2], x.shape[3]], node.attrs);
      // Zero padding is the adjoint of the crop.
      const dFull = padSpatial(dy as tf.Tensor5D, crop);
      const { dx, dFilter } = transposeValidGradients(
        dFull,
        x,
        params.weight as tf.Tensor5D,
        node.attrs.stride,
        wantInput[0],
      );
      return {
        inputs: [dx],
        params: { weight: dFilter, ...(node.attrs.bias ? { bias: channelSum(dy) } : {}) },
      };
    },
  },
  flops(node, _inputs, output) {
    return (
      numel(output) * (node.attrs.inChannels * tripleVolume(node.attrs.kernel) + (node.attrs.bias ? 1 : 0))
    );
  },
  countsMemory: true,
};
