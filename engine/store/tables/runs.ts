import type Database from 'better-sqlite3';
import { RunNotFoundError, StoreError } from '../errors.js';
import {
  RUN_STATUSES,
  type JsonObject,
  type RunFilter,
  type RunRecord,
  type RunSortKey,
  type RunStatus,
  type RunTask,
} from '../types.js';

/** A run as stored, before SQLite gives it an id. */
export type NewRun = Omit<RunRecord, 'id'>;

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
  environment_json: string | null;
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
  origin: string | null;
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
    environment: row.environment_json === null ? null : (JSON.parse(row.environment_json) as JsonObject),
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
    origin: row.origin,
  };
}

/** The runs and projects tables. Validation and transactions are the façade's (store.ts). */
export class RunsTable {
  constructor(private readonly db: Database.Database) {}

  /** Inserts the run (and its project if new); must run inside a transaction. */
  insert(run: NewRun): number {
    this.db
      .prepare(`INSERT OR IGNORE INTO projects (name, created_at) VALUES (?, ?)`)
      .run(run.project, Date.now());
    const projectId = this.db
      .prepare<[string], { id: number }>(`SELECT id FROM projects WHERE name = ?`)
      .get(run.project)!.id;
    const result = this.db
      .prepare(
        `INSERT INTO runs (uuid, project_id, name, task, dataset, net, method, sparsity, lambda, seed, role,
         parent_run_id, config_json, backend, device, environment_json, app_version, status, error, created_at,
         started_at, ended_at, pid, host, heartbeat_at, notes, origin)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.uuid,
        projectId,
        run.name,
        run.task,
        run.dataset,
        run.net,
        run.method,
        run.sparsity,
        run.lambda,
        run.seed,
        run.role,
        run.parentRunId,
        JSON.stringify(run.config),
        run.backend,
        run.device,
        run.environment === null ? null : JSON.stringify(run.environment),
        run.appVersion,
        run.status,
        run.error,
        run.createdAt,
        run.startedAt,
        run.endedAt,
        run.pid,
        run.host,
        run.heartbeatAt,
        run.notes,
        run.origin,
      );
    return Number(result.lastInsertRowid);
  }

  get(runId: number): RunRecord {
    const row = this.db.prepare<[number], RunRow>(`${RUN_SELECT} WHERE r.id = ?`).get(runId);
    if (!row) throw new RunNotFoundError(runId);
    return toRunRecord(row);
  }

  findByUuid(uuid: string): RunRecord | undefined {
    const row = this.db.prepare<[string], RunRow>(`${RUN_SELECT} WHERE r.uuid = ?`).get(uuid);
    return row ? toRunRecord(row) : undefined;
  }

  list(filter: RunFilter): RunRecord[] {
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
   * Claims the run for this process: status running, pid, host, heartbeat, and the backend and
   * environment it now runs on (each kept as it was when not given).
   */
  markRunning(
    runId: number,
    now: number,
    host: string,
    backend: string | null,
    environment: JsonObject | null,
  ): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'running', error = NULL, ended_at = NULL, started_at = COALESCE(started_at, ?),
         pid = ?, host = ?, heartbeat_at = ?, backend = COALESCE(?, backend),
         environment_json = COALESCE(?, environment_json) WHERE id = ?`,
      )
      .run(now, process.pid, host, now, backend, environment && JSON.stringify(environment), runId);
  }

  markEnded(runId: number, status: RunStatus, error: string | null, now: number): void {
    this.db
      .prepare(`UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?`)
      .run(status, error, now, runId);
  }

  heartbeat(runId: number, now: number): void {
    this.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ?`).run(now, runId);
  }

  /** Deletes the run; its metrics, reports and artifact rows go by ON DELETE CASCADE. */
  delete(runId: number): void {
    this.db.prepare(`DELETE FROM runs WHERE id = ?`).run(runId);
  }
}
