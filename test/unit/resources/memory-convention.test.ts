// The memory conventions of engine/domain/memory.ts: the paper's (outputs of the reference's
// modules; I3D applies ReLU as a function in each conv unit) and every layer module.
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../engine/cli/command.js';
import { infoCommand } from '../../../engine/cli/commands/info.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { countResources } from '../../../engine/resources/count.js';
import { prune } from '../../../engine/prune/prune.js';

const MB = (elements: number) => (elements * 4) / 2 ** 20;

describe('memory conventions', () => {
  const i3d = buildNet('i3d');

  it("I3D at 16×224²: 201.28 MB in the paper's convention (the default), 286.21 MB counting every module", () => {
    const paper = countResources(i3d, [16, 224, 224]);
    const modules = countResources(i3d, [16, 224, 224], 'modules');
    expect(paper.memoryConvention).toBe('paper');
    expect(paper.totals.memoryMB.toFixed(2)).toBe('201.28');
    expect(modules.totals.memoryMB.toFixed(2)).toBe('286.21');
    // FLOPs and params do not depend on the convention.
    expect(paper.totals.flops).toBe(modules.totals.flops);
    expect(paper.totals.params).toBe(modules.totals.params);
  });

  it('the difference is exactly the ReLU outputs of the conv units: each as large as its conv output', () => {
    const modules = countResources(i3d, [16, 224, 224], 'modules');
    const paper = countResources(i3d, [16, 224, 224], 'paper');
    // Every conv but the logits conv sits in a unit conv → bn → relu, so its ReLU output has the
    // conv output's size: the sum of those conv outputs, counted a second, independent way.
    const unitConvs = modules.layers.filter((l) => l.kind === 'conv3d' && l.name !== i3d.classifier);
    const reluElements = unitConvs.reduce((sum, l) => sum + l.memoryElements, 0);
    expect(modules.totals.memoryElements - paper.totals.memoryElements).toBe(reluElements);
    expect(MB(reluElements).toFixed(2)).toBe('84.93');
    expect(paper.layers.filter((l) => l.kind === 'relu').every((l) => l.memoryElements === 0)).toBe(true);
  });

  it('U-Nets and MobileNetV2 (ReLU modules in the reference) count the same in both', () => {
    for (const [name, mb] of [
      ['unet3d-shapenet', '997.00'],
      ['unet3d-brats', '3628.00'],
      ['mobilenetv2-3d', '157.47'],
    ] as const) {
      const net = buildNet(name);
      expect(countResources(net).totals.memoryMB.toFixed(2)).toBe(mb);
      expect(countResources(net, undefined, 'modules').totals.memoryMB.toFixed(2)).toBe(mb);
    }
  });

  it('a pruned I3D keeps the convention and the report names it', () => {
    const small = buildNet('i3d', { width: 0.125 });
    const { report, prunedNet } = prune(small, undefined, { method: 'random', sparsity: 0.3, seed: 1 });
    expect(report.resources.memoryConvention).toBe('paper');
    expect(prunedNet.nodes.filter((n) => n.kind === 'relu').every((n) => n.functional)).toBe(true);
    const counted = countResources(prunedNet, report.resources.inputSize);
    expect(report.resources.after.memoryMB).toBeCloseTo(counted.totals.memoryMB, 10);
  });

  it('ranp info names the convention and takes --memory modules', async () => {
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const io: CliIO = { out: (t) => lines.push(t), err: (t) => lines.push(t), interactive: false };
      expect(await infoCommand.run(args, io)).toBe(0);
      return lines.join('\n');
    };
    expect(await run(['--net', 'i3d', '--input', '16x224x224'])).toMatch(
      /201\.28 MB feature maps \(\d+ elements, paper's convention\)/,
    );
    expect(await run(['--net', 'i3d', '--input', '16x224x224', '--memory', 'modules'])).toMatch(
      /286\.21 MB feature maps \(\d+ elements, every layer module\)/,
    );
    await expect(run(['--net', 'i3d', '--memory', 'relu'])).rejects.toThrow(
      /--memory must be one of paper, modules, got 'relu'/,
    );
  });
});
