import type Database from 'better-sqlite3';
import type { JsonObject, MetricRow, MetricSummary, SystemMetrics, SystemMetricsRow } from '../types.js';

/** The metrics and system_metrics tables. */
export class MetricsTable {
  constructor(private readonly db: Database.Database) {}

  /** Replaces one epoch's metric rows; must run inside a transaction. */
  replaceEpoch(runId: number, epoch: number, rows: readonly Omit<MetricRow, 'runId' | 'epoch'>[]): void {
    this.db.prepare(`DELETE FROM metrics WHERE run_id = ? AND epoch = ?`).run(runId, epoch);
    this.insert(
      runId,
      rows.map((r) => ({ ...r, epoch })),
    );
  }

  insert(runId: number, rows: readonly Omit<MetricRow, 'runId'>[]): void {
    const insert = this.db.prepare(
      `INSERT INTO metrics (run_id, step, epoch, name, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const m of rows) insert.run(runId, m.step, m.epoch, m.name, m.value, m.wallTime);
  }

  /** Stores (or replaces) one epoch's system metrics. */
  putSystem(runId: number, epoch: number, wallTime: number, system: SystemMetrics): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO system_metrics (run_id, epoch, wall_time, samples_per_second, peak_memory_bytes, extra_json)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        runId,
        epoch,
        wallTime,
        system.samplesPerSecond ?? null,
        system.peakMemoryBytes ?? null,
        system.extra ? JSON.stringify(system.extra) : null,
      );
  }

  list(runId: number, names?: readonly string[]): MetricRow[] {
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

  system(runId: number): SystemMetricsRow[] {
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

  lastEpoch(runId: number): number | null {
    return (
      this.db
        .prepare<[number], { epoch: number | null }>(
          `SELECT MAX(epoch) AS epoch FROM metrics WHERE run_id = ?`,
        )
        .get(runId)?.epoch ?? null
    );
  }

  /** The metric names any of the runs recorded, sorted. */
  namesOf(runIds: readonly number[]): string[] {
    return this.db
      .prepare<number[], { name: string }>(
        `SELECT DISTINCT name FROM metrics WHERE run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY name`,
      )
      .all(...runIds)
      .map((r) => r.name);
  }

  /** The first row of one metric in the given order ('value ASC', 'value DESC', 'step DESC'). */
  firstBy(
    runId: number,
    name: string,
    order: 'value ASC' | 'value DESC' | 'step DESC',
  ): MetricSummary | null {
    const row = this.db
      .prepare<[number, string], MetricSummary>(
        `SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY ${order}, step DESC, rowid DESC LIMIT 1`,
      )
      .get(runId, name);
    return row ?? null;
  }

  /** Each metric's value at its largest step. */
  last(runId: number): { name: string; step: number; value: number }[] {
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

  /**
   * One metric's (step, value) rows, cut down inside SQLite when longer than 4·maxPoints to the min
   * and max of 2·maxPoints step buckets (moving 100,000 rows into JS costs several times more than
   * the scan); the caller downsamples the rest. Returns the full row count too.
   */
  curveRows(runId: number, name: string, maxPoints: number): { total: number; rows: [number, number][] } {
    const { n, first, last } = this.db
      .prepare<[number, string], { n: number; first: number | null; last: number | null }>(
        `SELECT COUNT(*) AS n, MIN(step) AS first, MAX(step) AS last FROM metrics WHERE run_id = ? AND name = ?`,
      )
      .get(runId, name)!;
    if (n <= maxPoints * 4 || first === null || last === null) {
      const rows = this.db
        .prepare<[number, string], [number, number]>(
          `SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step`,
        )
        .raw()
        .all(runId, name);
      return { total: n, rows };
    }
    // Bucket index floor((step − first) · buckets / (span + 1)) (bound numbers arrive as REAL, hence
    // the CAST); with a single min()/max() aggregate SQLite takes the bare 'step' from that row.
    const extreme = (aggregate: 'MIN' | 'MAX') =>
      this.db
        .prepare<[number, string, number, number, number], [number, number]>(
          `SELECT step, ${aggregate}(value) FROM metrics WHERE run_id = ? AND name = ? GROUP BY CAST((step - ?) * ? / ? AS INTEGER)`,
        )
        .raw()
        .all(runId, name, first, 2 * maxPoints, last - first + 1);
    const byStep = new Map<number, number>([...extreme('MIN'), ...extreme('MAX')]);
    return { total: n, rows: [...byStep.entries()].sort((a, b) => a[0] - b[0]) };
  }
}
