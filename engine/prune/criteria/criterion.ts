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

/** What the UI, the CLI and the protocol know of a method (engine/domain/methods.ts collects them). */
export interface PruneMethodInfo {
  label: string;
  /** Whether the RANP resource weight λ applies. */
  usesLambda: boolean;
  /** Whether it reads weight scores (random pruning does not). */
  needsScores: boolean;
  /** Neurons (structured: the net gets smaller) or weights (unstructured masks, dense resources unchanged). */
  level: 'neuron' | 'weight';
}

/**
 * One pruning method. A new method is one file in criteria/ and one line in criteria/registry.ts:
 * its facts here (label, λ, scores, level) reach the protocol's method enum, the renderer and the
 * CLI through engine/domain/methods.ts, which derives its table from the registry.
 */
export interface PruneCriterion extends PruneMethodInfo {
  /** Its key in criteria/registry.ts. */
  name: string;
  summary: string;
  select(ctx: CriterionContext, sparsity: number): CriterionSelection;
}
