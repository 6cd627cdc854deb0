import type { RunDetail } from '../../protocol/runs.js';
import type { Store } from '../../store/index.js';
import type { ArtifactRecord } from '../../store/types.js';
import { predictionFileName } from '../../train/evaluate.js';

type PerSample = RunDetail['perSample'];

/** The per-sample metrics of the run's stored evaluation report (record-evaluation.ts writes it). */
export function evaluationPerSample(store: Store, id: number): PerSample {
  if (!store.listArtifacts(id).some((a) => a.kind === 'report' && a.name === 'evaluation.json')) return [];
  const report = JSON.parse(store.readArtifact(id, 'evaluation.json').toString('utf8')) as {
    perSample?: PerSample;
  };
  // NaN metrics were stored as null by JSON: left out rather than failing the whole run.
  return (report.perSample ?? [])
    .filter((s) => typeof s.id === 'string' && typeof s.metrics === 'object' && s.metrics !== null)
    .map((s) => ({
      id: s.id,
      metrics: Object.fromEntries(Object.entries(s.metrics).filter(([, v]) => Number.isFinite(v))),
    }));
}

/**
 * The run's stored predictions by sample id. A file is named after its sample's id with characters a
 * file name cannot hold replaced (predictionFileName: ShapeNet's '03636649/x' is '03636649_x.nii.gz'),
 * so the evaluation report's ids name them; a file no evaluated sample names keeps its own name.
 */
export function predictionsBySample(store: Store, id: number): Map<string, ArtifactRecord> {
  const artifacts = store.listArtifacts(id).filter((a) => a.kind === 'prediction');
  const ids = new Map(evaluationPerSample(store, id).map((s) => [predictionFileName(s.id), s.id]));
  return new Map(artifacts.map((a) => [ids.get(a.name) ?? a.name.replace(/\.nii(\.gz)?$/, ''), a]));
}
