/** Public records of the experiment store. Times are milliseconds since the Unix epoch. */

import { WORK_STATUSES, type WorkStatus } from '../domain/statuses.js';

/** A run's status: the same words as its job's state (engine/domain/statuses.ts). */
export const RUN_STATUSES = WORK_STATUSES;
export type RunStatus = WorkStatus;

/** What a run did. */
export const RUN_TASKS = ['prune', 'train', 'evaluate', 'search'] as const;
export type RunTask = (typeof RUN_TASKS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface CreateRunInput {
  /** Project (experiment group) name; created on first use. Default 'default'. */
  project?: string;
  name?: string;
  task: RunTask;
  /** Dataset task, e.g. 'shapenet', 'brats', 'ucf101'. */
  dataset?: string;
  /** Zoo name, e.g. 'unet3d-shapenet'. */
  net: string;
  /** Pruning method, e.g. 'ranp-f', 'snip', 'none'. */
  method?: string;
  /** Neuron sparsity in [0, 1). */
  sparsity?: number;
  lambda?: number;
  seed?: number;
  /** e.g. 'unpruned' | 'pruned'. */
  role?: string;
  /** Run this one derives from (transfer, training of a pruned net). */
  parentRunId?: number;
  /** The full configuration, as the user gave it; stored verbatim. */
  config: JsonObject;
  backend?: string;
  device?: string;
  /**
   * Where and on what the run ran (engine/experiment/run-environment.ts: backend, native kernels,
   * threads, versions, data fingerprint). Kept apart from `config`, so seed grouping ignores it.
   */
  environment?: JsonObject;
  /** Defaults to this build's package version. */
  appVersion?: string;
  /** Default 'queued'; 'running' also claims the run for this process. */
  status?: 'queued' | 'running';
  /**
   * A queued run held in this process's job queue: pid and host are recorded as for a running run,
   * so if the process dies before starting it, the next open marks it 'interrupted' (not stuck queued).
   */
  queuedHere?: boolean;
  notes?: string;
  /**
   * Default a new random UUID. Given when the caller must know the identity before the row exists
   * (a resumable experiment writes it into its work folder first, so a kill in between loses nothing).
   */
  uuid?: string;
}

export interface RunRecord {
  id: number;
  /** Stable identity across machines (export/import). */
  uuid: string;
  project: string;
  name: string | null;
  task: RunTask;
  dataset: string | null;
  net: string;
  method: string | null;
  sparsity: number | null;
  lambda: number | null;
  seed: number | null;
  role: string | null;
  parentRunId: number | null;
  config: JsonObject;
  backend: string | null;
  device: string | null;
  /** See CreateRunInput.environment; null for runs stored before schema v4. */
  environment: JsonObject | null;
  appVersion: string;
  status: RunStatus;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** Owner process while running (decides 'interrupted' on the next open). */
  pid: number | null;
  host: string | null;
  heartbeatAt: number | null;
  notes: string | null;
  /** Where the run came from when it was imported (a study task, another machine's bundle); null: made in this store. */
  origin: string | null;
}

export interface MetricPoint {
  name: string;
  value: number;
  /** Default: the epoch number. */
  step?: number;
}

export interface MetricRow {
  runId: number;
  step: number;
  epoch: number | null;
  name: string;
  value: number;
  wallTime: number;
}

export interface SystemMetrics {
  samplesPerSecond?: number;
  peakMemoryBytes?: number;
  /** Anything else measured (e.g. GPU utilisation), stored as JSON. */
  extra?: JsonObject;
}

export interface SystemMetricsRow extends SystemMetrics {
  runId: number;
  epoch: number;
  wallTime: number;
}

export const ARTIFACT_KINDS = ['checkpoint', 'prediction', 'scores', 'net', 'report', 'other'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** Where artifact bytes come from: a file (copied) or a buffer. */
export type ArtifactSource = { file: string } | { bytes: Uint8Array };

export interface AddArtifactInput {
  kind: ArtifactKind;
  /** Plain file name, unique within the run, e.g. 'epoch-3.ckpt'. */
  name: string;
  source: ArtifactSource;
  epoch?: number;
}

export interface ArtifactRecord {
  id: number;
  runId: number;
  kind: ArtifactKind;
  name: string;
  epoch: number | null;
  /** sha256, lowercase hex. */
  hash: string;
  size: number;
  /** Absolute path of the content-addressed file. */
  path: string;
  createdAt: number;
  verifiedAt: number | null;
}

export interface EpochRecord {
  epoch: number;
  metrics: MetricPoint[];
  system?: SystemMetrics;
  checkpoint?: { name?: string; source: ArtifactSource };
}

/** One prunable layer's row of a prune report; fields beyond these are kept as JSON. */
export interface PruneLayerRow {
  layer: string;
  kept: number;
  total: number;
  flopsBefore?: number;
  flopsAfter?: number;
  paramsBefore?: number;
  paramsAfter?: number;
  [extra: string]: JsonValue | undefined;
}

export interface PruneReportInput {
  layers: PruneLayerRow[];
  [extra: string]: JsonValue | PruneLayerRow[] | undefined;
}

export interface StoredPruneReport {
  report: JsonObject;
  layers: PruneLayerRow[];
}

export type RunSortKey = 'id' | 'createdAt' | 'net' | 'method' | 'sparsity' | 'status' | 'task';

export interface RunFilter {
  project?: string;
  task?: RunTask;
  net?: string;
  method?: string;
  status?: RunStatus | RunStatus[];
  role?: string;
  /** Case-insensitive substring of name, net, method, dataset, notes or the config JSON. */
  text?: string;
  sort?: RunSortKey;
  descending?: boolean;
  limit?: number;
  offset?: number;
}

export interface CurvePoint {
  step: number;
  value: number;
}

export interface Curve {
  runId: number;
  name: string;
  /** Points in the database before downsampling. */
  totalPoints: number;
  points: CurvePoint[];
}

/** A config parameter whose value differs between compared runs (dot path into the config). */
export interface ParamDifference {
  key: string;
  values: (JsonValue | undefined)[];
}

export interface MetricSummary {
  step: number;
  value: number;
}

export interface MetricComparison {
  name: string;
  /** 'min' for losses/distances, 'max' otherwise. */
  better: 'min' | 'max';
  best: (MetricSummary | null)[];
  last: (MetricSummary | null)[];
}

export interface RunComparison {
  runs: RunRecord[];
  differences: ParamDifference[];
  metrics: MetricComparison[];
}

export interface SeedGroupMetric {
  name: string;
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single run. */
  std: number;
}

export interface SeedGroup {
  /** What the runs share: task, net, method, sparsity, lambda, role and the config without its seed. */
  key: string;
  net: string;
  method: string | null;
  sparsity: number | null;
  role: string | null;
  runIds: number[];
  seeds: (number | null)[];
  /** Statistics of each run's last value of each metric. */
  metrics: SeedGroupMetric[];
}

export interface ResumableRun {
  run: RunRecord;
  /** Last epoch with recorded metrics, or null when none. */
  lastEpoch: number | null;
  /** Latest checkpoint to resume from, if any. */
  checkpoint: ArtifactRecord | null;
}
