import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { finalMetricName } from '../domain/metric-names.js';
import type { NetDescription } from '../nn/description.js';
import type { PruneReport } from '../prune/report.js';
import type { Store } from '../store/index.js';
import type { Evaluation } from '../train/evaluate.js';
import type { ResourceTotals } from '../protocol/common.js';
import type { NetRunResult } from './result.js';
import type { NetRole } from './role-run.js';

/** Stores an evaluation's predictions and its report (metrics, confusion, per sample) as artifacts of a run. */
export function recordEvaluationArtifacts(store: Store, runId: number, evaluation: Evaluation): void {
  for (const p of evaluation.predictions)
    store.addArtifact(runId, { kind: 'prediction', name: basename(p.file), source: { file: p.file } });
  const report = {
    metrics: evaluation.metrics,
    confusion: evaluation.confusion,
    perSample: evaluation.perSample,
  };
  store.addArtifact(runId, {
    kind: 'report',
    name: 'evaluation.json',
    source: { bytes: Buffer.from(JSON.stringify(report)) },
  });
}

/**
 * Phase "record", before training: the net trained, and for the pruned role the per-layer prune
 * report and, when it was pruned for a budget, the sparsity found.
 */
export function recordRoleStart(
  store: Store,
  runId: number,
  role: NetRole,
  net: NetDescription,
  report: PruneReport,
): void {
  store.addArtifact(runId, {
    kind: 'net',
    name: 'net.json',
    source: { bytes: Buffer.from(JSON.stringify(net)) },
  });
  if (role !== 'pruned') return;
  recordPruneReport(store, runId, report);
  // Created with no sparsity (the budget's search had not run yet): the one found is the run's.
  if (report.budget) store.setRunSparsity(runId, report.budget.sparsity);
}

/** A prune report as store rows: one per prunable layer, with the summary and realized sparsity. */
export function recordPruneReport(store: Store, runId: number, report: PruneReport): void {
  store.recordPruneReport(runId, {
    layers: report.layers.map((l) => ({
      layer: l.name,
      kept: l.kept,
      total: l.neurons,
      flopsBefore: l.before.flops,
      flopsAfter: l.after.flops,
      paramsBefore: l.before.params,
      paramsAfter: l.after.params,
    })),
    summary: report.summary,
    realizedSparsity: report.realizedSparsity,
  });
}

/**
 * Phase "record", after the final evaluation: predictions, checkpoints, the final metrics with the
 * measured and counted costs as one last epoch row, and the run marked completed.
 */
export function recordRoleEnd(
  store: Store,
  runId: number,
  evaluation: Evaluation,
  training: NetRunResult['training'],
  resources: ResourceTotals,
  checkpoints: (string | undefined)[],
): void {
  recordEvaluationArtifacts(store, runId, evaluation);
  for (const file of checkpoints)
    if (file && existsSync(file))
      store.addArtifact(runId, { kind: 'checkpoint', name: basename(file), source: { file } });
  store.recordEpoch(runId, {
    epoch: training.history.length + 1,
    metrics: [
      ...Object.entries(evaluation.metrics).map(([name, value]) => ({ name: finalMetricName(name), value })),
      { name: 'seconds per step', value: training.secondsPerStep },
      { name: 'peak tensor MB', value: training.peakTensorBytes / 2 ** 20 },
      { name: 'peak process RSS MB', value: training.peakRssBytes / 2 ** 20 },
      { name: 'FLOPs', value: resources.flops },
      { name: 'params', value: resources.params },
      { name: 'memory MB', value: resources.memoryMB },
    ],
    system: { peakMemoryBytes: training.peakRssBytes },
  });
  store.updateRunStatus(runId, 'completed');
}
