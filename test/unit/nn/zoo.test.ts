import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  isDepthwise,
  isPrunable,
  nodeByName,
  type NetDescription,
  type Triple,
} from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { inferShapes } from '../../../engine/nn/shapes.js';
import { buildNet, listNets } from '../../../engine/nn/zoo/registry.js';
import { randomTensor } from './helpers.js';

function convList(net: NetDescription): string[] {
  return net.nodes.flatMap((n) =>
    n.kind === 'conv3d' ? [`(${n.attrs.outChannels},${n.attrs.inChannels},${n.attrs.kernel[0]})`] : [],
  );
}

describe('model zoo descriptions', () => {
  it('lists the four nets', () => {
    expect(listNets().map((n) => n.name)).toEqual([
      'unet3d-shapenet',
      'unet3d-brats',
      'mobilenetv2-3d',
      'i3d',
    ]);
    expect(() => buildNet('resnet')).toThrow(/unknown net 'resnet'.*unet3d-shapenet/);
  });

  it.each([
    ['unet3d-shapenet', 15, 'final', [64, 64, 64]],
    ['unet3d-brats', 15, 'final', [128, 128, 128]],
    ['mobilenetv2-3d', 53, 'classifier', [16, 112, 112]],
    ['i3d', 58, 'Logits.conv', [16, 224, 224]],
  ] as const)(
    '%s has %i prunable layers, classifier %s, default input %j',
    (name, prunable, classifier, size) => {
      const net = buildNet(name);
      expect(net.nodes.filter(isPrunable)).toHaveLength(prunable);
      expect(net.classifier).toBe(classifier === 'Logits.conv' ? 'Logits' : classifier);
      expect(net.inputSize).toEqual(size);
      expect(JSON.parse(JSON.stringify(net))).toEqual(net); // plain serializable data
    },
  );

  it('3D-UNet ShapeNet has exactly the conv list of docs/method.md, and a softmax after the logits', () => {
    const net = buildNet('unet3d-shapenet');
    expect(convList(net).join(' ')).toBe(
      '(32,1,3) (64,32,3) (64,64,3) (128,64,3) (128,128,3) (256,128,3) (256,256,3) (512,256,3) (256,768,3) (256,256,3) (128,384,3) (128,128,3) (64,192,3) (64,64,3) (50,64,1)',
    );
    expect(net.output).toBe('final');
    expect(net.nodes.at(-1)).toMatchObject({ kind: 'softmax', inputs: ['final'] });
    expect(nodeByName(net, 'dec2.cat').inputs).toEqual(['enc2.2.relu', 'dec2.up']); // [skip, upsampled]
  });

  it('3D-UNet BraTS: 4 → 5 channels, f = 32, no softmax; width and options apply', () => {
    const net = buildNet('unet3d-brats');
    expect(convList(net).slice(0, 2)).toEqual(['(16,4,3)', '(32,16,3)']);
    expect(convList(net).at(-1)).toBe('(5,32,1)');
    expect(net.nodes.some((n) => n.kind === 'softmax')).toBe(false);
    const narrow = buildNet('unet3d-shapenet', {
      width: 0.5,
      classes: 7,
      inputChannels: 2,
      inputSize: [16, 24, 32],
    });
    expect(convList(narrow).slice(0, 2)).toEqual(['(16,2,3)', '(32,16,3)']);
    expect(convList(narrow).at(-1)).toBe('(7,32,1)');
    expect(inferShapes(narrow).get('final')).toEqual({ channels: 7, spatial: [16, 24, 32] });
  });

  it('MobileNetV2-3D: 17 depthwise convs, 10 residual adds, 7×7 → 4×4 head at 16×112²', () => {
    const net = buildNet('mobilenetv2-3d');
    expect(net.nodes.filter(isDepthwise)).toHaveLength(17);
    expect(net.nodes.filter((n) => n.kind === 'add')).toHaveLength(10);
    const shapes = inferShapes(net);
    expect(shapes.get('stem.relu6')).toEqual({ channels: 32, spatial: [16, 56, 56] });
    expect(shapes.get('head.relu6')).toEqual({ channels: 1280, spatial: [1, 4, 4] });
    expect(shapes.get('classifier')).toEqual({ channels: 101, spatial: null });
    expect(nodeByName(buildNet('mobilenetv2-3d', { width: 2 }), 'head.conv')).toMatchObject({
      attrs: { inChannels: 640, outChannels: 2560 },
    });
  });

  it("I3D: Inception widths, TF 'same' shapes and the stem's explicit padding at 16×224²", () => {
    const net = buildNet('i3d');
    const shapes = inferShapes(net);
    const widths = ['3b', '3c', '4b', '4c', '4d', '4e', '4f', '5b', '5c'].map(
      (m) => shapes.get(`Mixed_${m}.cat`)?.channels,
    );
    expect(widths).toEqual([256, 480, 512, 512, 512, 528, 832, 832, 1024]); // Carreira & Zisserman's module outputs
    expect(shapes.get('Conv3d_1a_7x7.relu')?.spatial).toEqual([8, 112, 112]);
    expect(shapes.get('MaxPool3d_3a_3x3')?.spatial).toEqual([8, 28, 28]);
    expect(shapes.get('Mixed_5c.cat')?.spatial).toEqual([2, 7, 7]);
    expect(shapes.get('AvgPool')?.spatial).toEqual([1, 1, 1]);
    expect(shapes.get('Logits.mean')).toEqual({ channels: 101, spatial: null });
    expect(nodeByName(net, 'Conv3d_1a_7x7.conv')).toMatchObject({
      attrs: {
        padding: [
          [3, 3],
          [3, 3],
          [3, 3],
        ],
      },
    });
    // At 8×32², Mixed_5c is 1×1×1: the (2,7,7) pool is clamped instead of failing.
    expect(inferShapes(net, [8, 32, 32]).get('AvgPool')?.spatial).toEqual([1, 1, 1]);
  });
});

/** Small variants that train quickly on the cpu backend. */
const SMALL: [string, { width: number; inputSize: Triple; classes: number }][] = [
  ['unet3d-shapenet', { width: 1 / 16, inputSize: [8, 8, 8], classes: 3 }],
  ['unet3d-brats', { width: 1 / 8, inputSize: [8, 8, 12], classes: 5 }],
  ['mobilenetv2-3d', { width: 0.25, inputSize: [2, 16, 16], classes: 4 }],
  ['i3d', { width: 1 / 16, inputSize: [4, 16, 16], classes: 4 }],
];

describe('built models', () => {
  it.each(SMALL)(
    '%s: every layer output has the described shape; forward+backward runs and descends',
    (name, options) => {
      const net = buildNet(name, options);
      const model = buildModel(net, { seed: 3 });
      const shapes = inferShapes(net);
      const x = randomTensor([2, ...options.inputSize, net.inputChannels], 5) as tf.Tensor5D;
      const observed = new Map<string, number[]>();
      const logits = model.forward(x, {
        training: false,
        observe: (layer, out) => observed.set(layer, out.shape),
      });
      for (const [layer, shape] of observed) {
        const described = shapes.get(layer);
        expect([layer, shape], layer).toEqual([
          layer,
          described?.spatial ? [2, ...described.spatial, described.channels] : [2, described?.channels],
        ]);
      }
      expect(observed.size).toBe(net.nodes.length - (net.nodes.some((n) => n.kind === 'softmax') ? 1 : 0)); // the evaluation softmax is not run
      const segmentation = net.task !== 'ucf101';
      expect(logits.shape).toEqual(
        segmentation ? [2, ...options.inputSize, options.classes] : [2, options.classes],
      );

      const labels = segmentation
        ? tf.oneHot(tf.zeros([2, ...options.inputSize], 'int32'), options.classes)
        : tf.oneHot(tf.tensor1d([1, 3], 'int32'), options.classes);
      const lossOf = (training: boolean) => () =>
        tf.losses.softmaxCrossEntropy(
          labels,
          model.forward(x, { training, updateRunningStats: false, seed: 1 }),
        ) as tf.Scalar;
      // Training mode (batch statistics, dropout): every trainable variable gets a finite gradient.
      const trained = tf.variableGrads(lossOf(true), model.trainableVariables());
      expect(Object.keys(trained.grads)).toHaveLength(model.trainableVariables().length);
      for (const g of Object.values(trained.grads))
        expect(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0])).toBe(true);
      // Evaluation mode is smooth in the weights (batch norm over 2 samples at 1×1×1 is not): a short step against the gradient lowers the loss.
      const { value, grads } = tf.variableGrads(lossOf(false), model.trainableVariables());
      const norm = Math.sqrt(
        Object.values(grads).reduce((sum, g) => sum + tf.sum(tf.square(g)).dataSync()[0], 0),
      );
      tf.tidy(() =>
        model.trainableVariables().forEach((v) => v.assign(v.sub(grads[v.name].mul(1e-2 / norm)))),
      );
      expect(lossOf(false)().dataSync()[0]).toBeLessThan(value.dataSync()[0]);
      model.dispose();
    },
  );
});
