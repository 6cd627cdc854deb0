import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/backend/index.js';
import type { Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import {
  EmptiedLayersError,
  createPruner,
  materialize,
  pruneWith,
  scoreWeights,
  searchMaxSparsity,
  type WeightScores,
} from '../../../engine/prune/index.js';
import { syntheticSamples } from '../../../engine/prune/synthetic.js';
import { lossFor } from '../../../engine/tasks/registry.js';

// Every zoo net end to end at a small size: score on (synthetic) samples → prune at the paper's
// sparsity → materialize → one SGD step. Small widths keep it within seconds on 2 cores.
const cases: { net: string; sparsity: number; input: Triple; width: number }[] = [
  { net: 'unet3d-shapenet', sparsity: 0.7824, input: [16, 16, 16], width: 0.25 },
  { net: 'unet3d-brats', sparsity: 0.7817, input: [16, 16, 16], width: 0.25 },
  { net: 'mobilenetv2-3d', sparsity: 0.3315, input: [16, 48, 48], width: 0.25 },
  { net: 'i3d', sparsity: 0.2532, input: [16, 112, 112], width: 0.125 },
];

beforeAll(async () => {
  await selectBackend();
});

describe.each(cases)('$net end to end', ({ net: name, sparsity, input, width }) => {
  const net = buildNet(name, { inputSize: input, width });
  const samples = syntheticSamples(net, input, 1, 5);
  let scores: WeightScores;

  beforeAll(async () => {
    const model = buildModel(net, { seed: 0 });
    scores = await scoreWeights(model, samples, { source: 'synthetic' });
    model.dispose();
  });

  it(`prunes with RANP-f at the paper's sparsity (or says which layer it empties), materializes and trains a step`, async () => {
    const pruner = createPruner(net, scores, { method: 'ranp-f', inputSize: input });
    const maxSparsity = searchMaxSparsity(pruner);
    if (maxSparsity < sparsity) {
      // Noise scores at a tiny input can make the paper's sparsity empty a layer: it must say so.
      expect(() => pruneWith(pruner, { sparsity })).toThrow(EmptiedLayersError);
    }
    const used = Math.min(sparsity, maxSparsity);
    const result = pruneWith(pruner, { sparsity: used });
    const { report } = result;
    console.info(
      `${name} ${input.join('x')} ×${width}: paper ${sparsity}, max ${maxSparsity.toFixed(4)}, realized ${report.realizedSparsity.toFixed(4)}, ` +
        `FLOPs ${report.resources.ratio.flops.toFixed(4)}, params ${report.resources.ratio.params.toFixed(4)}, memory ${report.resources.ratio.memory.toFixed(4)}`,
    );
    expect(report.requestedSparsity).toBe(used);
    expect(report.neurons.total).toBe(report.layers.reduce((n, l) => n + l.neurons, 0));
    // Coupling keeps partners, cleaning removes orphans: the realized sparsity is near the requested one.
    expect(report.realizedSparsity).toBeGreaterThan(0.5 * used);
    expect(report.resources.after.flops).toBeLessThan(report.resources.before.flops);
    expect(report.layers.find((l) => l.name === net.classifier)!.kept).toBe(net.classes);

    const { net: small } = materialize(net, result);
    const model = buildModel(small, { seed: 1 });
    const sample = samples[0];
    const x = tf.tensor5d(sample.input, [1, ...sample.inputShape]);
    const loss = lossFor(net.task);
    const lossOf = () => {
      const logits = model.forward(x, { training: true });
      return loss(logits, tf.tensor(sample.label, [logits.shape[0], ...logits.shape.slice(1, -1)], 'int32'));
    };
    const before = model.variables.get(`${net.classifier}.weight`)!.arraySync();
    const { value, grads } = tf.variableGrads(lossOf, model.trainableVariables());
    const first = value.arraySync();
    expect(Number.isFinite(first)).toBe(true);
    tf.tidy(() => {
      for (const v of model.trainableVariables()) v.assign(v.sub(grads[v.name].mul(0.01)));
    });
    expect(model.variables.get(`${net.classifier}.weight`)!.arraySync()).not.toEqual(before);
    const second = tf.tidy(() => lossOf().arraySync());
    expect(Number.isFinite(second)).toBe(true);
    tf.dispose([x, value, ...Object.values(grads)]);
    model.dispose();
  });
});

describe('RANP-f against vanilla SNIP on the 3D-UNet (BraTS) at equal sparsity', () => {
  it('removes more counted FLOPs', async () => {
    const input: Triple = [16, 16, 16];
    const net = buildNet('unet3d-brats', { inputSize: input, width: 0.25 });
    const model = buildModel(net, { seed: 0 });
    const scores = await scoreWeights(model, syntheticSamples(net, input, 1, 5));
    model.dispose();
    const ranp = createPruner(net, scores, { method: 'ranp-f', inputSize: input });
    const vanilla = createPruner(net, scores, { method: 'vanilla', inputSize: input });
    const sparsity = 0.9 * Math.min(searchMaxSparsity(ranp), searchMaxSparsity(vanilla));
    const ranpFlops = pruneWith(ranp, { sparsity }).report.resources.ratio.flops;
    const vanillaFlops = pruneWith(vanilla, { sparsity }).report.resources.ratio.flops;
    console.info(
      `unet3d-brats 16³ ×0.25 at sparsity ${sparsity.toFixed(4)}: FLOPs kept RANP-f ${ranpFlops.toFixed(4)}, vanilla ${vanillaFlops.toFixed(4)}`,
    );
    expect(ranpFlops).toBeLessThan(vanillaFlops);
  });
});
