import type Database from 'better-sqlite3';
import { RunNotFoundError, StoreError } from '../errors.js';
import {
  RUN_STATUSES,
  type JsonObject,
  type RunFilter,
  type RunRecord,
  type RunSortKey,
  type RunStatus,
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

/**
 * Every RunRecord field, in the record's order, with the column it is read from (config and
 * environment are JSON text there). The row type, the SELECT and the INSERT come from this map,
 * so a new run field is one entry here besides its migration.
 */
const RUN_COLUMNS = {
  id: 'r.id',
  uuid: 'r.uuid',
  project: 'p.name',
  name: 'r.name',
  task: 'r.task',
  dataset: 'r.dataset',
  net: 'r.net',
  method: 'r.method',
  sparsity: 'r.sparsity',
  lambda: 'r.lambda',
  seed: 'r.seed',
  role: 'r.role',
  parentRunId: 'r.parent_run_id',
  config: 'r.config_json',
  backend: 'r.backend',
  device: 'r.device',
  environment: 'r.environment_json',
  appVersion: 'r.app_version',
  status: 'r.status',
  error: 'r.error',
  createdAt: 'r.created_at',
  startedAt: 'r.started_at',
  endedAt: 'r.ended_at',
  pid: 'r.pid',
  host: 'r.host',
  heartbeatAt: 'r.heartbeat_at',
  notes: 'r.notes',
  origin: 'r.origin',
} as const satisfies Record<keyof RunRecord, string>;

const FIELDS = Object.keys(RUN_COLUMNS) as (keyof RunRecord)[];
/** Fields the INSERT writes into runs columns (id is SQLite's, the project goes in as project_id). */
const STORED_FIELDS = FIELDS.filter((f) => RUN_COLUMNS[f].startsWith('r.') && f !== 'id');

/** A row of RUN_SELECT: the record, config and environment still JSON text. */
type RunRow = Omit<RunRecord, 'config' | 'environment'> & { config: string; environment: string | null };

const RUN_SELECT = `SELECT ${FIELDS.map((f) => `${RUN_COLUMNS[f]} AS ${f}`).join(', ')}
  FROM runs r JOIN projects p ON p.id = r.project_id`;

const RUN_INSERT = `INSERT INTO runs (project_id, ${STORED_FIELDS.map((f) => RUN_COLUMNS[f].slice(2)).join(', ')})
  VALUES (?, ${STORED_FIELDS.map(() => '?').join(', ')})`;

function toRunRecord(row: RunRow): RunRecord {
  return {
    ...row,
    config: JSON.parse(row.config) as JsonObject,
    environment: row.environment === null ? null : (JSON.parse(row.environment) as JsonObject),
  };
}

/** The INSERT's values for STORED_FIELDS, config and environment as JSON text. */
function storedValues(run: NewRun): unknown[] {
  return STORED_FIELDS.map((f) =>
    f === 'config' || f === 'environment'
      ? run[f] === null
        ? null
        : JSON.stringify(run[f])
      : run[f as Exclude<keyof NewRun, 'config' | 'environment'>],
  );
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
    const result = this.db.prepare(RUN_INSERT).run(projectId, ...storedValues(run));
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

  setSparsity(runId: number, sparsity: number): void {
    this.db.prepare(`UPDATE runs SET sparsity = ? WHERE id = ?`).run(sparsity, runId);
  }

  heartbeat(runId: number, now: number): void {
    this.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ?`).run(now, runId);
  }

  /** Deletes the run; its metrics, reports and artifact rows go by ON DELETE CASCADE. */
  delete(runId: number): void {
    this.db.prepare(`DELETE FROM runs WHERE id = ?`).run(runId);
  }
}
