import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { Disposable } from '../util/disposable.js';
import { exportBundle, findBundles, importBundle } from './bundle.js';
import { betterDirection, canonicalJson, differingParams, meanAndStd, withoutSeed } from './compare.js';
import { absoluteContentPath, putContent, removeAbandonedStaging, verifyContent } from './content-store.js';
import { openDatabase } from './database.js';
import { downsampleLttb } from './downsample.js';
import { ArtifactIntegrityError, StoreError } from './errors.js';
import { exportRunsCsv, runToJson } from './export.js';
import { migrate } from './migrations/index.js';
import { resolveDataPaths, type DataDirOptions, type DataPaths } from './paths.js';
import { assertPlainFileName } from './safe-path.js';
import type { BundleImport, BundleOptions, ExportFormat, ImportedRun, StoreApi } from './store-api.js';
import { ArtifactsTable } from './tables/artifacts.js';
import { markDeadRunsInterrupted } from './tables/liveness.js';
import { MetricsTable } from './tables/metrics.js';
import { PruneReportsTable } from './tables/prune-reports.js';
import { RunsTable } from './tables/runs.js';
import { SettingsTable } from './tables/settings.js';
import {
  ARTIFACT_KINDS,
  RUN_STATUSES,
  RUN_TASKS,
  type AddArtifactInput,
  type ArtifactRecord,
  type CreateRunInput,
  type Curve,
  type EpochRecord,
  type JsonObject,
  type JsonValue,
  type MetricComparison,
  type MetricRow,
  type PruneReportInput,
  type ResumableRun,
  type RunComparison,
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type SeedGroup,
  type StoredPruneReport,
  type SystemMetricsRow,
} from './types.js';

export type { ExportFormat } from './store-api.js';

export interface OpenStoreOptions extends DataDirOptions {
  /**
   * A run 'running' on another host whose heartbeat is older than this is taken as interrupted on
   * open (its pid cannot be checked from here). Default 30 minutes.
   */
  staleHeartbeatMs?: number;
}

const APP_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

/** Which status may follow which; anything else is a bug in the caller. */
const NEXT_STATUSES: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'cancelled', 'failed', 'interrupted'],
  running: ['completed', 'failed', 'cancelled', 'interrupted'],
  interrupted: ['running', 'cancelled', 'failed'],
  completed: [],
  failed: [],
  cancelled: [],
};

function assertFiniteNumber(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreError(`${what} must be a finite number, got ${String(value)}`);
  }
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new StoreError(`${what} must be an integer, got ${String(value)}`);
}

function checkPruneReport(runId: number, report: PruneReportInput): void {
  if (!Array.isArray(report.layers))
    throw new StoreError(`recordPruneReport(run ${runId}): report.layers must be an array`);
  for (const [i, row] of report.layers.entries()) {
    if (typeof row.layer !== 'string' || !row.layer)
      throw new StoreError(`recordPruneReport(run ${runId}): layers[${i}].layer must be a name`);
    assertInteger(row.kept, `recordPruneReport(run ${runId}): layer '${row.layer}' kept`);
    assertInteger(row.total, `recordPruneReport(run ${runId}): layer '${row.layer}' total`);
    if (row.kept < 0 || row.kept > row.total) {
      throw new StoreError(
        `recordPruneReport(run ${runId}): layer '${row.layer}' keeps ${row.kept} of ${row.total}`,
      );
    }
  }
}

/**
 * The experiment store: one SQLite database plus content-addressed artifact files in the data
 * directory. Open with openStore(); dispose() closes the database. This façade validates input,
 * owns the transactions and joins the tables; each table's SQL lives in tables/*.ts, the schema in
 * migrations/.
 */
export class Store implements StoreApi, Disposable {
  readonly paths: DataPaths;
  /** The raw connection, for tests that check the database's integrity. */
  readonly db: Database.Database;
  private readonly host = os.hostname();
  private readonly runs: RunsTable;
  private readonly metricRows: MetricsTable;
  private readonly artifacts: ArtifactsTable;
  private readonly pruneReports: PruneReportsTable;
  private readonly settings: SettingsTable;

  constructor(options: OpenStoreOptions = {}) {
    this.paths = resolveDataPaths(options);
    this.db = openDatabase(this.paths.database);
    this.runs = new RunsTable(this.db);
    this.metricRows = new MetricsTable(this.db);
    this.artifacts = new ArtifactsTable(this.db, this.paths);
    this.pruneReports = new PruneReportsTable(this.db);
    this.settings = new SettingsTable(this.db);
    try {
      migrate(this.db);
      markDeadRunsInterrupted(this.db, this.host, options.staleHeartbeatMs ?? 30 * 60_000);
      removeAbandonedStaging(this.paths);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  dispose(): void {
    if (this.db.open) this.db.close();
  }

  // ---- runs ---------------------------------------------------------------------------------

  createRun(input: CreateRunInput): RunRecord {
    if (!RUN_TASKS.includes(input.task))
      throw new StoreError(`createRun: task must be one of ${RUN_TASKS.join(', ')}, got '${input.task}'`);
    if (!input.net) throw new StoreError('createRun: net is required');
    if (input.sparsity !== undefined && !(input.sparsity >= 0 && input.sparsity < 1)) {
      throw new StoreError(`createRun: sparsity must be in [0, 1), got ${input.sparsity}`);
    }
    if (input.lambda !== undefined) assertFiniteNumber(input.lambda, 'createRun: lambda');
    if (input.seed !== undefined) assertInteger(input.seed, 'createRun: seed');
    if (input.parentRunId !== undefined) this.getRun(input.parentRunId);
    if (input.uuid !== undefined && !/^[\w-]{8,}$/.test(input.uuid))
      throw new StoreError(
        `createRun: uuid must be 8 or more letters, digits, '-' or '_', got '${input.uuid}'`,
      );
    if (input.uuid !== undefined && this.findRunByUuid(input.uuid))
      throw new StoreError(`createRun: a run with uuid ${input.uuid} already exists`);
    const status = input.status ?? 'queued';
    const now = Date.now();
    const running = status === 'running';
    const owned = running || input.queuedHere === true;
    const id = this.db
      .transaction(() =>
        this.runs.insert({
          uuid: input.uuid ?? crypto.randomUUID(),
          project: input.project ?? 'default',
          name: input.name ?? null,
          task: input.task,
          dataset: input.dataset ?? null,
          net: input.net,
          method: input.method ?? null,
          sparsity: input.sparsity ?? null,
          lambda: input.lambda ?? null,
          seed: input.seed ?? null,
          role: input.role ?? null,
          parentRunId: input.parentRunId ?? null,
          config: input.config,
          backend: input.backend ?? null,
          device: input.device ?? null,
          environment: input.environment ?? null,
          appVersion: input.appVersion ?? APP_VERSION,
          status,
          error: null,
          createdAt: now,
          startedAt: running ? now : null,
          endedAt: null,
          pid: owned ? process.pid : null,
          host: owned ? this.host : null,
          heartbeatAt: owned ? now : null,
          notes: input.notes ?? null,
          origin: null,
        }),
      )
      .immediate();
    return this.getRun(id);
  }

  getRun(runId: number): RunRecord {
    return this.runs.get(runId);
  }

  findRunByUuid(uuid: string): RunRecord | undefined {
    return this.runs.findByUuid(uuid);
  }

  listRuns(filter: RunFilter = {}): RunRecord[] {
    return this.runs.list(filter);
  }

  /**
   * Moves a run along queued → running → completed|failed|cancelled|interrupted (interrupted →
   * running resumes). Entering 'running' claims the run for this process (pid, host, heartbeat) and
   * records `details.backend` and `details.environment` when given (a queued or resumed run may run
   * on another backend or machine than the one it was created on).
   */
  updateRunStatus(
    runId: number,
    status: RunStatus,
    details: { error?: string; backend?: string; environment?: JsonObject } = {},
  ): RunRecord {
    if (!RUN_STATUSES.includes(status)) throw new StoreError(`updateRunStatus: unknown status '${status}'`);
    this.db
      .transaction(() => {
        const run = this.getRun(runId);
        if (!NEXT_STATUSES[run.status].includes(status)) {
          throw new StoreError(`run ${runId}: cannot change status from ${run.status} to ${status}`);
        }
        const now = Date.now();
        if (status === 'running')
          this.runs.markRunning(runId, now, this.host, details.backend ?? null, details.environment ?? null);
        else this.runs.markEnded(runId, status, details.error ?? null, now);
      })
      .immediate();
    return this.getRun(runId);
  }

  /**
   * The sparsity a run was pruned at once it is known: a run pruned for a resource budget is
   * created (queued) before the budget's search finds it.
   */
  setRunSparsity(runId: number, sparsity: number): RunRecord {
    if (!(sparsity >= 0 && sparsity < 1))
      throw new StoreError(`setRunSparsity: sparsity must be in [0, 1), got ${sparsity}`);
    this.getRun(runId);
    this.runs.setSparsity(runId, sparsity);
    return this.getRun(runId);
  }

  /**
   * Deletes a run with its metrics, reports and artifact rows, then the artifact files no other run
   * references. Children keep existing with parentRunId null. A running run must be stopped first.
   */
  deleteRun(runId: number): void {
    const relPaths = this.db
      .transaction(() => {
        const run = this.getRun(runId);
        if (run.status === 'running') {
          throw new StoreError(
            `run ${runId} is running (pid ${run.pid} on ${run.host}); cancel it before deleting`,
          );
        }
        const paths = this.artifacts.relPathsOf(runId);
        this.runs.delete(runId);
        return paths.filter((p) => !this.artifacts.isReferenced(p));
      })
      .immediate();
    for (const relPath of relPaths) fs.rmSync(absoluteContentPath(this.paths, relPath), { force: true });
  }

  /**
   * Stores a whole run from elsewhere as a new local run (same uuid): artifact files are copied
   * into the content store first, then every row in one transaction. A run that was 'running'
   * there arrives as 'interrupted'.
   */
  importRun(input: ImportedRun): RunRecord {
    const contents = input.artifacts.map((a) => ({
      ...a,
      content: putContent(this.paths, a.kind, { file: a.file }),
    }));
    const runId = this.db
      .transaction(() => {
        if (this.runs.findByUuid(input.run.uuid))
          throw new StoreError(`importRun: a run with uuid ${input.run.uuid} already exists`);
        const status = input.run.status === 'running' ? 'interrupted' : input.run.status;
        const id = this.runs.insert({ ...input.run, status });
        this.metricRows.insert(id, input.metrics);
        for (const s of input.system) this.metricRows.putSystem(id, s.epoch, s.wallTime, s);
        if (input.pruneReport) {
          checkPruneReport(id, input.pruneReport);
          this.pruneReports.put(id, input.pruneReport);
        }
        const now = Date.now();
        for (const a of contents) this.artifacts.put(id, a.kind, a.name, a.epoch, a.content, now);
        return id;
      })
      .immediate();
    return this.getRun(runId);
  }

  // ---- liveness -------------------------------------------------------------------------------

  /** Tells other processes this run's owner is alive (recordEpoch does this too). */
  heartbeat(runId: number): void {
    this.runs.heartbeat(runId, Date.now());
  }

  /** Runs interrupted by a crash or kill, with where to resume from. */
  resumableRuns(): ResumableRun[] {
    return this.listRuns({ status: 'interrupted' }).map((run) => ({
      run,
      lastEpoch: this.metricRows.lastEpoch(run.id),
      checkpoint: this.artifacts.latestCheckpoint(run.id),
    }));
  }

  // ---- per-epoch records ----------------------------------------------------------------------

  /**
   * Records one epoch atomically: metrics, optional system metrics and checkpoint, heartbeat.
   * Re-recording an epoch (after a resume) replaces that epoch's rows. The checkpoint file is
   * stored before the transaction; if the process dies in between, no row refers to it.
   */
  recordEpoch(runId: number, record: EpochRecord): void {
    assertInteger(record.epoch, `recordEpoch(run ${runId}): epoch`);
    for (const [i, m] of record.metrics.entries()) {
      if (!m.name) throw new StoreError(`recordEpoch(run ${runId}): metrics[${i}] has no name`);
      assertFiniteNumber(m.value, `recordEpoch(run ${runId}): metric '${m.name}' value`);
      if (m.step !== undefined) assertInteger(m.step, `recordEpoch(run ${runId}): metric '${m.name}' step`);
    }
    this.assertRunning(runId, 'record an epoch');
    const checkpointName = record.checkpoint?.name ?? `epoch-${record.epoch}.ckpt`;
    if (record.checkpoint) assertPlainFileName(checkpointName, `run ${runId} checkpoint name`);
    const content = record.checkpoint
      ? putContent(this.paths, 'checkpoint', record.checkpoint.source)
      : undefined;
    const now = Date.now();
    this.db
      .transaction(() => {
        this.assertRunning(runId, 'record an epoch');
        this.metricRows.replaceEpoch(
          runId,
          record.epoch,
          record.metrics.map((m) => ({
            step: m.step ?? record.epoch,
            name: m.name,
            value: m.value,
            wallTime: now,
          })),
        );
        if (record.system) this.metricRows.putSystem(runId, record.epoch, now, record.system);
        if (content) this.artifacts.put(runId, 'checkpoint', checkpointName, record.epoch, content, now);
        this.runs.heartbeat(runId, now);
      })
      .immediate();
  }

  metrics(runId: number, names?: readonly string[]): MetricRow[] {
    this.getRun(runId);
    return this.metricRows.list(runId, names);
  }

  systemMetrics(runId: number): SystemMetricsRow[] {
    this.getRun(runId);
    return this.metricRows.system(runId);
  }

  /** Each metric's value at its largest step. */
  lastMetrics(runId: number): { name: string; step: number; value: number }[] {
    return this.metricRows.last(runId);
  }

  // ---- prune reports --------------------------------------------------------------------------

  /** Stores the whole report and one row per layer (replacing an earlier report of this run). */
  recordPruneReport(runId: number, report: PruneReportInput): void {
    checkPruneReport(runId, report);
    this.db
      .transaction(() => {
        this.getRun(runId);
        this.pruneReports.put(runId, report);
      })
      .immediate();
  }

  getPruneReport(runId: number): StoredPruneReport | null {
    this.getRun(runId);
    return this.pruneReports.get(runId);
  }

  // ---- artifacts ------------------------------------------------------------------------------

  /** Copies a file or buffer into the data directory under its sha256 and records it for the run. */
  addArtifact(runId: number, input: AddArtifactInput): ArtifactRecord {
    if (!ARTIFACT_KINDS.includes(input.kind))
      throw new StoreError(`addArtifact(run ${runId}): unknown kind '${input.kind}'`);
    assertPlainFileName(input.name, `addArtifact(run ${runId}): name`);
    if (input.epoch !== undefined) assertInteger(input.epoch, `addArtifact(run ${runId}): epoch`);
    this.getRun(runId);
    const content = putContent(this.paths, input.kind, input.source);
    const id = this.db
      .transaction(() => {
        this.getRun(runId);
        return this.artifacts.put(runId, input.kind, input.name, input.epoch ?? null, content, Date.now());
      })
      .immediate();
    return this.artifacts.byId(id);
  }

  listArtifacts(runId: number): ArtifactRecord[] {
    this.getRun(runId);
    return this.artifacts.list(runId);
  }

  /** Checks the artifact's file (exists, size, sha256) without loading it whole; throws ArtifactIntegrityError. */
  verifyArtifact(runId: number, name: string): ArtifactRecord {
    const artifact = this.artifacts.byName(runId, name);
    if (!artifact) {
      this.getRun(runId);
      throw new StoreError(`run ${runId} has no artifact named '${name}'`);
    }
    try {
      verifyContent(artifact.path, artifact.hash, artifact.size);
    } catch (error) {
      if (error instanceof ArtifactIntegrityError) {
        throw new ArtifactIntegrityError(
          error.file,
          error.problem,
          `${error.detail} — artifact '${name}' (${artifact.kind}) of run ${runId}`,
        );
      }
      throw error;
    }
    const now = Date.now();
    this.artifacts.markVerified(artifact.id, now);
    return { ...artifact, verifiedAt: now };
  }

  /** The artifact's bytes, verified against its recorded size and sha256. */
  readArtifact(runId: number, name: string): Buffer {
    const artifact = this.verifyArtifact(runId, name);
    const bytes = fs.readFileSync(artifact.path);
    // Re-check what was actually read: the file could change between verification and read.
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== artifact.hash) {
      throw new ArtifactIntegrityError(
        artifact.path,
        'hash',
        `changed while being read — artifact '${name}' of run ${runId}`,
      );
    }
    return bytes;
  }

  // ---- settings ------------------------------------------------------------------------------

  /** A stored user setting, or undefined when never set. */
  getSetting(key: string): JsonValue | undefined {
    return this.settings.get(key);
  }

  setSetting(key: string, value: JsonValue): void {
    if (!key) throw new StoreError('setSetting: key must not be empty');
    this.settings.set(key, value);
  }

  // ---- queries for the UI and CLI ---------------------------------------------------------------

  /** Config parameters that differ, and each metric's best and last value, for runs side by side. */
  compareRuns(runIds: readonly number[]): RunComparison {
    if (runIds.length < 2) throw new StoreError(`compareRuns: needs at least 2 runs, got ${runIds.length}`);
    const runs = runIds.map((id) => this.getRun(id));
    const fieldsOf = (r: RunRecord): JsonObject => ({
      task: r.task,
      dataset: r.dataset,
      net: r.net,
      method: r.method,
      sparsity: r.sparsity,
      lambda: r.lambda,
      seed: r.seed,
      role: r.role,
      backend: r.backend,
      device: r.device,
      appVersion: r.appVersion,
      config: r.config,
    });
    const differences = differingParams(runs.map(fieldsOf));
    const metrics = this.metricRows.namesOf(runIds).map((name): MetricComparison => {
      const better = betterDirection(name);
      return {
        name,
        better,
        best: runIds.map((id) =>
          this.metricRows.firstBy(id, name, better === 'min' ? 'value ASC' : 'value DESC'),
        ),
        last: runIds.map((id) => this.metricRows.firstBy(id, name, 'step DESC')),
      };
    });
    return { runs, differences, metrics };
  }

  /** Each run's curve of each named metric, at most maxPoints points (LTTB after a cut in SQLite). */
  curves(runIds: readonly number[], names: readonly string[], maxPoints = 1000): Curve[] {
    if (!Number.isInteger(maxPoints) || maxPoints < 3)
      throw new StoreError(`curves: maxPoints must be an integer >= 3, got ${maxPoints}`);
    const curves: Curve[] = [];
    for (const runId of runIds) {
      this.getRun(runId);
      for (const name of names) {
        const { total, rows } = this.metricRows.curveRows(runId, name, maxPoints);
        const points = rows.map(([step, value]) => ({ step, value }));
        curves.push({ runId, name, totalPoints: total, points: downsampleLttb(points, maxPoints) });
      }
    }
    return curves;
  }

  /**
   * Groups runs that differ only by seed (same task, net, method, sparsity, λ, role and config
   * apart from 'seed' keys) and gives mean ± sample std of each run's last value per metric.
   * With `holding`, only the groups that hold one of those runs (the CLI's and the app's comparison).
   */
  groupBySeed(filter: RunFilter = {}, holding?: readonly number[]): SeedGroup[] {
    const groups = new Map<string, RunRecord[]>();
    for (const run of this.listRuns(filter)) {
      const key = canonicalJson({
        task: run.task,
        dataset: run.dataset,
        net: run.net,
        method: run.method,
        sparsity: run.sparsity,
        lambda: run.lambda,
        role: run.role,
        config: withoutSeed(run.config),
      });
      groups.set(key, [...(groups.get(key) ?? []), run]);
    }
    const wanted = [...groups.entries()].filter(
      ([, group]) => !holding || group.some((r) => holding.includes(r.id)),
    );
    return wanted.map(([key, runs]) => {
      const lastValues = new Map<string, number[]>();
      for (const run of runs) {
        for (const { name, value } of this.lastMetrics(run.id))
          lastValues.set(name, [...(lastValues.get(name) ?? []), value]);
      }
      return {
        key,
        net: runs[0].net,
        method: runs[0].method,
        sparsity: runs[0].sparsity,
        role: runs[0].role,
        runIds: runs.map((r) => r.id),
        seeds: runs.map((r) => r.seed),
        metrics: [...lastValues.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, values]) => ({ name, n: values.length, ...meanAndStd(values) })),
      };
    });
  }

  // ---- export / import -------------------------------------------------------------------------

  /**
   * Writes one run: 'csv' → folder of tables (runs.csv, metrics.csv, …), 'json' → one file,
   * 'bundle' → self-contained folder for importBundle on another machine (`options.origin`: what
   * the importing store records as the run's origin). Returns the files written.
   */
  exportRun(runId: number, format: ExportFormat, out: string, options: BundleOptions = {}): string[] {
    switch (format) {
      case 'csv':
        return exportRunsCsv(this, [runId], out);
      case 'json':
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(runToJson(this, runId), null, 2));
        return [out];
      case 'bundle':
        return exportBundle(this, runId, out, options)
          .files.map((f) => path.join(out, f.path))
          .concat(path.join(out, 'manifest.json'));
      default:
        throw new StoreError(`exportRun: format must be csv, json or bundle, got '${String(format)}'`);
    }
  }

  /**
   * Imports a bundle folder written by exportRun(…, 'bundle'), verifying every file first; a run
   * already in this store is not imported again (alreadyImported: true).
   */
  importBundle(bundleDir: string): BundleImport {
    return importBundle(this, bundleDir);
  }

  /** Imports every bundle under `paths` (bundles or folders of bundles, parents first): see findBundles. */
  importBundles(paths: readonly string[]): BundleImport[] {
    return findBundles(paths).map((dir) => importBundle(this, dir));
  }

  // ---- internals ------------------------------------------------------------------------------

  private assertRunning(runId: number, action: string): void {
    const run = this.getRun(runId);
    if (run.status !== 'running')
      throw new StoreError(`run ${runId} is ${run.status}; cannot ${action} unless it is running`);
  }
}
