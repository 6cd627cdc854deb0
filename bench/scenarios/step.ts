import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../engine/nn/model.js';
import type { NetDescription } from '../../engine/nn/description.js';
import { countResources } from '../../engine/resources/count.js';
import { lossFor } from '../../engine/train/losses/registry.js';
import { createOptimizer } from '../../engine/train/optimizers/registry.js';
import { gflops, type CaseResult, type Scenario, type ScenarioContext } from '../scenario.js';
import { measure } from '../stats.js';
import { fullUnet, PAPER_SPARSITY, ranpPrunedUnet, syntheticBatch, withInputSize } from '../unet.js';
import { kernelBreakdown } from '../profile.js';

/** `SIZEbBATCH`, e.g. 64b2: one ShapeNet 3D-UNet training step on a SIZE³ batch. */
export function parseStepCase(spec: string): { spec: string; size: number; batch: number } {
  const m = /^(\d+)b(\d+)$/.exec(spec.trim());
  if (!m || Number(m[1]) < 8 || Number(m[1]) % 8 !== 0 || Number(m[2]) < 1)
    throw new Error(
      `step case '${spec}': expected SIZEbBATCH with SIZE a multiple of 8 (3 poolings), e.g. 64b2`,
    );
  return { spec, size: Number(m[1]), batch: Number(m[2]) };
}

/** Forward + backward + optimizer (SGD Nesterov 0.9, wd 1e-4, the paper's ShapeNet setup): one timed step. */
async function timeSteps(net: NetDescription, size: number, batch: number, ctx: ScenarioContext) {
  const model = buildModel(net, { seed: 1 });
  const optimizer = createOptimizer({ kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
  const loss = lossFor('shapenet');
  const { x, labels } = syntheticBatch(size, batch);
  const step = () => {
    const {
      loss: value,
      grads,
      statUpdates,
    } = model.gradients(x, (logits) => loss(logits, labels), {
      seed: 0,
    });
    value.dataSync();
    optimizer.apply(model.variables, grads, 0.1);
    // Read one updated weight back so the update itself is inside the timed step.
    model.trainableVariables()[0].dataSync();
    tf.dispose([value, ...grads.values(), ...statUpdates.values()]);
  };
  try {
    const timing = await measure(step, ctx);
    // One more step under the profiler: peak tensor memory and where the time goes by kernel.
    const profile = await tf.profile(step);
    return { timing, peakBytes: profile.peakBytes, breakdown: kernelBreakdown(profile.kernels) };
  } finally {
    tf.dispose([x, labels]);
    optimizer.dispose();
    model.dispose();
  }
}

export const stepScenario: Scenario = {
  name: 'step',
  summary:
    'ShapeNet 3D-UNet training step, unpruned and RANP-f pruned at the paper sparsity: ms, peak memory, FLOPs',
  defaultCases: ['32b1', '32b2', '64b1', '64b2'],
  cpuDefaultCases: ['32b1'],
  caseSyntax: 'SIZEbBATCH, e.g. 64b2 (SIZE a multiple of 8)',
  parseCase: parseStepCase,
  unavailable: async () => undefined,
  async run(specs, ctx) {
    const cases = specs.map(parseStepCase);
    const scoringSize = Math.min(...cases.map((c) => c.size));
    ctx.log(
      `step: pruning the 3D-UNet with RANP-f at sparsity ${PAPER_SPARSITY} (scored on one synthetic ${scoringSize}³ sample)`,
    );
    const pruned = await ranpPrunedUnet(scoringSize);
    const results: CaseResult[] = [];
    for (const c of cases) {
      const variants = [
        { op: 'unpruned', net: fullUnet(c.size) },
        { op: `ranp-f ${PAPER_SPARSITY}`, net: withInputSize(pruned, c.size) },
      ];
      const fullFlops = countResources(variants[0].net).totals.flops * c.batch;
      let fullMs: number | undefined;
      for (const v of variants) {
        // The paper's convention (multiply-add = 1), forward pass, batch included.
        const countedFlops = countResources(v.net).totals.flops * c.batch;
        const { timing, peakBytes, breakdown } = await timeSteps(v.net, c.size, c.batch, ctx);
        fullMs ??= timing.medianMs;
        // A training step is ~3 forward passes of work (forward, input gradient, weight gradient), 2 FLOPs per multiply-add.
        const stepFlops = 3 * 2 * countedFlops;
        const result: CaseResult = {
          case: `unet3d-shapenet ${c.size}³ b${c.batch}`,
          op: v.op,
          timing,
          flops: stepFlops,
          ...gflops(stepFlops, timing),
          extra: {
            countedForwardFlops: countedFlops,
            countedFlopsRatio: countedFlops / fullFlops,
            realizedSpeedup: fullMs / timing.medianMs,
            countedSpeedup: fullFlops / countedFlops,
            peakTensorMiB: peakBytes / 2 ** 20,
            ...breakdown,
          },
        };
        ctx.log(
          `  step ${c.spec} ${v.op}: ${timing.medianMs.toFixed(0)} ms/step, peak ${(peakBytes / 2 ** 20).toFixed(0)} MiB, ` +
            `FLOPs ratio ${(countedFlops / fullFlops).toFixed(3)}, realized speedup ${(fullMs / timing.medianMs).toFixed(2)}×, ` +
            `conv ${(Number(breakdown.convShare) * 100).toFixed(0)}% of kernel time`,
        );
        results.push(result);
      }
    }
    return results;
  },
};
