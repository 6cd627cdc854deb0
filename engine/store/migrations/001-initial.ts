import type { Migration } from './migration.js';

/** v1: projects, runs, prune reports (whole + per layer), metric time series, artifacts. */
export const initialSchema: Migration = {
  version: 1,
  description: 'projects, runs, prune reports, metrics, artifacts',
  up(db) {
    db.exec(`
      CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        project_id INTEGER NOT NULL REFERENCES projects(id),
        name TEXT,
        task TEXT NOT NULL,
        dataset TEXT,
        net TEXT NOT NULL,
        method TEXT,
        sparsity REAL,
        lambda REAL,
        seed INTEGER,
        role TEXT,
        parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        config_json TEXT NOT NULL,
        backend TEXT,
        device TEXT,
        app_version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','cancelled','interrupted')),
        error TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        pid INTEGER,
        host TEXT,
        heartbeat_at INTEGER,
        notes TEXT
      );
      CREATE INDEX runs_status ON runs(status);
      CREATE INDEX runs_net_method ON runs(net, method);

      CREATE TABLE prune_reports (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        report_json TEXT NOT NULL
      );

      CREATE TABLE prune_layers (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        layer TEXT NOT NULL,
        kept INTEGER NOT NULL,
        total INTEGER NOT NULL,
        flops_before REAL,
        flops_after REAL,
        params_before REAL,
        params_after REAL,
        extra_json TEXT,
        PRIMARY KEY (run_id, position),
        UNIQUE (run_id, layer)
      );

      CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        epoch INTEGER,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        wall_time INTEGER NOT NULL
      );
      CREATE INDEX metrics_run_name_step ON metrics(run_id, name, step);

      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        epoch INTEGER,
        hash TEXT NOT NULL,
        size INTEGER NOT NULL,
        rel_path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (run_id, name)
      );
      CREATE INDEX artifacts_hash ON artifacts(hash);
    `);
  },
};
