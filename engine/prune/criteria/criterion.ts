import type { PruneMethodName } from '../../domain/methods.js';
import type { NetDescription } from '../../nn/description.js';
import type { ChannelGraph } from '../channels.js';
import type { Aggregation, NetResources, NeuronMask, NeuronScores, WeightScores } from '../types.js';

/** What a criterion may use to choose neurons. Scores and resources are computed on demand. */
export interface CriterionContext {
  net: NetDescription;
  graph: ChannelGraph;
  aggregation: Aggregation;
  /** λ of the resource reweighting; undefined = the task's default. */
  lambda: number | undefined;
  seed: number;
  /** Weight scores (throws a clear error when the criterion needs them and none were given). */
  weightScores(): WeightScores;
  /** Neuron importance with the chosen aggregation. */
  neuronScores(): NeuronScores;
  /** Resources of the FULL net at the pruning input size. */
  fullResources(): NetResources;
}

export type CriterionSelection =
  | {
      level: 'neuron';
      mask: NeuronMask;
      /** The scores the selection thresholded (after balancing/reweighting), for the report. */
      finalScores?: NeuronScores;
      threshold?: number;
      /** Settings that shaped the scores, e.g. { lambda: 11, resource: 'flops' }. */
      settings: Record<string, string | number | boolean>;
    }
  | {
      level: 'weight';
      /** Per prunable layer, 1 for kept weights (same layout as the weight scores). */
      weightMasks: Map<string, Uint8Array>;
      threshold: number;
      keptWeights: number;
      totalWeights: number;
      settings: Record<string, string | number | boolean>;
    };

/**
 * One pruning method. A new method: one file in criteria/, one line in criteria/registry.ts and
 * its row in engine/domain/methods.ts (label, whether λ applies, whether it reads scores).
 */
export interface PruneCriterion {
  name: PruneMethodName;
  summary: string;
  select(ctx: CriterionContext, sparsity: number): CriterionSelection;
}
