import { basename } from 'node:path';
import type { Store } from '../store/index.js';
import type { Evaluation } from '../train/evaluate.js';

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
