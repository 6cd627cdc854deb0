import { describe, expect, it } from 'vitest';
import type { LayerNode, NetDescription, Padding3, Triple } from '../../../engine/nn/description.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import {
  countResources,
  elementsToMB,
  prunableLayerResources,
  resourceRatios,
} from '../../../engine/resources/count.js';

const pad = (p: number): Padding3 => [
  [p, p],
  [p, p],
  [p, p],
];
const cube = (n: number): Triple => [n, n, n];

function net(
  nodes: LayerNode[],
  inputChannels: number,
  inputSize: Triple,
  output = nodes.at(-1)?.name ?? '',
): NetDescription {
  return {
    format: 'ranp-net',
    version: 1,
    name: 'hand',
    task: 'brats',
    inputChannels,
    classes: 5,
    inputSize,
    nodes,
    output,
    classifier: output,
    meta: {},
  };
}

describe('per-layer counts derived by hand (docs/method.md section 4)', () => {
  // input 1×4³ → conv 1→2 k3 pad1 bias → BN → ReLU → maxpool 2 → depthwise 2 k3 pad1 → convT 2→3 k2 s2 bias
  //   → avgpool 2 → global average pool → dropout → linear 3→5 → softmax
  const nodes: LayerNode[] = [
    { name: 'input', kind: 'input', inputs: [], attrs: { channels: 1 } },
    {
      name: 'conv',
      kind: 'conv3d',
      inputs: ['input'],
      attrs: {
        inChannels: 1,
        outChannels: 2,
        kernel: cube(3),
        stride: cube(1),
        padding: pad(1),
        groups: 1,
        bias: true,
      },
    },
    { name: 'bn', kind: 'batchNorm3d', inputs: ['conv'], attrs: { channels: 2, eps: 1e-5 } },
    { name: 'relu', kind: 'relu', inputs: ['bn'], attrs: {} },
    {
      name: 'pool',
      kind: 'maxPool3d',
      inputs: ['relu'],
      attrs: { kernel: cube(2), stride: cube(2), padding: pad(0) },
    },
    {
      name: 'dw',
      kind: 'conv3d',
      inputs: ['pool'],
      attrs: {
        inChannels: 2,
        outChannels: 2,
        kernel: cube(3),
        stride: cube(1),
        padding: pad(1),
        groups: 2,
        bias: false,
      },
    },
    {
      name: 'up',
      kind: 'convTranspose3d',
      inputs: ['dw'],
      attrs: { inChannels: 2, outChannels: 3, kernel: cube(2), stride: cube(2), padding: pad(0), bias: true },
    },
    {
      name: 'avg',
      kind: 'avgPool3d',
      inputs: ['up'],
      attrs: { kernel: cube(2), stride: cube(2), padding: pad(0) },
    },
    { name: 'gap', kind: 'globalAvgPool', inputs: ['avg'], attrs: {} },
    { name: 'drop', kind: 'dropout', inputs: ['gap'], attrs: { rate: 0.2 } },
    { name: 'fc', kind: 'linear', inputs: ['drop'], attrs: { inFeatures: 3, outFeatures: 5, bias: true } },
    { name: 'softmax', kind: 'softmax', inputs: ['fc'], attrs: {} },
  ];
  const report = countResources(net(nodes, 1, cube(4), 'fc'));
  const by = (name: string) => report.layers.find((l) => l.name === name);

  it.each([
    // name, flops, params, memory elements
    ['input', 0, 0, 0],
    ['conv', 128 * (27 + 1), 2 * 27 + 2, 128], // 2 × 4³ outputs
    ['bn', 4 * 128, 4, 128],
    ['relu', 0, 0, 128],
    ['pool', 0, 0, 16], // 2 × 2³
    ['dw', 16 * 27, 2 * 27, 16], // C_in/groups = 1
    ['up', 192 * (2 * 8 + 1), 2 * 3 * 8 + 3, 192], // 3 × 4³
    ['avg', 24 * (8 + 1), 0, 24], // 3 × 2³
    ['gap', 0, 0, 0], // functional: not counted
    ['drop', 0, 0, 3],
    ['fc', 5 * 2 * 3, 3 * 5 + 5, 5],
    ['softmax', 3 * 5 - 1, 0, 5],
  ] as const)('%s: %i FLOPs, %i params, %i elements', (name, flops, params, memory) => {
    expect([by(name)?.flops, by(name)?.params, by(name)?.memoryElements]).toEqual([flops, params, memory]);
  });

  it('totals, channels and prunable resources', () => {
    expect(report.totals).toEqual({
      flops: 3584 + 512 + 432 + 3264 + 216 + 30 + 14,
      params: 56 + 4 + 54 + 51 + 20,
      memoryElements: 3 * 128 + 16 + 16 + 192 + 24 + 3 + 5 + 5,
      memoryMB: (645 * 4) / 2 ** 20,
    });
    expect(by('up')).toMatchObject({
      inChannels: 2,
      outChannels: 3,
      outputShape: { channels: 3, spatial: [4, 4, 4] },
    });
    expect(by('fc')?.outputShape).toEqual({ channels: 5, spatial: null });
    expect([...prunableLayerResources(report, 'flops')]).toEqual([
      ['conv', 3584],
      ['dw', 432],
      ['up', 3264],
      ['fc', 30],
    ]);
    expect(prunableLayerResources(report, 'memory').get('up')).toBe(192);
    expect(prunableLayerResources(report, 'params').get('dw')).toBe(54);
  });

  it('group/instance norm, relu6, add, upsampling and concat', () => {
    const other = countResources(
      net(
        [
          { name: 'input', kind: 'input', inputs: [], attrs: { channels: 2 } },
          {
            name: 'c',
            kind: 'conv3d',
            inputs: ['input'],
            attrs: {
              inChannels: 2,
              outChannels: 2,
              kernel: cube(1),
              stride: cube(1),
              padding: pad(0),
              groups: 1,
              bias: false,
            },
          },
          { name: 'gn', kind: 'groupNorm3d', inputs: ['c'], attrs: { channels: 2, eps: 1e-5, groups: 1 } },
          { name: 'in', kind: 'instanceNorm3d', inputs: ['gn'], attrs: { channels: 2, eps: 1e-5 } },
          { name: 'r6', kind: 'relu6', inputs: ['in'], attrs: {} },
          { name: 'sum', kind: 'add', inputs: ['c', 'r6'], attrs: {} },
          {
            name: 'up',
            kind: 'upsampleNearest3d',
            inputs: ['sum'],
            attrs: { mode: 'scale', scale: cube(2) },
          },
          { name: 'cat', kind: 'concat', inputs: ['up', 'up'], attrs: {} },
        ],
        2,
        cube(2),
      ),
    );
    const rows = other.layers.map((l) => [l.name, l.flops, l.params, l.memoryElements]);
    expect(rows).toEqual([
      ['input', 0, 0, 0],
      ['c', 16 * 2, 4, 16],
      ['gn', 4 * 16, 4, 16],
      ['in', 4 * 16, 4, 16],
      ['r6', 0, 0, 16],
      ['sum', 0, 0, 0],
      ['up', 0, 0, 0],
      ['cat', 0, 0, 0],
    ]);
    expect(other.layers.at(-1)).toMatchObject({
      inChannels: 4,
      outChannels: 4,
      outputShape: { channels: 4, spatial: [4, 4, 4] },
    });
  });
});

describe('3D-UNet ShapeNet at 64³, from the conv list of docs/method.md', () => {
  // (out, in, k, spatial side) — the side follows the level: 64, 32, 16, 8 and back up.
  const convs: [number, number, number, number][] = [
    [32, 1, 3, 64],
    [64, 32, 3, 64],
    [64, 64, 3, 32],
    [128, 64, 3, 32],
    [128, 128, 3, 16],
    [256, 128, 3, 16],
    [256, 256, 3, 8],
    [512, 256, 3, 8],
    [256, 768, 3, 16],
    [256, 256, 3, 16],
    [128, 384, 3, 32],
    [128, 128, 3, 32],
    [64, 192, 3, 64],
    [64, 64, 3, 64],
  ];
  const final = { out: 50, in: 64, side: 64 };
  const report = countResources(buildNet('unet3d-shapenet'));

  it('params: conv weights + final bias + gamma/beta of 14 batch norms', () => {
    const params =
      convs.reduce((s, [o, i, k]) => s + o * i * k ** 3 + 2 * o, 0) + final.out * final.in + final.out;
    expect(report.totals.params).toBe(params);
    expect(report.totals.params).toBe(16_321_106);
    expect(((report.totals.params * 4) / 2 ** 20).toFixed(2)).toBe('62.26');
  });

  it('FLOPs: convs (+1 for the final bias), 4·numel per batch norm, 3·50 − 1 for the softmax', () => {
    const flops =
      convs.reduce((s, [o, i, k, side]) => s + o * side ** 3 * (i * k ** 3) + 4 * o * side ** 3, 0) +
      final.out * final.side ** 3 * (final.in + 1) +
      (3 * 50 - 1);
    expect(report.totals.flops).toBe(flops);
  });

  it('memory: conv, BN and ReLU outputs of 14 blocks, 3 max-pools, final conv and softmax', () => {
    const pools = 64 * 32 ** 3 + 128 * 16 ** 3 + 256 * 8 ** 3;
    const memory =
      convs.reduce((s, [o, , , side]) => s + 3 * o * side ** 3, 0) + pools + 2 * final.out * final.side ** 3;
    expect(report.totals.memoryElements).toBe(memory);
    expect(report.totals.memoryMB).toBe(elementsToMB(memory));
    expect(report.totals.memoryMB).toBe(997);
  });

  it('ratios of a half-width net', () => {
    const half = countResources(buildNet('unet3d-shapenet', { width: 0.5 }));
    const ratios = resourceRatios(half, report);
    // Every feature map halves except the 50-class final conv and softmax outputs (2 · 50 · 64³).
    const classMaps = 2 * 50 * 64 ** 3;
    expect(half.totals.memoryElements).toBe((report.totals.memoryElements - classMaps) / 2 + classMaps);
    expect(ratios.memory).toBeCloseTo(143_785_984 / 261_357_568, 12);
    expect(ratios.params).toBeGreaterThan(0.24);
    expect(ratios.params).toBeLessThan(0.26);
    expect(resourceRatios(report, report)).toEqual({ flops: 1, params: 1, memory: 1 });
  });
});
