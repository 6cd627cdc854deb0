import type { NetDescription } from '../nn/description.js';
import { rejectAllZeroScores } from './all-zero-scores.js';
import { buildChannelGraph, type ChannelGraph } from './channels.js';
import { cleanChannels, type CleanedChannels } from './cleaning.js';
import type { CriterionContext, CriterionSelection } from './criteria/criterion.js';
import { criterionFor } from './criteria/registry.js';
import { neuronImportance } from './importance.js';
import { prunedDescription } from './pruned-net.js';
import type { PruneOptions, Pruner, PrunerOptions } from './pruner.js';
import { buildReport, type PruneReport } from './report.js';
import { countNetResources } from './resources.js';
import { sparsityForBudget } from './search.js';
import { checkSparsity } from './selection.js';
import type { NetResources, NeuronMask, NeuronScores, WeightScores } from './types.js';
import { validateScores } from './validate-scores.js';

export type { PruneEvaluation, PruneOptions, Pruner, PrunerOptions } from './pruner.js';

export function createPruner(
  net: NetDescription,
  scores: WeightScores | undefined,
  options: PrunerOptions,
): Pruner {
  const criterion = criterionFor(options.method);
  const { needsScores } = criterion;
  if (needsScores && !scores) {
    throw new Error(`method '${criterion.name}' needs weight scores (score with data or load a score file)`);
  }
  if (scores) validateScores(net, scores);
  if (scores && needsScores) rejectAllZeroScores(scores, criterion.name);
  const graph = buildChannelGraph(net);
  const settings = {
    method: criterion.name,
    aggregation: options.aggregation ?? 'sum',
    inputSize: options.inputSize ?? net.inputSize,
    seed: options.seed ?? 0,
    lambda: options.lambda,
  };
  const count = options.countResources ?? countNetResources;
  let cachedNeuronScores: NeuronScores | undefined;
  let cachedResources: NetResources | undefined;
  const pruner: Pruner = {
    net,
    graph,
    criterion,
    options: settings,
    scores,
    neuronScores() {
      if (!scores) throw new Error(`method '${criterion.name}': no weight scores were given`);
      cachedNeuronScores ??= neuronImportance(scores, settings.aggregation);
      return cachedNeuronScores;
    },
    fullResources() {
      if (!cachedResources) cachedResources = count(net, settings.inputSize);
      return cachedResources;
    },
    evaluate(sparsity) {
      checkSparsity(sparsity);
      const context: CriterionContext = {
        net,
        graph,
        aggregation: settings.aggregation,
        lambda: settings.lambda,
        seed: settings.seed,
        weightScores: () => {
          if (!scores) throw new Error(`method '${criterion.name}': no weight scores were given`);
          return scores;
        },
        neuronScores: () => pruner.neuronScores(),
        fullResources: () => pruner.fullResources(),
      };
      const selection = criterion.select(context, sparsity);
      const cleaned =
        selection.level === 'neuron'
          ? cleanChannels(graph, selection.mask)
          : weightLevelChannels(pruner, selection);
      return { sparsity, selection, cleaned };
    },
    describe(evaluation) {
      return prunedDescription(graph, evaluation.cleaned.keptGroups, {
        prunedFrom: net.name,
        pruneMethod: criterion.name,
        requestedSparsity: evaluation.sparsity,
      });
    },
    resourcesOf(description) {
      return count(description, settings.inputSize);
    },
  };
  return pruner;
}

/** Weight-level masks keep every neuron (the dense net is unchanged); a layer with no weight left is emptied. */
function weightLevelChannels(
  pruner: Pruner,
  selection: Extract<CriterionSelection, { level: 'weight' }>,
): CleanedChannels {
  const keptNeurons: NeuronMask = new Map();
  const emptiedLayers: string[] = [];
  for (const layer of pruner.graph.prunable) {
    keptNeurons.set(layer.name, new Uint8Array(layer.neurons).fill(1));
    if (!selection.weightMasks.get(layer.name)?.some((v) => v === 1)) emptiedLayers.push(layer.name);
  }
  return {
    keptGroups: new Uint8Array(pruner.graph.groupCount).fill(1),
    keptNeurons,
    emptiedLayers,
    emptiedBySelection: emptiedLayers,
    keptByCoupling: 0,
    removedByCleaning: 0,
  };
}

/** Pruning emptied one or more layers; the reference fails here too rather than patch the net. */
export class EmptiedLayersError extends Error {
  constructor(
    readonly layers: string[],
    readonly sparsity: number,
    readonly method: string,
    /** The layers the selection left empty; the others were emptied by cleaning after them. */
    readonly causes: string[] = layers,
  ) {
    const list = (names: string[]) => names.map((l) => `'${l}'`).join(', ');
    const followers = layers.filter((l) => !causes.includes(l));
    super(
      `${method} at sparsity ${sparsity} removes every neuron of layer(s) ${list(causes)}` +
        (followers.length ? ` (and so, by cleaning, of ${list(followers)})` : '') +
        `; lower the sparsity (ranp prune --max-sparsity finds the largest that works)`,
    );
    this.name = 'EmptiedLayersError';
  }
}

export interface PruneResult {
  /** Per prunable layer, 1 for neurons kept after coupling and cleaning. */
  keptNeurons: NeuronMask;
  /** The physically smaller description (channel counts after cleaning). */
  prunedNet: NetDescription;
  report: PruneReport;
  /** Weight-level methods only: per layer, 1 for kept weights (layout of the weight scores). */
  weightMasks?: Map<string, Uint8Array>;
  /** Kept channel groups; materialize() maps them to channel positions. */
  keptGroups: Uint8Array;
  graph: ChannelGraph;
}

/** Prune `net` with `scores` at a sparsity, or at the sparsity that meets a resource budget. */
export function prune(
  net: NetDescription,
  scores: WeightScores | undefined,
  options: PruneOptions,
): PruneResult {
  const pruner = createPruner(net, scores, options);
  return pruneWith(pruner, options);
}

export function pruneWith(pruner: Pruner, options: Pick<PruneOptions, 'sparsity' | 'budget'>): PruneResult {
  if ((options.sparsity === undefined) === (options.budget === undefined)) {
    throw new Error('prune: give exactly one of sparsity and budget');
  }
  const budgetSearch = options.budget ? sparsityForBudget(pruner, options.budget) : undefined;
  const sparsity = budgetSearch ? budgetSearch.sparsity : options.sparsity!;
  const evaluation = pruner.evaluate(sparsity);
  if (evaluation.cleaned.emptiedLayers.length) {
    const { emptiedLayers, emptiedBySelection } = evaluation.cleaned;
    throw new EmptiedLayersError(
      emptiedLayers,
      sparsity,
      pruner.criterion.name,
      emptiedBySelection.length ? emptiedBySelection : emptiedLayers,
    );
  }
  const prunedNet = pruner.describe(evaluation);
  const report = buildReport(pruner, evaluation, prunedNet, budgetSearch);
  prunedNet.meta.realizedSparsity = report.realizedSparsity;
  return {
    keptNeurons: evaluation.cleaned.keptNeurons,
    prunedNet,
    report,
    ...(evaluation.selection.level === 'weight' ? { weightMasks: evaluation.selection.weightMasks } : {}),
    keptGroups: evaluation.cleaned.keptGroups,
    graph: pruner.graph,
  };
}
