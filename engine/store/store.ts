import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { Disposable } from '../util/disposable.js';
import { exportBundle, importBundle } from './bundle.js';
import { betterDirection, canonicalJson, differingParams, meanAndStd, withoutSeed } from './compare.js';
import { absoluteContentPath, putContent, removeAbandonedStaging, verifyContent } from './content-store.js';
import { openDatabase } from './database.js';
import { downsampleLttb } from './downsample.js';
import { ArtifactIntegrityError, RunNotFoundError, StoreError } from './errors.js';
import { isProcessAlive } from './liveness.js';
import { exportRunsCsv, runToJson } from './export.js';
import { migrate } from './migrations/index.js';
import { resolveDataPaths, type DataDirOptions, type DataPaths } from './paths.js';
import { assertPlainFileName } from './safe-path.js';
import {
  ARTIFACT_KINDS,
  RUN_STATUSES,
  RUN_TASKS,
  type AddArtifactInput,
  type ArtifactKind,
  type ArtifactRecord,
  type CreateRunInput,
  type Curve,
  type EpochRecord,
  type JsonObject,
  type JsonValue,
  type MetricComparison,
  type MetricRow,
  type MetricSummary,
  type PruneLayerRow,
  type PruneReportInput,
  type ResumableRun,
  type RunComparison,
  type RunFilter,
  type RunRecord,
  type RunSortKey,
  type RunStatus,
  type RunTask,
  type SeedGroup,
  type StoredPruneReport,
  type SystemMetricsRow,
} from './types.js';

export interface OpenStoreOptions extends DataDirOptions {
  /**
   * A run 'running' on another host whose heartbeat is older than this is taken as interrupted on
   * open (its pid cannot be checked from here). Default 30 minutes.
   */
  staleHeartbeatMs?: number;
}

export type ExportFormat = 'csv' | 'json' | 'bundle';

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

const SORT_COLUMNS: Record<RunSortKey, string> = {
  id: 'r.id',
  createdAt: 'r.created_at',
  net: 'r.net',
  method: 'r.method',
  sparsity: 'r.sparsity',
  status: 'r.status',
  task: 'r.task',
};

interface RunRow {
  id: number;
  uuid: string;
  project: string;
  name: string | null;
  task: string;
  dataset: string | null;
  net: string;
  method: string | null;
  sparsity: number | null;
  lambda: number | null;
  seed: number | null;
  role: string | null;
  parent_run_id: number | null;
  config_json: string;
  backend: string | null;
  device: string | null;
  app_version: string;
  status: string;
  error: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  pid: number | null;
  host: string | null;
  heartbeat_at: number | null;
  notes: string | null;
}

interface ArtifactRow {
  id: number;
  run_id: number;
  kind: string;
  name: string;
  epoch: number | null;
  hash: string;
  size: number;
  rel_path: string;
  created_at: number;
  verified_at: number | null;
}

const RUN_SELECT = `SELECT r.*, p.name AS project FROM runs r JOIN projects p ON p.id = r.project_id`;

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    uuid: row.uuid,
    project: row.project,
    name: row.name,
    task: row.task as RunTask,
    dataset: row.dataset,
    net: row.net,
    method: row.method,
    sparsity: row.sparsity,
    lambda: row.lambda,
    seed: row.seed,
    role: row.role,
    parentRunId: row.parent_run_id,
    config: JSON.parse(row.config_json) as JsonObject,
    backend: row.backend,
    device: row.device,
    appVersion: row.app_version,
    status: row.status as RunStatus,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    pid: row.pid,
    host: row.host,
    heartbeatAt: row.heartbeat_at,
    notes: row.notes,
  };
}

function assertFiniteNumber(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreError(`${what} must be a finite number, got ${String(value)}`);
  }
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new StoreError(`${what} must be an integer, got ${String(value)}`);
}

/**
 * The experiment store: one SQLite database plus content-addressed artifact files in the data
 * directory. Open with openStore(); dispose() closes the database.
 */
export class Store implements Disposable {
  readonly paths: DataPaths;
  /** The raw connection, for the bundle/export modules of this folder and for tests. */
  readonly db: Database.Database;
  private readonly host = os.hostname();

  constructor(options: OpenStoreOptions = {}) {
    this.paths = resolveDataPaths(options);
    this.db = openDatabase(this.paths.database);
    try {
      migrate(this.db);
      this.markDeadRunsInterrupted(options.staleHeartbeatMs ?? 30 * 60_000);
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
      .transaction(() => {
        const projectId = this.projectId(input.project ?? 'default');
        const result = this.db
          .prepare(
            `INSERT INTO runs (uuid, project_id, name, task, dataset, net, method, sparsity, lambda, seed, role,
             parent_run_id, config_json, backend, device, app_version, status, created_at, started_at, pid, host,
             heartbeat_at, notes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            input.uuid ?? crypto.randomUUID(),
            projectId,
            input.name ?? null,
            input.task,
            input.dataset ?? null,
            input.net,
            input.method ?? null,
            input.sparsity ?? null,
            input.lambda ?? null,
            input.seed ?? null,
            input.role ?? null,
            input.parentRunId ?? null,
            JSON.stringify(input.config),
            input.backend ?? null,
            input.device ?? null,
            input.appVersion ?? APP_VERSION,
            status,
            now,
            running ? now : null,
            owned ? process.pid : null,
            owned ? this.host : null,
            owned ? now : null,
            input.notes ?? null,
          );
        return Number(result.lastInsertRowid);
      })
      .immediate();
    return this.getRun(id);
  }

  getRun(runId: number): RunRecord {
    const row = this.db.prepare<[number], RunRow>(`${RUN_SELECT} WHERE r.id = ?`).get(runId);
    if (!row) throw new RunNotFoundError(runId);
    return toRunRecord(row);
  }

  findRunByUuid(uuid: string): RunRecord | undefined {
    const row = this.db.prepare<[string], RunRow>(`${RUN_SELECT} WHERE r.uuid = ?`).get(uuid);
    return row ? toRunRecord(row) : undefined;
  }

  listRuns(filter: RunFilter = {}): RunRecord[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    equal('p.name', filter.project);
    equal('r.task', filter.task);
    equal('r.net', filter.net);
    equal('r.method', filter.method);
    equal('r.role', filter.role);
    if (filter.status !== undefined) {
      const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
      for (const s of statuses)
        if (!RUN_STATUSES.includes(s)) throw new StoreError(`listRuns: unknown status '${s}'`);
      where.push(`r.status IN (${statuses.map(() => '?').join(',')})`);
      params.push(...statuses);
    }
    if (filter.text) {
      const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const columns = ['r.name', 'r.net', 'r.method', 'r.dataset', 'r.notes', 'r.config_json', 'r.role'];
      where.push(`(${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      params.push(...columns.map(() => like));
    }
    const sort = SORT_COLUMNS[filter.sort ?? 'id'];
    if (!sort) throw new StoreError(`listRuns: cannot sort by '${filter.sort}'`);
    const order = `${sort} ${filter.descending ? 'DESC' : 'ASC'}, r.id ${filter.descending ? 'DESC' : 'ASC'}`;
    const limit = filter.limit ?? -1;
    const offset = filter.offset ?? 0;
    const sql = `${RUN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
    return this.db
      .prepare<(string | number)[], RunRow>(sql)
      .all(...params, limit, offset)
      .map(toRunRecord);
  }

  /**
   * Moves a run along queued → running → completed|failed|cancelled|interrupted (interrupted →
   * running resumes). Entering 'running' claims the run for this process (pid, host, heartbeat).
   */
  updateRunStatus(runId: number, status: RunStatus, details: { error?: string } = {}): RunRecord {
    if (!RUN_STATUSES.includes(status)) throw new StoreError(`updateRunStatus: unknown status '${status}'`);
    this.db
      .transaction(() => {
        const run = this.getRun(runId);
        if (!NEXT_STATUSES[run.status].includes(status)) {
          throw new StoreError(`run ${runId}: cannot change status from ${run.status} to ${status}`);
        }
        const now = Date.now();
        if (status === 'running') {
          this.db
            .prepare(
              `UPDATE runs SET status = 'running', error = NULL, ended_at = NULL, started_at = COALESCE(started_at, ?),
               pid = ?, host = ?, heartbeat_at = ? WHERE id = ?`,
            )
            .run(now, process.pid, this.host, now, runId);
        } else {
          this.db
            .prepare(`UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?`)
            .run(status, details.error ?? null, now, runId);
        }
      })
      .immediate();
    return this.getRun(runId);
  }

  /** Tells other processes this run's owner is alive (recordEpoch does this too). */
  heartbeat(runId: number): void {
    this.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ?`).run(Date.now(), runId);
  }

  /** Runs interrupted by a crash or kill, with where to resume from. */
  resumableRuns(): ResumableRun[] {
    return this.listRuns({ status: 'interrupted' }).map((run) => {
      const last = this.db
        .prepare<[number], { epoch: number | null }>(
          `SELECT MAX(epoch) AS epoch FROM metrics WHERE run_id = ?`,
        )
        .get(run.id);
      const checkpoint = this.db
        .prepare<[number], ArtifactRow>(
          `SELECT * FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' ORDER BY epoch DESC, id DESC LIMIT 1`,
        )
        .get(run.id);
      return {
        run,
        lastEpoch: last?.epoch ?? null,
        checkpoint: checkpoint ? this.toArtifact(checkpoint) : null,
      };
    });
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
        const paths = this.db
          .prepare<[number], { rel_path: string }>(`SELECT DISTINCT rel_path FROM artifacts WHERE run_id = ?`)
          .all(runId)
          .map((r) => r.rel_path);
        this.db.prepare(`DELETE FROM runs WHERE id = ?`).run(runId);
        return paths.filter(
          (p) =>
            !this.db
              .prepare<[string], { n: number }>(`SELECT 1 AS n FROM artifacts WHERE rel_path = ? LIMIT 1`)
              .get(p),
        );
      })
      .immediate();
    for (const relPath of relPaths) fs.rmSync(absoluteContentPath(this.paths, relPath), { force: true });
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
        this.db.prepare(`DELETE FROM metrics WHERE run_id = ? AND epoch = ?`).run(runId, record.epoch);
        const insert = this.db.prepare(
          `INSERT INTO metrics (run_id, step, epoch, name, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const m of record.metrics)
          insert.run(runId, m.step ?? record.epoch, record.epoch, m.name, m.value, now);
        if (record.system) {
          this.db
            .prepare(
              `INSERT OR REPLACE INTO system_metrics (run_id, epoch, wall_time, samples_per_second, peak_memory_bytes, extra_json)
             VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(
              runId,
              record.epoch,
              now,
              record.system.samplesPerSecond ?? null,
              record.system.peakMemoryBytes ?? null,
              record.system.extra ? JSON.stringify(record.system.extra) : null,
            );
        }
        if (content) this.insertArtifactRow(runId, 'checkpoint', checkpointName, record.epoch, content, now);
        this.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ?`).run(now, runId);
      })
      .immediate();
  }

  metrics(runId: number, names?: readonly string[]): MetricRow[] {
    this.getRun(runId);
    const filter = names?.length ? `AND name IN (${names.map(() => '?').join(',')})` : '';
    return this.db
      .prepare<
        (string | number)[],
        { run_id: number; step: number; epoch: number | null; name: string; value: number; wall_time: number }
      >(`SELECT * FROM metrics WHERE run_id = ? ${filter} ORDER BY step, name, rowid`)
      .all(runId, ...(names ?? []))
      .map((r) => ({
        runId: r.run_id,
        step: r.step,
        epoch: r.epoch,
        name: r.name,
        value: r.value,
        wallTime: r.wall_time,
      }));
  }

  systemMetrics(runId: number): SystemMetricsRow[] {
    this.getRun(runId);
    return this.db
      .prepare<
        [number],
        {
          run_id: number;
          epoch: number;
          wall_time: number;
          samples_per_second: number | null;
          peak_memory_bytes: number | null;
          extra_json: string | null;
        }
      >(`SELECT * FROM system_metrics WHERE run_id = ? ORDER BY epoch`)
      .all(runId)
      .map((r) => ({
        runId: r.run_id,
        epoch: r.epoch,
        wallTime: r.wall_time,
        ...(r.samples_per_second !== null && { samplesPerSecond: r.samples_per_second }),
        ...(r.peak_memory_bytes !== null && { peakMemoryBytes: r.peak_memory_bytes }),
        ...(r.extra_json !== null && { extra: JSON.parse(r.extra_json) as JsonObject }),
      }));
  }

  // ---- prune reports --------------------------------------------------------------------------

  /** Stores the whole report and one row per layer (replacing an earlier report of this run). */
  recordPruneReport(runId: number, report: PruneReportInput): void {
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
    this.db
      .transaction(() => {
        this.getRun(runId);
        this.db
          .prepare(`INSERT OR REPLACE INTO prune_reports (run_id, report_json) VALUES (?, ?)`)
          .run(runId, JSON.stringify(report));
        this.db.prepare(`DELETE FROM prune_layers WHERE run_id = ?`).run(runId);
        const insert = this.db.prepare(
          `INSERT INTO prune_layers (run_id, position, layer, kept, total, flops_before, flops_after, params_before, params_after, extra_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        report.layers.forEach((row, position) => {
          const { layer, kept, total, flopsBefore, flopsAfter, paramsBefore, paramsAfter, ...extra } = row;
          insert.run(
            runId,
            position,
            layer,
            kept,
            total,
            flopsBefore ?? null,
            flopsAfter ?? null,
            paramsBefore ?? null,
            paramsAfter ?? null,
            Object.keys(extra).length ? JSON.stringify(extra) : null,
          );
        });
      })
      .immediate();
  }

  getPruneReport(runId: number): StoredPruneReport | null {
    this.getRun(runId);
    const report = this.db
      .prepare<[number], { report_json: string }>(`SELECT report_json FROM prune_reports WHERE run_id = ?`)
      .get(runId);
    if (!report) return null;
    const layers = this.db
      .prepare<
        [number],
        {
          layer: string;
          kept: number;
          total: number;
          flops_before: number | null;
          flops_after: number | null;
          params_before: number | null;
          params_after: number | null;
          extra_json: string | null;
        }
      >(`SELECT * FROM prune_layers WHERE run_id = ? ORDER BY position`)
      .all(runId)
      .map((r): PruneLayerRow => ({
        layer: r.layer,
        kept: r.kept,
        total: r.total,
        ...(r.flops_before !== null && { flopsBefore: r.flops_before }),
        ...(r.flops_after !== null && { flopsAfter: r.flops_after }),
        ...(r.params_before !== null && { paramsBefore: r.params_before }),
        ...(r.params_after !== null && { paramsAfter: r.params_after }),
        ...(r.extra_json !== null && (JSON.parse(r.extra_json) as JsonObject)),
      }));
    return { report: JSON.parse(report.report_json) as JsonObject, layers };
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
        return this.insertArtifactRow(
          runId,
          input.kind,
          input.name,
          input.epoch ?? null,
          content,
          Date.now(),
        );
      })
      .immediate();
    return this.artifactById(id);
  }

  listArtifacts(runId: number): ArtifactRecord[] {
    this.getRun(runId);
    return this.db
      .prepare<[number], ArtifactRow>(`SELECT * FROM artifacts WHERE run_id = ? ORDER BY id`)
      .all(runId)
      .map((r) => this.toArtifact(r));
  }

  /** Checks the artifact's file (exists, size, sha256) without loading it whole; throws ArtifactIntegrityError. */
  verifyArtifact(runId: number, name: string): ArtifactRecord {
    const row = this.db
      .prepare<[number, string], ArtifactRow>(`SELECT * FROM artifacts WHERE run_id = ? AND name = ?`)
      .get(runId, name);
    if (!row) {
      this.getRun(runId);
      throw new StoreError(`run ${runId} has no artifact named '${name}'`);
    }
    const artifact = this.toArtifact(row);
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
    this.db.prepare(`UPDATE artifacts SET verified_at = ? WHERE id = ?`).run(now, artifact.id);
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
    const names = this.db
      .prepare<number[], { name: string }>(
        `SELECT DISTINCT name FROM metrics WHERE run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY name`,
      )
      .all(...runIds)
      .map((r) => r.name);
    const metrics = names.map((name): MetricComparison => {
      const better = betterDirection(name);
      return {
        name,
        better,
        best: runIds.map((id) => this.metricAt(id, name, better === 'min' ? 'value ASC' : 'value DESC')),
        last: runIds.map((id) => this.metricAt(id, name, 'step DESC')),
      };
    });
    return { runs, differences, metrics };
  }

  /**
   * Each run's curve of each named metric, at most maxPoints points. Long curves are first cut
   * down inside SQLite to the min and max of 2·maxPoints step buckets (moving 100,000 rows into
   * JS costs several times more than the scan), then LTTB picks maxPoints among those.
   */
  curves(runIds: readonly number[], names: readonly string[], maxPoints = 1000): Curve[] {
    if (!Number.isInteger(maxPoints) || maxPoints < 3)
      throw new StoreError(`curves: maxPoints must be an integer >= 3, got ${maxPoints}`);
    const extent = this.db.prepare<
      [number, string],
      { n: number; first: number | null; last: number | null }
    >(
      `SELECT COUNT(*) AS n, MIN(step) AS first, MAX(step) AS last FROM metrics WHERE run_id = ? AND name = ?`,
    );
    const all = this.db.prepare<[number, string], [number, number]>(
      `SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step`,
    );
    // Bucket index floor((step − first) · buckets / (span + 1)) (bound numbers arrive as REAL, hence
    // the CAST); with a single min()/max() aggregate SQLite takes the bare 'step' from that row.
    const extreme = (aggregate: 'MIN' | 'MAX') =>
      this.db.prepare<[number, string, number, number, number], [number, number]>(
        `SELECT step, ${aggregate}(value) FROM metrics WHERE run_id = ? AND name = ? GROUP BY CAST((step - ?) * ? / ? AS INTEGER)`,
      );
    const lowest = extreme('MIN');
    const highest = extreme('MAX');
    const curves: Curve[] = [];
    for (const runId of runIds) {
      this.getRun(runId);
      for (const name of names) {
        const { n, first, last } = extent.get(runId, name)!;
        let rows: [number, number][];
        if (n <= maxPoints * 4 || first === null || last === null) rows = all.raw().all(runId, name);
        else {
          const args = [runId, name, first, 2 * maxPoints, last - first + 1] as const;
          const byStep = new Map<number, number>([
            ...lowest.raw().all(...args),
            ...highest.raw().all(...args),
          ]);
          rows = [...byStep.entries()].sort((a, b) => a[0] - b[0]);
        }
        const points = rows.map(([step, value]) => ({ step, value }));
        curves.push({ runId, name, totalPoints: n, points: downsampleLttb(points, maxPoints) });
      }
    }
    return curves;
  }

  /**
   * Groups runs that differ only by seed (same task, net, method, sparsity, λ, role and config
   * apart from 'seed' keys) and gives mean ± sample std of each run's last value per metric.
   */
  groupBySeed(filter: RunFilter = {}): SeedGroup[] {
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
    return [...groups.entries()].map(([key, runs]) => {
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
   * 'bundle' → self-contained folder for importBundle on another machine. Returns the files written.
   */
  exportRun(runId: number, format: ExportFormat, out: string): string[] {
    switch (format) {
      case 'csv':
        return exportRunsCsv(this, [runId], out);
      case 'json':
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(runToJson(this, runId), null, 2));
        return [out];
      case 'bundle':
        return exportBundle(this, runId, out)
          .files.map((f) => path.join(out, f.path))
          .concat(path.join(out, 'manifest.json'));
      default:
        throw new StoreError(`exportRun: format must be csv, json or bundle, got '${String(format)}'`);
    }
  }

  /** Imports a bundle folder written by exportRun(…, 'bundle'), verifying every file first. */
  importBundle(bundleDir: string): RunRecord {
    return importBundle(this, bundleDir);
  }

  // ---- internals ------------------------------------------------------------------------------

  private projectId(name: string): number {
    this.db.prepare(`INSERT OR IGNORE INTO projects (name, created_at) VALUES (?, ?)`).run(name, Date.now());
    return this.db.prepare<[string], { id: number }>(`SELECT id FROM projects WHERE name = ?`).get(name)!.id;
  }

  private assertRunning(runId: number, action: string): void {
    const run = this.getRun(runId);
    if (run.status !== 'running')
      throw new StoreError(`run ${runId} is ${run.status}; cannot ${action} unless it is running`);
  }

  /** Inserts (or replaces, by name) an artifact row; must run inside a transaction. */
  insertArtifactRow(
    runId: number,
    kind: ArtifactKind,
    name: string,
    epoch: number | null,
    content: { hash: string; size: number; relPath: string },
    now: number,
  ): number {
    this.db.prepare(`DELETE FROM artifacts WHERE run_id = ? AND name = ?`).run(runId, name);
    const result = this.db
      .prepare(
        `INSERT INTO artifacts (run_id, kind, name, epoch, hash, size, rel_path, created_at, hash_algorithm, verified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sha256', ?)`,
      )
      .run(runId, kind, name, epoch, content.hash, content.size, content.relPath, now, now);
    return Number(result.lastInsertRowid);
  }

  private artifactById(id: number): ArtifactRecord {
    return this.toArtifact(
      this.db.prepare<[number], ArtifactRow>(`SELECT * FROM artifacts WHERE id = ?`).get(id)!,
    );
  }

  private toArtifact(row: ArtifactRow): ArtifactRecord {
    return {
      id: row.id,
      runId: row.run_id,
      kind: row.kind as ArtifactKind,
      name: row.name,
      epoch: row.epoch,
      hash: row.hash,
      size: row.size,
      path: absoluteContentPath(this.paths, row.rel_path),
      createdAt: row.created_at,
      verifiedAt: row.verified_at,
    };
  }

  private metricAt(runId: number, name: string, order: string): MetricSummary | null {
    const row = this.db
      .prepare<[number, string], MetricSummary>(
        `SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY ${order}, step DESC, rowid DESC LIMIT 1`,
      )
      .get(runId, name);
    return row ?? null;
  }

  /** Each metric's value at its largest step. */
  lastMetrics(runId: number): { name: string; step: number; value: number }[] {
    // Index seeks only (metrics_run_name_step): hop from name to name, then take each name's last
    // step. A correlated subquery per metric row cost ~1 s per million rows in groupBySeed.
    return this.db
      .prepare<{ run: number }, { name: string; step: number; value: number }>(
        `WITH RECURSIVE names(name) AS (
           SELECT MIN(name) FROM metrics WHERE run_id = @run
           UNION ALL
           SELECT (SELECT MIN(name) FROM metrics WHERE run_id = @run AND name > names.name) FROM names
           WHERE names.name IS NOT NULL
         )
         SELECT names.name AS name, last.step AS step, last.value AS value FROM names
         JOIN metrics AS last ON last.rowid = (
           SELECT rowid FROM metrics WHERE run_id = @run AND name = names.name ORDER BY step DESC, rowid DESC LIMIT 1
         )
         WHERE names.name IS NOT NULL
         ORDER BY names.name`,
      )
      .all({ run: runId });
  }

  // ---- settings ------------------------------------------------------------------------------

  /** A stored user setting, or undefined when never set. */
  getSetting(key: string): JsonValue | undefined {
    const row = this.db
      .prepare<[string], { value_json: string }>(`SELECT value_json FROM settings WHERE key = ?`)
      .get(key);
    return row ? (JSON.parse(row.value_json) as JsonValue) : undefined;
  }

  setSetting(key: string, value: JsonValue): void {
    if (!key) throw new StoreError('setSetting: key must not be empty');
    this.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), Date.now());
  }

  /**
   * Runs left 'running' by a process that no longer exists (same host: pid gone or last heartbeat
   * before the last boot; other host: heartbeat older than staleHeartbeatMs — long epochs on a
   * shared data folder should call heartbeat()) become 'interrupted' and so resumable. So do runs
   * queued by a host process of this machine that died before starting them (a queue may wait for
   * hours without a heartbeat, so another machine's queued runs are left alone).
   */
  private markDeadRunsInterrupted(staleHeartbeatMs: number): void {
    const now = Date.now();
    this.db
      .transaction(() => {
        const running = this.db
          .prepare<
            [],
            {
              id: number;
              status: string;
              pid: number | null;
              host: string | null;
              heartbeat_at: number | null;
            }
          >(
            `SELECT id, status, pid, host, heartbeat_at FROM runs
             WHERE status = 'running' OR (status = 'queued' AND pid IS NOT NULL)`,
          )
          .all();
        const mark = this.db.prepare(
          `UPDATE runs SET status = 'interrupted', error = ?, ended_at = ? WHERE id = ?`,
        );
        // A heartbeat from before this machine booted means its process died in the reboot, even
        // if a new process has since been given the same pid.
        const bootedAt = now - os.uptime() * 1000;
        for (const run of running) {
          const sameHost = run.host === this.host;
          if (run.status === 'queued' && !sameHost) continue;
          const dead = sameHost
            ? run.pid === null || !isProcessAlive(run.pid) || (run.heartbeat_at ?? 0) < bootedAt
            : run.heartbeat_at === null || now - run.heartbeat_at > staleHeartbeatMs;
          if (dead) {
            const why = sameHost
              ? `process ${run.pid} on ${run.host} ended without ${run.status === 'queued' ? 'starting' : 'finishing'} the run`
              : `no heartbeat from ${run.host} since ${new Date(run.heartbeat_at ?? 0).toISOString()}`;
            mark.run(why, now, run.id);
          }
        }
      })
      .immediate();
  }
}
