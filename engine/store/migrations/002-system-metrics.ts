import type { Migration } from './migration.js';

/**
 * v2: per-epoch system metrics (throughput, peak memory) and artifact verification
 * bookkeeping (the hash algorithm, so it can change later, and when a file was last verified).
 * The metrics index becomes covering (value included) so a curve is read from the index alone,
 * and (run, epoch) is indexed for replacing a re-recorded epoch.
 */
export const systemMetricsAndVerification: Migration = {
  version: 2,
  description: 'system metrics table; artifact hash algorithm and verification time; covering metrics index',
  up(db) {
    db.exec(`
      CREATE TABLE system_metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        wall_time INTEGER NOT NULL,
        samples_per_second REAL,
        peak_memory_bytes REAL,
        extra_json TEXT,
        PRIMARY KEY (run_id, epoch)
      );
      ALTER TABLE artifacts ADD COLUMN hash_algorithm TEXT NOT NULL DEFAULT 'sha256';
      ALTER TABLE artifacts ADD COLUMN verified_at INTEGER;
      DROP INDEX metrics_run_name_step;
      CREATE INDEX metrics_curve ON metrics(run_id, name, step, value);
      CREATE INDEX metrics_run_epoch ON metrics(run_id, epoch);
    `);
  },
};
