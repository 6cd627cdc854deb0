import * as tf from '@tensorflow/tfjs';
import type { NetDescription, Triple } from '../../engine/nn/description.js';
import { buildModel } from '../../engine/nn/model.js';
import { zooEntry } from '../../engine/nn/zoo/registry.js';
import { countResources } from '../../engine/resources/count.js';
import { lossFor } from '../../engine/tasks/registry.js';
import { createOptimizer } from '../../engine/train/optimizers/registry.js';
import { gflops, type CaseResult, type Scenario, type ScenarioContext } from '../scenario.js';
import { measure } from '../stats.js';
import { fullNet, ranpPruned, syntheticBatch, withInputSize } from '../nets.js';
import { kernelBreakdown } from '../profile.js';
import { peakRssMiB, resetPeakRss } from '../peak-rss.js';
import { TORCH_HINT, torchPython, torchStep } from '../torch-anchor.js';

const DEFAULT_NET = 'unet3d-shapenet';

export interface StepCase {
  spec: string;
  net: string;
  size: Triple;
  batch: number;
  /** Activation checkpointing (engine/nn/backprop.ts): the `+checkpoint` suffix. */
  checkpoint: boolean;
}

/**
 * `[NET:]SIZEbBATCH[+checkpoint]`, SIZE = N (cube) or DxHxW: e.g. 64b4, unet3d-brats:128b1,
 * i3d:16x224x224b2, 64b4+checkpoint (activation checkpointing on).
 */
export function parseStepCase(spec: string): StepCase {
  const m = /^(?:([a-z0-9-]+):)?(\d+)(?:x(\d+)x(\d+))?b(\d+)(\+checkpoint)?$/.exec(spec.trim());
  if (!m || Number(m[5]) < 1)
    throw new Error(
      `step case '${spec}': expected [NET:]SIZEbBATCH[+checkpoint] with SIZE = N or DxHxW, e.g. 64b2 or unet3d-brats:128b1+checkpoint`,
    );
  const net = m[1] ?? DEFAULT_NET;
  zooEntry(net);
  const size: Triple = m[3]
    ? [Number(m[2]), Number(m[3]), Number(m[4])]
    : [Number(m[2]), Number(m[2]), Number(m[2])];
  return { spec, net, size, batch: Number(m[5]), checkpoint: m[6] !== undefined };
}

/** Forward + backward + optimizer (SGD Nesterov 0.9, wd 1e-4, the paper's ShapeNet setup): one timed step. */
async function timeSteps(net: NetDescription, batch: number, checkpoint: boolean, ctx: ScenarioContext) {
  const model = buildModel(net, { seed: 1 });
  const optimizer = createOptimizer({ kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
  const loss = lossFor(net.task);
  const { x, labels } = syntheticBatch(net, batch);
  const step = () => {
    const {
      loss: value,
      grads,
      statUpdates,
    } = model.gradients(x, (logits) => loss(logits, labels), { seed: 0, checkpoint });
    value.dataSync();
    optimizer.apply(model.variables, grads, 0.1);
    // Read one updated weight back so the update itself is inside the timed step.
    model.trainableVariables()[0].dataSync();
    tf.dispose([value, ...grads.values(), ...statUpdates.values()]);
  };
  try {
    const timing = await measure(step, ctx);
    // One more step under the profiler: tfjs tracks every allocation, so this is the true peak.
    const profile = await tf.profile(step);
    return { timing, peakBytes: profile.peakBytes, breakdown: kernelBreakdown(profile.kernels) };
  } finally {
    tf.dispose([x, labels]);
    optimizer.dispose();
    model.dispose();
  }
}

const formatSize = (size: Triple) => (size.every((n) => n === size[0]) ? `${size[0]}³` : size.join('×'));

export const stepScenario: Scenario = {
  name: 'step',
  summary:
    'training step of any zoo net, unpruned and RANP-f pruned at the paper sparsity: ms, peak memory, FLOPs; PyTorch on the same net when installed',
  defaultCases: ['32b2', '64b1', '64b4', 'unet3d-brats:128b1'],
  cpuDefaultCases: ['32b1'],
  caseSyntax: '[NET:]SIZEbBATCH[+checkpoint], SIZE = N or DxHxW, e.g. 64b2, unet3d-brats:128b1+checkpoint',
  parseCase: parseStepCase,
  unavailable: async () => undefined,
  async run(specs, ctx) {
    const cases = specs.map(parseStepCase);
    if (!torchPython()) ctx.log(`step: ${TORCH_HINT}`);
    const pruned = new Map<string, NetDescription>();
    const results: CaseResult[] = [];
    for (const c of cases) {
      const full = fullNet(c.net, c.size);
      if (!pruned.has(c.net)) {
        // Scored at the first case's size: the pruned architecture, not its scores, sets speed and memory.
        ctx.log(
          `step: pruning ${c.net} with RANP-f at sparsity ${zooEntry(c.net).paperSparsity} (one synthetic ${formatSize(c.size)} sample)`,
        );
        pruned.set(c.net, await ranpPruned(full, c.net));
      }
      const variants = [
        { op: 'unpruned', net: full },
        { op: `ranp-f ${zooEntry(c.net).paperSparsity}`, net: withInputSize(pruned.get(c.net)!, c.size) },
      ];
      const fullFlops = countResources(variants[0].net).totals.flops * c.batch;
      let fullMs: number | undefined;
      for (const v of variants) {
        // The paper's convention (multiply-add = 1), forward pass, batch included.
        const countedFlops = countResources(v.net).totals.flops * c.batch;
        const torch = torchStep(v.net, c.size, c.batch, ctx);
        const rssReset = resetPeakRss();
        const { timing, peakBytes, breakdown } = await timeSteps(v.net, c.batch, c.checkpoint, ctx);
        const rssMiB = rssReset ? peakRssMiB() : undefined;
        fullMs ??= timing.medianMs;
        // A training step is ~3 forward passes of work (forward, input gradient, weight gradient), 2 FLOPs per multiply-add.
        const stepFlops = 3 * 2 * countedFlops;
        const peakMiB = peakBytes / 2 ** 20;
        const result: CaseResult = {
          case: `${c.net} ${formatSize(c.size)} b${c.batch}${c.checkpoint ? ' checkpointed' : ''}`,
          op: v.op,
          timing,
          flops: stepFlops,
          ...gflops(stepFlops, timing),
          extra: {
            countedForwardFlops: countedFlops,
            countedFlopsRatio: countedFlops / fullFlops,
            realizedSpeedup: fullMs / timing.medianMs,
            countedSpeedup: fullFlops / countedFlops,
            peakTensorMiB: peakMiB,
            ...(rssMiB === undefined ? {} : { processPeakRssMiB: rssMiB }),
            ...(torch
              ? {
                  torchVersion: torch.torch,
                  torchMedianMs: torch.medianMs,
                  torchPeakRssMiB: torch.maxRssMiB,
                  torchRssAfterImportMiB: torch.rssAfterImportMiB,
                  speedVsTorch: torch.medianMs / timing.medianMs,
                  peakVsTorchRss: peakMiB / torch.maxRssMiB,
                }
              : {}),
            ...breakdown,
          },
        };
        ctx.log(
          `  step ${c.spec} ${v.op}: ${timing.medianMs.toFixed(0)} ms/step, peak ${peakMiB.toFixed(0)} MiB` +
            (rssMiB === undefined ? '' : ` (process RSS ${rssMiB.toFixed(0)} MiB)`) +
            (torch
              ? ` | PyTorch ${torch.medianMs.toFixed(0)} ms, peak RSS ${torch.maxRssMiB.toFixed(0)} MiB → speed ×${(torch.medianMs / timing.medianMs).toFixed(2)}, memory ×${(peakMiB / torch.maxRssMiB).toFixed(2)}`
              : '') +
            ` | FLOPs ratio ${(countedFlops / fullFlops).toFixed(3)}, realized speedup ${(fullMs / timing.medianMs).toFixed(2)}×, ` +
            `conv ${(Number(breakdown.convShare) * 100).toFixed(0)}% of kernel time`,
        );
        results.push(result);
      }
    }
    return results;
  },
};
