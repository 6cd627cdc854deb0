import type Database from 'better-sqlite3';
import type { JsonObject, PruneLayerRow, PruneReportInput, StoredPruneReport } from '../types.js';

/** The prune_reports (whole report as JSON) and prune_layers (one row per layer) tables. */
export class PruneReportsTable {
  constructor(private readonly db: Database.Database) {}

  /** Replaces the run's report; must run inside a transaction. */
  put(runId: number, report: PruneReportInput): void {
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
  }

  get(runId: number): StoredPruneReport | null {
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
}
