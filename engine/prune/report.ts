import type { MemoryConvention } from '../domain/memory.js';
import { withMemoryMB, type ResourceCounts, type ResourceTotals } from '../resources/count.js';
import type { Triple } from '../nn/description.js';
import type { Pruner, PruneEvaluation } from './pruner.js';
import { keptPositions } from './pruned-net.js';
import type { BudgetSearch } from './search.js';
import type { NetDescription } from '../nn/description.js';

export interface ScoreSummary {
  min: number;
  median: number;
  max: number;
  /** Counts in `bins` equal-width bins over [min, max]. */
  histogram: number[];
}

export interface LayerReport {
  name: string;
  kind: string;
  neurons: number;
  /** Neurons the criterion selected (before coupling and cleaning). */
  selected: number;
  /** Neurons kept after coupling and cleaning. */
  kept: number;
  inChannels: { before: number; after: number };
  outChannels: { before: number; after: number };
  /** Distribution of the scores the selection thresholded (null for random). */
  scores: ScoreSummary | null;
  before: ResourceCounts;
  after: ResourceCounts;
}

export interface PruneReport {
  net: string;
  task: string;
  method: string;
  summary: string;
  /** Options and criterion settings (λ, resource, aggregation, seed…). */
  settings: Record<string, string | number | boolean>;
  scoresSource: { source: string; samples: number; inputSize: Triple } | null;
  requestedSparsity: number;
  /** 1 − kept/N over all prunable neurons after coupling and cleaning. */
  realizedSparsity: number;
  neurons: {
    total: number;
    selected: number;
    kept: number;
    keptByCoupling: number;
    removedByCleaning: number;
  };
  threshold: number | null;
  layers: LayerReport[];
  resources: {
    inputSize: Triple;
    /** Which outputs the memory figures sum (engine/domain/memory.ts); null from a custom counter. */
    memoryConvention: MemoryConvention | null;
    before: ResourceTotals;
    after: ResourceTotals;
    /** after / before. */
    ratio: { flops: number; params: number; memory: number };
  };
  /** Weight-level methods: their effect is on weight counts only, not on dense resources. */
  weightLevel?: {
    keptWeights: number;
    totalWeights: number;
    nonzeroFraction: number;
    note: string;
  };
  budget?: BudgetSearch;
  /** Things that make the result doubtful, e.g. layers whose scores are all zero. */
  warnings: string[];
}

const HISTOGRAM_BINS = 10;

/**
 * Layers whose weight scores are all zero cannot be ranked; the usual cause is train-mode
 * normalization over a single value per channel (batch 1 at a 1×1×1 feature map).
 */
function zeroScoreWarnings(pruner: Pruner): string[] {
  if (!pruner.scores) return [];
  const zero = [...pruner.scores.layers]
    .filter(([, s]) => s.values.every((v) => v === 0))
    .map(([name]) => name);
  return zero.length
    ? [
        `all weight scores are 0 in ${zero.join(', ')}: these neurons tie at the bottom; batch-1 train-mode ` +
          `normalization over a 1×1×1 feature map gives zero gradients, so score at a larger input size`,
      ]
    : [];
}

export function summarizeScores(values: ArrayLike<number>, bins = HISTOGRAM_BINS): ScoreSummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const min = sorted[0];
  const max = sorted[n - 1];
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const histogram = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (const v of sorted) histogram[width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0] += 1;
  return { min, median, max, histogram };
}

const ZERO: ResourceCounts = { flops: 0, params: 0, memoryElements: 0 };
const ratio = (after: number, before: number): number => (before > 0 ? after / before : 1);

export function buildReport(
  pruner: Pruner,
  evaluation: PruneEvaluation,
  prunedNet: NetDescription,
  budget: BudgetSearch | undefined,
): PruneReport {
  const { net, graph, criterion, scores } = pruner;
  const { selection, cleaned } = evaluation;
  const full = pruner.fullResources();
  const pruned = pruner.resourcesOf(prunedNet);
  const allGroups = new Uint8Array(graph.groupCount).fill(1);

  let total = 0;
  let selectedCount = 0;
  let keptCount = 0;
  const layers: LayerReport[] = graph.prunable.map((layer) => {
    const kept = cleaned.keptNeurons.get(layer.name)!.reduce((a, b) => a + b, 0);
    const selectedMask = selection.level === 'neuron' ? selection.mask.get(layer.name)! : undefined;
    const selected = selectedMask ? selectedMask.reduce((a, b) => a + b, 0) : layer.neurons;
    const finalScores = selection.level === 'neuron' ? selection.finalScores?.get(layer.name) : undefined;
    total += layer.neurons;
    selectedCount += selected;
    keptCount += kept;
    const input = layer.node.inputs[0];
    return {
      name: layer.name,
      kind: layer.node.kind,
      neurons: layer.neurons,
      selected,
      kept,
      inChannels: {
        before: layer.inputGroups.length,
        after: keptPositions(graph, input, cleaned.keptGroups).length,
      },
      outChannels: { before: keptPositions(graph, layer.name, allGroups).length, after: kept },
      scores: finalScores ? summarizeScores(finalScores) : null,
      before: full.perLayer.get(layer.name) ?? ZERO,
      after: pruned.perLayer.get(layer.name) ?? ZERO,
    };
  });

  const report: PruneReport = {
    net: net.name,
    task: net.task,
    method: criterion.name,
    summary: criterion.summary,
    settings: {
      aggregation: pruner.options.aggregation,
      ...selection.settings,
    },
    scoresSource: scores
      ? { source: scores.source, samples: scores.samples, inputSize: scores.inputSize }
      : null,
    requestedSparsity: evaluation.sparsity,
    realizedSparsity: total > 0 ? 1 - keptCount / total : 0,
    neurons: {
      total,
      selected: selectedCount,
      kept: keptCount,
      keptByCoupling: cleaned.keptByCoupling,
      removedByCleaning: cleaned.removedByCleaning,
    },
    threshold: selection.level === 'neuron' ? (selection.threshold ?? null) : selection.threshold,
    layers,
    warnings: zeroScoreWarnings(pruner),
    resources: {
      inputSize: pruner.options.inputSize,
      memoryConvention: full.memoryConvention ?? null,
      before: withMemoryMB(full.total),
      after: withMemoryMB(pruned.total),
      ratio: {
        flops: ratio(pruned.total.flops, full.total.flops),
        params: ratio(pruned.total.params, full.total.params),
        memory: ratio(pruned.total.memoryElements, full.total.memoryElements),
      },
    },
  };
  if (selection.level === 'weight') {
    report.weightLevel = {
      keptWeights: selection.keptWeights,
      totalWeights: selection.totalWeights,
      nonzeroFraction: selection.totalWeights ? selection.keptWeights / selection.totalWeights : 1,
      note: 'unstructured weight masks: counted dense FLOPs and feature-map memory are unchanged without sparse kernels',
    };
  }
  if (budget) report.budget = budget;
  return report;
}
