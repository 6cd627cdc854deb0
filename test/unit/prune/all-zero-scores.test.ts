import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../engine/cli/command.js';
import { pruneCommand } from '../../../engine/cli/commands/prune.js';
import { runExperiment } from '../../../engine/experiment/index.js';
import { isPrunable } from '../../../engine/nn/description.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { AllZeroScoresError } from '../../../engine/prune/all-zero-scores.js';
import { prune } from '../../../engine/prune/prune.js';
import type { WeightScores } from '../../../engine/prune/types.js';
import { weightSpec } from '../../../engine/prune/validate-scores.js';

// A score set that is 0 everywhere cannot rank neurons: every command that prunes refuses it
// instead of "pruning" to realized sparsity 0 without a word.

const SAMPLES = join(import.meta.dirname, '../../../assets/samples');

function constantScores(netName: string, value: (layer: number, i: number) => number): WeightScores {
  const net = buildNet(netName, { width: 0.125, inputSize: [16, 16, 16] });
  const layers = new Map(
    net.nodes.filter(isPrunable).map((node, n) => {
      const spec = weightSpec(net, node.name);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      return [
        node.name,
        {
          shape: spec.shape,
          outAxis: spec.outAxis,
          values: Float32Array.from({ length: size }, (_, i) => value(n, i)),
        },
      ];
    }),
  );
  return { net: net.name, task: net.task, samples: 1, inputSize: [16, 16, 16], source: 'test', layers };
}

describe('all-zero scores', () => {
  const net = buildNet('unet3d-brats', { width: 0.125, inputSize: [16, 16, 16] });

  it('prune() refuses them for every score-based method, naming the count and the cause', () => {
    const zeros = constantScores('unet3d-brats', () => 0);
    const weights = [...zeros.layers.values()].reduce((a, l) => a + l.values.length, 0);
    for (const method of ['ranp-f', 'vanilla', 'layerwise', 'weight-snip']) {
      expect(() => prune(net, zeros, { method, sparsity: 0.3 }), method).toThrow(AllZeroScoresError);
    }
    expect(() => prune(net, zeros, { method: 'ranp-f', sparsity: 0.3 })).toThrow(
      new RegExp(
        `^every weight score is 0 \\(${weights} weights in ${zeros.layers.size} layers of unet3d-brats`,
      ),
    );
    // Random pruning needs no scores, so it is unaffected.
    expect(
      prune(net, undefined, { method: 'random', sparsity: 0.3, seed: 1 }).report.realizedSparsity,
    ).toBeGreaterThan(0);
  });

  it('one nonzero weight is enough to rank (the per-layer warning still names the zero layers)', () => {
    const one = constantScores('unet3d-brats', (layer, i) => (layer === 0 && i === 0 ? 1 : 0));
    const result = prune(net, one, { method: 'vanilla', sparsity: 0.01 });
    expect(result.report.warnings.join()).toMatch(/all weight scores are 0 in /);
  });

  it('ranp prune on MobileNetV2 at 16×32² (really scored: every score is 0) fails with the reason', async () => {
    const io: CliIO = { out: () => {}, err: () => {}, interactive: false };
    const args = ['--net', 'mobilenetv2-3d', '--width', '0.25', '--synthetic', '--samples', '1'];
    const error = await pruneCommand
      .run([...args, '--input', '16x32x32', '--sparsity', '0.3'], io)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllZeroScoresError);
    expect((error as Error).message).toMatch(
      /synthetic scores, 1 sample\(s\) at 16x32x32.*'ranp-f' cannot rank/,
    );
  });

  it('an experiment on the UCF101 sample at 16×32² stops before training', async () => {
    const error = await runExperiment({
      task: 'ucf101',
      data: join(SAMPLES, 'ucf101'),
      net: 'mobilenetv2-3d',
      width: 0.25,
      inputSize: [16, 32, 32],
      prune: { sparsity: 0.3, scoringSamples: 1 },
      train: { epochs: 1, samplesPerEpoch: 1 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllZeroScoresError);
    expect((error as AllZeroScoresError).scores.source).toBe('samples');
  });
});
