import type { NetDescription, Triple } from '../nn/description.js';
import type { ChannelGraph } from './channels.js';
import type { CleanedChannels } from './cleaning.js';
import type { CriterionSelection, PruneCriterion } from './criteria/criterion.js';
import type {
  Aggregation,
  NetResources,
  NeuronScores,
  ResourceBudget,
  ResourceCounter,
  WeightScores,
} from './types.js';

export interface PrunerOptions {
  /** A method of engine/prune/criteria/registry.ts (or an alias of one). */
  method: string;
  /** λ of RANP's reweighting; default the task's (engine/domain/tasks.ts). */
  lambda?: number;
  aggregation?: Aggregation;
  /** Input size at which resources are counted (reweighting, report, budgets); default net.inputSize. */
  inputSize?: Triple;
  /** Seed of random pruning. */
  seed?: number;
  countResources?: ResourceCounter;
}

export interface PruneOptions extends PrunerOptions {
  /** Neuron sparsity in [0, 1]. Exactly one of sparsity and budget. */
  sparsity?: number;
  /** The smallest sparsity whose cleaned net meets this resource target. */
  budget?: ResourceBudget;
}

/** The outcome of one sparsity, before anything is materialized. */
export interface PruneEvaluation {
  sparsity: number;
  selection: CriterionSelection;
  cleaned: CleanedChannels;
}

/**
 * Everything that does not depend on the sparsity, computed once: the channel graph, neuron
 * scores, full-net resources. Searches evaluate many sparsities on one pruner (no data needed).
 */
export interface Pruner {
  net: NetDescription;
  graph: ChannelGraph;
  criterion: PruneCriterion;
  options: Required<Omit<PrunerOptions, 'lambda' | 'countResources'>> & { lambda: number | undefined };
  scores: WeightScores | undefined;
  neuronScores(): NeuronScores;
  fullResources(): NetResources;
  evaluate(sparsity: number): PruneEvaluation;
  /** The pruned description of an evaluation (channel counts after cleaning). */
  describe(evaluation: PruneEvaluation): NetDescription;
  resourcesOf(net: NetDescription): NetResources;
}
