import { describe, expect, it } from 'vitest';
import { adaptNet } from '../../../engine/experiment/adapt.js';
import { ConfigError, resolveConfig } from '../../../engine/experiment/config.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { prune } from '../../../engine/prune/prune.js';
import { countNetResources } from '../../../engine/prune/resources.js';
import { inferShapes } from '../../../engine/nn/shapes.js';

describe('experiment config', () => {
  it('fills in the paper’s settings for the task', () => {
    const shapenet = resolveConfig({ task: 'shapenet', data: 'd' });
    expect(shapenet.net).toBe('unet3d-shapenet');
    expect(shapenet.prune).toMatchObject({ method: 'ranp-f', sparsity: 0.7824 });
    expect(shapenet.train.optimizer).toEqual({
      kind: 'sgd',
      momentum: 0.9,
      dampening: 0,
      nesterov: true,
      weightDecay: 1e-4,
    });
    expect(shapenet.train.schedule).toEqual({ kind: 'exponential', lr: 0.1, rate: 0.04 });
    const brats = resolveConfig({ task: 'brats', data: 'd', inputSize: 24 });
    expect(brats.train.schedule).toEqual({ kind: 'step', lr: 1e-3, milestones: [150], gamma: 0.1 });
    expect(brats.inputSize).toEqual([24, 24, 24]);
    expect(brats.prune.sparsity).toBe(0.7817);
  });

  it('user values override defaults; a different optimizer kind replaces the default whole', () => {
    const c = resolveConfig({
      task: 'shapenet',
      data: 'd',
      train: { epochs: 3, optimizer: { kind: 'adam' } },
    });
    expect(c.train.epochs).toBe(3);
    expect(c.train.batchSize).toBe(4);
    expect(c.train.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  });

  it('a budget takes the default sparsity’s place; a sparsity given with it is refused', () => {
    const budget = { resource: 'flops', value: 0.1, relative: true } as const;
    const c = resolveConfig({ task: 'shapenet', data: 'd', prune: { budget } });
    expect(c.prune.budget).toEqual(budget);
    expect(c.prune.sparsity).toBeUndefined();
    expect(() =>
      resolveConfig({ task: 'shapenet', data: 'd', prune: { budget, sparsity: 0.5 } }, 'study.yaml'),
    ).toThrow(/^study\.yaml: invalid experiment config:\n {2}prune: give a sparsity or a budget \(not both/);
    expect(() =>
      resolveConfig({ task: 'shapenet', data: 'd', prune: { budget: { ...budget, value: 2 } } }),
    ).toThrow(/prune\.budget: a relative budget is a fraction in \(0, 1\]/);
  });

  it('errors name the field', () => {
    expect(() => resolveConfig({ task: 'mri', data: 'd' })).toThrow(
      /task: expected one of shapenet, brats, ucf101/,
    );
    expect(() => resolveConfig({ task: 'brats', data: 'd', prune: { sparsity: 1.5 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ task: 'brats', data: 'd', prune: { sparsty: 0.5 } })).toThrow(
      /prune.*sparsty/,
    );
  });
});

describe('adaptNet (transfer and scale-up)', () => {
  const net = buildNet('unet3d-brats', { width: 0.125, inputSize: [16, 16, 16] });
  const pruned = prune(net, undefined, { method: 'random', sparsity: 0.3, seed: 1 }).prunedNet;

  it('transfer: replaces input channels and classes, keeps the hidden channels', () => {
    const adapted = adaptNet(pruned, { inputChannels: 1, classes: 50 });
    const conv = (n: typeof adapted, name: string) => n.nodes.find((x) => x.name === name)!;
    const first = conv(adapted, 'enc0.1.conv');
    const classifier = conv(adapted, adapted.classifier);
    expect(first.kind === 'conv3d' && first.attrs.inChannels).toBe(1);
    expect(classifier.kind === 'conv3d' && classifier.attrs.outChannels).toBe(50);
    const original = conv(pruned, 'enc0.1.conv');
    expect(first.kind === 'conv3d' && original.kind === 'conv3d' && first.attrs.outChannels).toBe(
      original.kind === 'conv3d' && original.attrs.outChannels,
    );
    expect(() => inferShapes(adapted)).not.toThrow();
  });

  it('scale-up: widening by 2 doubles every hidden layer’s neurons and keeps concats consistent', () => {
    const widened = adaptNet(pruned, { widen: 2, inputSize: [32, 32, 32] });
    for (const node of pruned.nodes) {
      if (node.kind !== 'conv3d' || node.name === pruned.classifier) continue;
      const w = widened.nodes.find((x) => x.name === node.name)!;
      expect(w.kind === 'conv3d' && w.attrs.outChannels).toBe(2 * node.attrs.outChannels);
    }
    expect(widened.inputSize).toEqual([32, 32, 32]);
    // Params of a conv grow with in×out: the widened net has roughly 4× the params of the pruned one.
    const ratio =
      countNetResources(widened, [16, 16, 16]).total.params /
      countNetResources(pruned, [16, 16, 16]).total.params;
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(4.1);
  });
});
