import type { DataPaths } from './paths.js';
import type {
  AddArtifactInput,
  ArtifactKind,
  ArtifactRecord,
  CreateRunInput,
  Curve,
  EpochRecord,
  JsonValue,
  MetricRow,
  PruneReportInput,
  ResumableRun,
  RunComparison,
  RunFilter,
  RunRecord,
  RunStatus,
  SeedGroup,
  StoredPruneReport,
  SystemMetrics,
  SystemMetricsRow,
} from './types.js';

export type ExportFormat = 'csv' | 'json' | 'bundle';

export interface BundleOptions {
  /** Recorded as the run's origin by the store that imports the bundle. */
  origin?: string;
}

/** One bundle's import: the local run, and whether it was there already (nothing added then). */
export interface BundleImport {
  /** The bundle folder (resolved). */
  bundle: string;
  run: RunRecord;
  alreadyImported: boolean;
}

/** A whole run arriving from elsewhere (a bundle), stored in one transaction by importRun. */
export interface ImportedRun {
  /** The run's columns; parentRunId is already resolved to a local id (or null). */
  run: Omit<RunRecord, 'id'>;
  metrics: Omit<MetricRow, 'runId'>[];
  system: (SystemMetrics & { epoch: number; wallTime: number })[];
  pruneReport: PruneReportInput | null;
  /** Files to copy into the content store, already verified by the caller. */
  artifacts: { kind: ArtifactKind; name: string; epoch: number | null; file: string }[];
}

/**
 * What the experiment store offers, table by table (runs, metrics, prune reports, artifacts,
 * settings, liveness) plus the cross-table queries. Store (store.ts) is the SQLite implementation;
 * bundle.ts and export.ts depend on this interface only.
 */
export interface StoreApi {
  readonly paths: DataPaths;

  // runs
  createRun(input: CreateRunInput): RunRecord;
  getRun(runId: number): RunRecord;
  findRunByUuid(uuid: string): RunRecord | undefined;
  listRuns(filter?: RunFilter): RunRecord[];
  updateRunStatus(
    runId: number,
    status: RunStatus,
    details?: { error?: string; backend?: string },
  ): RunRecord;
  setRunSparsity(runId: number, sparsity: number): RunRecord;
  deleteRun(runId: number): void;
  importRun(input: ImportedRun): RunRecord;

  // liveness
  heartbeat(runId: number): void;
  resumableRuns(): ResumableRun[];

  // metrics
  recordEpoch(runId: number, record: EpochRecord): void;
  metrics(runId: number, names?: readonly string[]): MetricRow[];
  systemMetrics(runId: number): SystemMetricsRow[];
  lastMetrics(runId: number): { name: string; step: number; value: number }[];

  // prune reports
  recordPruneReport(runId: number, report: PruneReportInput): void;
  getPruneReport(runId: number): StoredPruneReport | null;

  // artifacts
  addArtifact(runId: number, input: AddArtifactInput): ArtifactRecord;
  listArtifacts(runId: number): ArtifactRecord[];
  verifyArtifact(runId: number, name: string): ArtifactRecord;
  readArtifact(runId: number, name: string): Buffer;

  // settings
  getSetting(key: string): JsonValue | undefined;
  setSetting(key: string, value: JsonValue): void;

  // queries across tables
  compareRuns(runIds: readonly number[]): RunComparison;
  curves(runIds: readonly number[], names: readonly string[], maxPoints?: number): Curve[];
  groupBySeed(filter?: RunFilter, holding?: readonly number[]): SeedGroup[];
  exportRun(runId: number, format: ExportFormat, out: string, options?: BundleOptions): string[];
  importBundle(bundleDir: string): BundleImport;
  importBundles(paths: readonly string[]): BundleImport[];
}
