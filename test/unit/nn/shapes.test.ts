import { describe, expect, it } from 'vitest';
import type { LayerNode, NetDescription } from '../../../engine/nn/description.js';
import { resolvePadding, samePadding } from '../../../engine/nn/padding.js';
import { inferShapes } from '../../../engine/nn/shapes.js';

function net(nodes: LayerNode[], output = nodes.at(-1)?.name ?? ''): NetDescription {
  return {
    format: 'ranp-net',
    version: 1,
    name: 'n',
    task: 'brats',
    inputChannels: 2,
    classes: 2,
    inputSize: [8, 8, 8],
    nodes,
    output,
    classifier: output,
    meta: {},
  };
}
const input: LayerNode = { name: 'input', kind: 'input', inputs: [], attrs: { channels: 2 } };
const conv = (name: string, from: string, inChannels: number, kernel = 3, stride = 1): LayerNode => ({
  name,
  kind: 'conv3d',
  inputs: [from],
  attrs: {
    inChannels,
    outChannels: 4,
    kernel: [kernel, kernel, kernel],
    stride: [stride, stride, stride],
    padding: 'same',
    groups: 1,
    bias: false,
  },
});

describe("TF 'same' padding", () => {
  it('follows total = max(k − s, 0) if n mod s = 0 else max(k − n mod s, 0), floor before', () => {
    expect(samePadding(16, 7, 2)).toEqual([2, 3]); // 16 mod 2 = 0 → 5
    expect(samePadding(15, 3, 2)).toEqual([1, 1]); // 15 mod 2 = 1 → 2
    expect(samePadding(7, 2, 2)).toEqual([0, 1]); // 7 mod 2 = 1 → 1
    expect(samePadding(8, 1, 1)).toEqual([0, 0]);
    expect(samePadding(4, 2, 4)).toEqual([0, 0]); // k < s
    expect(resolvePadding('same', [16, 15, 7], [7, 3, 2], [2, 2, 2])).toEqual([
      [2, 3],
      [1, 1],
      [0, 1],
    ]);
  });
});

describe('inferShapes checks name the layer', () => {
  it('computes conv/pool output sizes with floor rounding', () => {
    const shapes = inferShapes(
      net([
        input,
        conv('c', 'input', 2, 3, 2),
        {
          name: 'p',
          kind: 'maxPool3d',
          inputs: ['c'],
          attrs: {
            kernel: [2, 2, 2],
            stride: [2, 2, 2],
            padding: [
              [0, 0],
              [0, 0],
              [0, 0],
            ],
          },
        },
      ]),
      [9, 7, 8],
    );
    expect(shapes.get('c')).toEqual({ channels: 4, spatial: [5, 4, 4] }); // ceil(n / 2)
    expect(shapes.get('p')).toEqual({ channels: 4, spatial: [2, 2, 2] });
  });

  it('channel mismatch', () => {
    expect(() => inferShapes(net([input, conv('c1', 'input', 2), conv('c2', 'c1', 3)]))).toThrow(
      "layer 'c2': expects 3 input channels, got 4",
    );
  });

  it('kernel larger than the input', () => {
    const pool: LayerNode = {
      name: 'pool',
      kind: 'avgPool3d',
      inputs: ['input'],
      attrs: {
        kernel: [2, 7, 7],
        stride: [1, 1, 1],
        padding: [
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      },
    };
    expect(() => inferShapes(net([input, pool]), [2, 5, 5])).toThrow(
      "layer 'pool': kernel 2×7×7 is larger than its padded input 2×5×5",
    );
  });

  it('concat spatial mismatch and add shape mismatch', () => {
    const down = conv('down', 'input', 2, 3, 2);
    const cat: LayerNode = { name: 'cat', kind: 'concat', inputs: ['input', 'down'], attrs: {} };
    expect(() => inferShapes(net([input, down, cat]))).toThrow(
      "layer 'cat': input 1 ('down') has spatial size 4×4×4, input 0 has 8×8×8",
    );
    const add: LayerNode = { name: 'sum', kind: 'add', inputs: ['input', 'c'], attrs: {} };
    expect(() => inferShapes(net([input, conv('c', 'input', 2), add]))).toThrow(
      /layer 'sum': input 1 \('c'\) has shape/,
    );
  });

  it('graph errors: unknown input, duplicate name, missing output, flat input to a conv, bad groups', () => {
    expect(() => inferShapes(net([input, conv('c', 'nope', 2)]))).toThrow(
      "layer 'c': input 'nope' is not an earlier layer of the net",
    );
    expect(() => inferShapes(net([input, conv('c', 'input', 2), conv('c', 'c', 4)]))).toThrow(
      "layer 'c': name is used by more than one layer",
    );
    expect(() => inferShapes(net([input, conv('c', 'input', 2)], 'logits'))).toThrow(
      "net 'n': output 'logits' is not a layer of the net",
    );
    const gap: LayerNode = { name: 'gap', kind: 'globalAvgPool', inputs: ['input'], attrs: {} };
    expect(() => inferShapes(net([input, gap, conv('c', 'gap', 2)]))).toThrow(
      "layer 'c': expects a spatial (N,D,H,W,C) input",
    );
    const grouped: LayerNode = {
      name: 'g',
      kind: 'conv3d',
      inputs: ['input'],
      attrs: {
        inChannels: 2,
        outChannels: 3,
        kernel: [1, 1, 1],
        stride: [1, 1, 1],
        padding: 'same',
        groups: 2,
        bias: false,
      },
    };
    expect(() => inferShapes(net([input, grouped]))).toThrow(
      "layer 'g': groups 2 must divide inChannels 2 and outChannels 3",
    );
    expect(() => inferShapes(net([input]), [0, 4, 4])).toThrow(/input size must be three positive integers/);
  });
});
