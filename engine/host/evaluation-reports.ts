import type { RunDetail } from '../protocol/runs.js';
import type { Store } from '../store/index.js';
import type { ArtifactRecord } from '../store/types.js';
import { predictionFileName } from '../train/evaluate.js';
import type { Disposable } from '../util/disposable.js';

type PerSample = RunDetail['perSample'];

const REPORT = 'evaluation.json';

/**
 * Runs' stored evaluation reports (record-evaluation.ts writes them), each parsed once: runs.get and
 * every volume.get of a run's predictions need its per-sample ids. Keyed by the report's sha256, so an
 * entry never goes stale (artifacts are content-addressed); one small entry per evaluated run.
 */
export class EvaluationReports implements Disposable {
  private readonly parsed = new Map<string, PerSample>();

  /** The per-sample metrics of the run's evaluation report; none without one. */
  perSample(store: Store, runId: number): PerSample {
    return this.perSampleOf(store, runId, store.listArtifacts(runId));
  }

  /**
   * The run's stored predictions by sample id. A file is named after its sample's id with characters a
   * file name cannot hold replaced (predictionFileName: ShapeNet's '03636649/x' is '03636649_x.nii.gz'),
   * so the evaluation report's ids name them; a file no evaluated sample names keeps its own name.
   */
  predictionsBySample(store: Store, runId: number): Map<string, ArtifactRecord> {
    const artifacts = store.listArtifacts(runId);
    const ids = new Map(
      this.perSampleOf(store, runId, artifacts).map((s) => [predictionFileName(s.id), s.id]),
    );
    return new Map(
      artifacts
        .filter((a) => a.kind === 'prediction')
        .map((a) => [ids.get(a.name) ?? a.name.replace(/\.nii(\.gz)?$/, ''), a]),
    );
  }

  private perSampleOf(store: Store, runId: number, artifacts: readonly ArtifactRecord[]): PerSample {
    const report = artifacts.find((a) => a.kind === 'report' && a.name === REPORT);
    if (!report) return [];
    let perSample = this.parsed.get(report.hash);
    if (!perSample) {
      perSample = parsePerSample(store.readArtifact(runId, REPORT));
      this.parsed.set(report.hash, perSample);
    }
    return perSample;
  }

  dispose(): void {
    this.parsed.clear();
  }
}

function parsePerSample(json: Buffer): PerSample {
  const report = JSON.parse(json.toString('utf8')) as { perSample?: PerSample };
  // NaN metrics were stored as null by JSON: left out rather than failing the whole run.
  return (report.perSample ?? [])
    .filter((s) => typeof s.id === 'string' && typeof s.metrics === 'object' && s.metrics !== null)
    .map((s) => ({
      id: s.id,
      metrics: Object.fromEntries(Object.entries(s.metrics).filter(([, v]) => Number.isFinite(v))),
    }));
}
