import type { NetDescription, Triple } from '../nn/description.js';
import type { ResourceTotals } from '../protocol/common.js';
import type { PruneReport } from '../prune/report.js';
import type { Evaluation } from '../train/evaluate.js';
import type { TrainResult } from '../train/loop.js';
import type { ExperimentConfig } from './config.js';
import type { NetRole } from './role-run.js';

export interface NetRunResult {
  role: NetRole;
  runId?: number;
  net: NetDescription;
  /** At the training input size, batch 1; feature-map memory in MB of float32 (docs/method.md section 4). */
  resources: ResourceTotals;
  training: Omit<TrainResult, 'lastCheckpoint' | 'bestCheckpoint'>;
  /** Final validation metrics (best checkpoint when validation ran, else last weights). */
  metrics: Record<string, number>;
  primaryMetric: string;
  confusion: Evaluation['confusion'];
  predictions: Evaluation['predictions'];
  checkpoint?: string;
}

export type CostRatioName =
  'flops' | 'params' | 'memory' | 'secondsPerStep' | 'peakTensorBytes' | 'peakRssBytes';

export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  inputSize: Triple;
  /** sparsity: the one pruned at (config.prune.sparsity, or the one the budget search found). */
  prune: { report: PruneReport; sparsity: number; realizedSparsity: number };
  unpruned?: NetRunResult;
  pruned: NetRunResult;
  /** pruned / unpruned (only with both runs). */
  ratios?: Record<CostRatioName, number>;
  /** pruned − unpruned per validation metric (only with both runs). */
  metricGaps?: Record<string, number>;
  outcome: 'completed' | 'cancelled';
}

/** The comparison of the paper's tables: cost ratios and accuracy gaps, pruned against unpruned. */
export function compareRuns(
  pruned: NetRunResult,
  unpruned: NetRunResult,
): Required<Pick<ExperimentResult, 'ratios' | 'metricGaps'>> {
  return {
    ratios: {
      flops: pruned.resources.flops / unpruned.resources.flops,
      params: pruned.resources.params / unpruned.resources.params,
      memory: pruned.resources.memoryMB / unpruned.resources.memoryMB,
      secondsPerStep: pruned.training.secondsPerStep / unpruned.training.secondsPerStep,
      peakTensorBytes: pruned.training.peakTensorBytes / unpruned.training.peakTensorBytes,
      peakRssBytes: pruned.training.peakRssBytes / unpruned.training.peakRssBytes,
    },
    metricGaps: Object.fromEntries(
      Object.keys(pruned.metrics).map((k) => [k, pruned.metrics[k] - (unpruned.metrics[k] ?? NaN)]),
    ),
  };
}
