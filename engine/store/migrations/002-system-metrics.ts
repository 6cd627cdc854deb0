import type { Migration } from './migration.js';

/**
 * v2: per-epoch system metrics (throughput, peak memory) and artifact verification
 * bookkeeping (the hash algorithm, so it can change later, and when a file was last verified).
 */
export const systemMetricsAndVerification: Migration = {
  version: 2,
  description: 'system metrics table; artifact hash algorithm and verification time',
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
    `);
  },
};
