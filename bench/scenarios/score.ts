import { buildModel } from '../../engine/nn/model.js';
import { prune } from '../../engine/prune/prune.js';
import { scoreWeights } from '../../engine/prune/score.js';
import { countResources } from '../../engine/resources/count.js';
import type { CaseResult, Scenario } from '../scenario.js';
import { measure } from '../stats.js';
import { zooEntry } from '../../engine/nn/zoo/registry.js';
import { fullNet, syntheticSample } from '../nets.js';

const UNET = 'unet3d-shapenet';

/** `SIZEnSAMPLES`, e.g. 64n2: RANP scores of the full ShapeNet 3D-UNet from SAMPLES SIZE³ samples. */
export function parseScoreCase(spec: string): { spec: string; size: number; samples: number } {
  const m = /^(\d+)n(\d+)$/.exec(spec.trim());
  if (!m || Number(m[1]) < 8 || Number(m[1]) % 8 !== 0 || Number(m[2]) < 1)
    throw new Error(`score case '${spec}': expected SIZEnSAMPLES with SIZE a multiple of 8, e.g. 64n1`);
  return { spec, size: Number(m[1]), samples: Number(m[2]) };
}

export const scoreScenario: Scenario = {
  name: 'score',
  summary:
    'time to score the full ShapeNet 3D-UNet with RANP (weight scores over samples, then RANP-f selection)',
  defaultCases: ['32n1', '64n1'],
  cpuDefaultCases: ['32n1'],
  caseSyntax: 'SIZEnSAMPLES, e.g. 64n1',
  parseCase: parseScoreCase,
  unavailable: async () => undefined,
  async run(specs, ctx) {
    const results: CaseResult[] = [];
    for (const c of specs.map(parseScoreCase)) {
      const net = fullNet(UNET, [c.size, c.size, c.size]);
      const model = buildModel(net, { seed: 1 });
      const samples = Array.from({ length: c.samples }, (_, i) => syntheticSample(net, `synthetic-${i}`));
      try {
        let pruneMs = 0;
        const timing = await measure(async () => {
          const scores = await scoreWeights(model, samples, { source: 'synthetic' });
          const t = performance.now();
          prune(net, scores, { method: 'ranp-f', sparsity: zooEntry(UNET).paperSparsity });
          pruneMs = performance.now() - t;
        }, ctx);
        const flops = countResources(net).totals.flops;
        results.push({
          case: `${UNET} ${c.size}³ ×${c.samples}`,
          op: 'score + ranp-f',
          timing,
          extra: {
            msPerSample: timing.medianMs / c.samples,
            lastPruneMs: pruneMs,
            countedForwardFlops: flops,
          },
        });
        ctx.log(
          `  score ${c.spec}: ${timing.medianMs.toFixed(0)} ms (${(timing.medianMs / c.samples).toFixed(0)} ms/sample; selection ${pruneMs.toFixed(0)} ms)`,
        );
      } finally {
        model.dispose();
      }
    }
    return results;
  },
};
