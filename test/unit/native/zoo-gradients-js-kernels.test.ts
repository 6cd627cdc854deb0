import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { nativeKernels } from '../../../engine/backend/kernels/registry.js';
import type { Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { randomTensor } from '../nn/helpers.js';
import { expectSameAsJs } from './js-kernel-harness.js';

/** The plain-JS data-movement and pooling kernels (the others need the addon). */
const plainJs = nativeKernels.filter((k) =>
  [
    'Slice',
    'SplitV',
    'Concat',
    'PadV2',
    'Transpose',
    'GatherV2',
    'MaxPool3D',
    'MaxPool3DGrad',
    'AvgPool3D',
    'AvgPool3DGrad',
  ].includes(k.kernelName),
);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('zoo nets train bit-identically with the plain-JS data-movement and pooling kernels', () => {
  it.each([
    ['unet3d-shapenet', { width: 1 / 16, inputSize: [8, 8, 8] as Triple, classes: 3 }],
    ['i3d', { width: 1 / 16, inputSize: [4, 16, 16] as Triple, classes: 4 }],
  ])('%s: loss gradients of every variable equal the JS kernels', (name, options) => {
    const net = buildNet(name, options);
    const model = buildModel(net, { seed: 3 });
    const x = randomTensor([2, ...options.inputSize, net.inputChannels], 5);
    const labels =
      net.task === 'ucf101'
        ? tf.oneHot(tf.tensor1d([1, 3], 'int32'), options.classes)
        : tf.oneHot(tf.zeros([2, ...options.inputSize], 'int32'), options.classes);
    expectSameAsJs(plainJs, () => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            labels,
            model.forward(x as tf.Tensor5D, { training: true, updateRunningStats: false, seed: 1 }),
          ) as tf.Scalar,
        model.trainableVariables(),
      );
      return [value, ...Object.values(grads)];
    });
    model.dispose();
    tf.dispose([x, labels]);
  });
});
