import fs from 'node:fs';
import path from 'node:path';
import { toCsv } from './csv.js';
import type { StoreApi } from './store-api.js';
import type { JsonObject, MetricRow, RunRecord, StoredPruneReport, SystemMetricsRow } from './types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const RUN_CSV_HEADER = [
  'id',
  'uuid',
  'project',
  'name',
  'task',
  'dataset',
  'net',
  'method',
  'sparsity',
  'lambda',
  'seed',
  'role',
  'parent_run_id',
  'status',
  'error',
  'backend',
  'device',
  'app_version',
  'created_at',
  'started_at',
  'ended_at',
  'config_json',
  'environment_json',
  'origin',
] as const;

/** One row per run; the full config and the environment as JSON columns. */
export function runsToCsv(runs: readonly RunRecord[]): string {
  return toCsv(
    RUN_CSV_HEADER,
    runs.map((r) => [
      r.id,
      r.uuid,
      r.project,
      r.name,
      r.task,
      r.dataset,
      r.net,
      r.method,
      r.sparsity,
      r.lambda,
      r.seed,
      r.role,
      r.parentRunId,
      r.status,
      r.error,
      r.backend,
      r.device,
      r.appVersion,
      iso(r.createdAt),
      iso(r.startedAt),
      iso(r.endedAt),
      JSON.stringify(r.config),
      r.environment === null ? null : JSON.stringify(r.environment),
      r.origin,
    ]),
  );
}

export const METRIC_CSV_HEADER = ['run_id', 'step', 'epoch', 'name', 'value', 'wall_time'] as const;

/** Long format (one value per row), wall time in ms since the epoch; numbers round-trip exactly. */
export function metricsToCsv(rows: readonly MetricRow[]): string {
  return toCsv(
    METRIC_CSV_HEADER,
    rows.map((m) => [m.runId, m.step, m.epoch, m.name, m.value, m.wallTime]),
  );
}

export interface RunExportJson {
  format: 'ranp-run-export';
  version: 1;
  run: RunRecord;
  pruneReport: StoredPruneReport | null;
  metrics: MetricRow[];
  systemMetrics: SystemMetricsRow[];
  artifacts: { kind: string; name: string; epoch: number | null; sha256: string; size: number }[];
}

export function runToJson(store: StoreApi, runId: number): RunExportJson {
  return {
    format: 'ranp-run-export',
    version: 1,
    run: store.getRun(runId),
    pruneReport: store.getPruneReport(runId),
    metrics: store.metrics(runId),
    systemMetrics: store.systemMetrics(runId),
    artifacts: store
      .listArtifacts(runId)
      .map((a) => ({ kind: a.kind, name: a.name, epoch: a.epoch, sha256: a.hash, size: a.size })),
  };
}

/**
 * Writes a folder of CSV tables for the runs: runs.csv, metrics.csv, and, where present,
 * prune_layers.csv and system_metrics.csv. Returns the files written.
 */
export function exportRunsCsv(store: StoreApi, runIds: readonly number[], outDir: string): string[] {
  const runs = runIds.map((id) => store.getRun(id));
  fs.mkdirSync(outDir, { recursive: true });
  const tables: [string, string][] = [
    ['runs.csv', runsToCsv(runs)],
    ['metrics.csv', metricsToCsv(runIds.flatMap((id) => store.metrics(id)))],
  ];
  const layers = runIds.flatMap((id) =>
    (store.getPruneReport(id)?.layers ?? []).map((l) => ({ runId: id, ...l })),
  );
  if (layers.length) {
    tables.push([
      'prune_layers.csv',
      toCsv(
        ['run_id', 'layer', 'kept', 'total', 'flops_before', 'flops_after', 'params_before', 'params_after'],
        layers.map((l) => [
          l.runId,
          l.layer,
          l.kept,
          l.total,
          l.flopsBefore,
          l.flopsAfter,
          l.paramsBefore,
          l.paramsAfter,
        ]),
      ),
    ]);
  }
  const system = runIds.flatMap((id) => store.systemMetrics(id));
  if (system.length) {
    tables.push([
      'system_metrics.csv',
      toCsv(
        ['run_id', 'epoch', 'wall_time', 'samples_per_second', 'peak_memory_bytes', 'extra_json'],
        system.map((s) => [
          s.runId,
          s.epoch,
          s.wallTime,
          s.samplesPerSecond,
          s.peakMemoryBytes,
          s.extra ? JSON.stringify(s.extra as JsonObject) : null,
        ]),
      ),
    ]);
  }
  return tables.map(([name, text]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
